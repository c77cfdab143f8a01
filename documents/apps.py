from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Referrals, letters and receipts"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the private storage's system check)
