from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from clinic.forms import StorableTextMixin

WRONG_PASSWORD = "That password isn't right."


class AccountDeleteForm(StorableTextMixin, forms.Form):
    """The client confirms, and proves it is them with their password; data_rights.services does the rest."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account will be deleted and my appointments still to come cancelled."
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "password", "confirm", StrictButton("Delete my account", type="submit", css_class="btn-danger")
        )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not is_current_password(self.request, password):
            raise forms.ValidationError(WRONG_PASSWORD, code="password_incorrect")
        return password


def is_current_password(request: HttpRequest, password: str) -> bool:
    # Through authenticate(), as the account pages check it (accounts/forms.py), so that guesses
    # here count towards the login limits (accounts/backends.py).
    user = request.user
    return user.is_authenticated and authenticate(request, username=user.email, password=password) == user
