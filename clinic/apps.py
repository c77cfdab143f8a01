from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The project itself, as an app: its system checks (clinic/checks.py)."""

    name = "clinic"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
