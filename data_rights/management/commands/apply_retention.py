from django.core.management.base import BaseCommand

from bookings.selectors import clinic_get
from data_rights.services import clients_retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise clients with no appointment, login or other record for the clinic's record retention "
        "period, and remove the free text of erased clients' health records once that period has "
        "ended. Safe to run any number of times; Celery beat runs it daily."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = clients_retention_apply()
        self.stdout.write(
            f"Retention period: {clinic_get().record_retention_years} years. "
            f"Clients anonymised: {result.anonymised}. "
            f"Erased clients whose records' free text was removed: {result.health_text_removed}."
        )
