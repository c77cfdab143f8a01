from celery import shared_task

from . import dispatch


@shared_task(ignore_result=True)
def dispatch_due() -> None:
    """Send the outbox's due messages. Celery beat runs it every minute (CELERY_BEAT_SCHEDULE).

    Messages days ahead are rows with a due time, not ETA tasks: nothing is held in the broker,
    so a Redis restart loses nothing, and the next run picks up whatever is due.
    """
    dispatch.messages_dispatch_due()
