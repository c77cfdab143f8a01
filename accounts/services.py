from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import User


def user_signup(*, email: str, password: str, first_name: str, last_name: str, phone: str) -> User:
    """Create a client account, or raise ValidationError with field-keyed messages."""
    email = User.objects.normalize_email(email).strip().lower()
    candidate = User(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), phone=phone.strip()
    )
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your email address."]
    elif not _is_email(email):
        errors["email"] = ["Enter a valid email address."]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["An account with this email already exists. Log in or reset your password."]
    if not candidate.first_name:
        errors["first_name"] = ["Enter your first name."]
    if not candidate.last_name:
        errors["last_name"] = ["Enter your last name."]
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    with transaction.atomic():
        candidate.save()
    return candidate


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
