from collections.abc import Iterable
from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.http import HttpRequest

from clinic.forms import ServiceErrorsMixin, StorableTextMixin

from .models import User
from .services import password_reset_email_admit


def _helper(form: forms.Form, submit_label: str, *layout: object) -> FormHelper:
    """A POST form laid out as `layout` (by default its fields in order) and one full-width button."""
    helper = FormHelper()
    helper.form_method = "post"
    button = StrictButton(submit_label, type="submit", css_class="btn-success w-100")
    helper.layout = Layout(*(layout or form.fields), button)
    return helper


class SignupForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    """Checks what a form can check; `accounts.services.user_signup` decides the rest."""

    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        max_length=32,
        required=False,
        help_text="So the clinic can reach you if your appointment has to change.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    # Asked once, with a "Show" button (static/js/show-password.js) to check it instead of typing
    # it twice: one input less on the way to a booking; a mistyped password has the reset link.
    password = forms.CharField(
        strip=False,
        help_text="10 characters or more.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-show-password": ""}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            self,
            "Create account",
            Row(Column("first_name", css_class="col-sm-6"), Column("last_name", css_class="col-sm-6")),
            "email",
            "phone",
            "password",
        )


class EmailAuthenticationForm(StorableTextMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.helper = _helper(self, "Log in")

    def clean_username(self) -> str:
        # Accounts store their email in lower case (see UserManager and user_signup).
        return self.cleaned_data["username"].strip().lower()


class ClinicPasswordResetForm(StorableTextMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Send me a reset link")

    def get_users(self, email: str) -> Iterable[User]:
        if not password_reset_email_admit(email=email):
            return ()
        return super().get_users(email)


class ClinicSetPasswordForm(StorableTextMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Set my new password")


def _is_current_password(request: HttpRequest, user: User, password: str) -> bool:
    # Through authenticate(), not check_password(), so that guesses on the account pages count
    # towards the login limits as guesses on the login page do (accounts/backends.py).
    return authenticate(request, username=user.email, password=password) == user


class ProfileForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    phone = forms.CharField(
        max_length=32,
        required=False,
        help_text="So the clinic can reach you if your appointment has to change.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            self,
            "Save my details",
            Row(Column("first_name", css_class="col-sm-6"), Column("last_name", css_class="col-sm-6")),
            "phone",
        )


class EmailChangeForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    new_email = forms.EmailField(
        label="New email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user
        self.helper = _helper(self, "Send me a link to confirm it")

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not _is_current_password(self.request, self.user, password):
            raise forms.ValidationError("That isn't your current password.")
        return password


class ClinicPasswordChangeForm(StorableTextMixin, PasswordChangeForm):
    """Django's form (the password rules check the new one), checking the old one as a login would."""

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.helper = _helper(self, "Change my password")

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not _is_current_password(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
