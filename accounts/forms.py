from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from clinic.forms import ServiceErrorsMixin


def _helper(form: forms.Form, submit_label: str, *layout: object) -> FormHelper:
    """A POST form laid out as `layout` (by default its fields in order) and one full-width button."""
    helper = FormHelper()
    helper.form_method = "post"
    button = StrictButton(submit_label, type="submit", css_class="btn-success w-100")
    helper.layout = Layout(*(layout or form.fields), button)
    return helper


class SignupForm(ServiceErrorsMixin, forms.Form):
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
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
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
            "password_again",
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords don't match.")
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.helper = _helper(self, "Log in")

    def clean_username(self) -> str:
        # Accounts store their email in lower case (see UserManager and user_signup).
        return self.cleaned_data["username"].strip().lower()


class ClinicPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Send me a reset link")


class ClinicSetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Set my new password")
