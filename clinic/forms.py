from django.core.exceptions import ValidationError


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
