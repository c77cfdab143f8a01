from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from .validation import date_near_today, storable_text


def date_field(label: str | None = None, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A day from the browser's date picker, refused if far from today (date_near_today)."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[date_near_today],
        error_messages={"invalid": "Enter a date such as 2026-12-07."},
    )


class ServiceErrorsMixin:
    """Put a service's field-keyed ValidationError on the form's matching fields.

    Keys the form has no field for land on the form itself; `service_field_names` maps a
    service's name for a field to the form's, where they differ.
    """

    service_field_names: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            name = self.service_field_names.get(key, key)
            self.add_error(name if name in self.fields else None, messages)  # type: ignore[attr-defined]


class StorableTextMixin(forms.BaseForm):
    """Every text field of the form refuses what the database cannot store, with one message.

    List it first among a form's bases, so that it also sees fields added in other `__init__`s.
    Django's own NUL check would say "Null characters are not allowed." beside ours, so it goes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    validator
                    for validator in field.validators
                    if not isinstance(validator, ProhibitNullCharactersValidator)
                ] + [storable_text]
