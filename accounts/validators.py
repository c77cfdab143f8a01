"""A password rule Django's validators leave out."""

from django.core.exceptions import ValidationError

ONLY_WHITESPACE = "Your password can’t be only spaces."


class NotOnlyWhitespaceValidator:
    """Refuse a password of nothing but spaces (or tabs, or line breaks).

    The length rule counts them, and no other validator looks at them, so ten spaces would pass.
    """

    def validate(self, password: str, user: object = None) -> None:
        if not password.strip():
            raise ValidationError(ONLY_WHITESPACE, code="password_only_whitespace")

    def get_help_text(self) -> str:
        return ONLY_WHITESPACE
