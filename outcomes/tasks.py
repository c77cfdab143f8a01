from celery import shared_task

from .services import reassessments_queue


@shared_task(ignore_result=True)
def reassessments_due() -> None:
    """Queue the re-assessment link of each plan that reached a point. Celery beat runs it every
    15 minutes (CELERY_BEAT_SCHEDULE); the outbox's dispatcher sends the emails."""
    reassessments_queue()
