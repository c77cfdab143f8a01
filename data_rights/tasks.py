from celery import shared_task

from .services import clients_retention_apply


@shared_task(ignore_result=True)
def retention_apply() -> None:
    """Apply the clinic's record retention period. Celery beat runs it daily (CELERY_BEAT_SCHEDULE)."""
    clients_retention_apply()
