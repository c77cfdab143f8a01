from django.apps import AppConfig


class DataRightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "data_rights"
    verbose_name = "Clients' data rights"
