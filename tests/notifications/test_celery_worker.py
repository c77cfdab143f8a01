"""A booking, a real Celery worker, the real Redis: exactly one confirmation."""

import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from bookings.services import appointment_book
from notifications.models import Message

DISPATCH_TASK = "notifications.tasks.dispatch_due"


@pytest.fixture
def celery_app():
    """The project's Celery configuration on a Redis database and queue of this test's own."""
    redis = urlsplit(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    app = Celery("clinic-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = redis._replace(path="/13").geturl()
    app.conf.broker_transport_options = {}
    app.conf.task_default_queue = f"notifications-test-{uuid.uuid4().hex}"
    app.autodiscover_tasks(["notifications"], force=True)
    yield app
    app.close()


def next_weekday_10am(tz, days_ahead=7):
    day = timezone.localdate(timezone=tz) + timedelta(days=days_ahead)
    if day.weekday() == 6:  # the therapist does not work on Sundays
        day += timedelta(days=1)
    return datetime.combine(day, datetime.min.time().replace(hour=10), tzinfo=tz)


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_beat_schedule_runs_the_dispatcher_every_minute(celery_app):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == DISPATCH_TASK]

    assert entry["schedule"] == 60.0
    assert DISPATCH_TASK in celery_app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_booking_leads_to_exactly_one_confirmation_through_a_real_celery_worker(
    celery_app, clinic, service, therapist, client_user
):
    appointment = appointment_book(
        client=client_user, therapist=therapist, service=service, start=next_weekday_10am(clinic.tz)
    )

    finished = []

    def count_dispatches(sender=None, **kwargs):
        if sender is not None and sender.name == DISPATCH_TASK:
            finished.append(kwargs.get("state"))

    task_postrun.connect(count_dispatches, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            # Two beat ticks' worth of dispatch tasks, as when beat fires again before the first ends.
            celery_app.send_task(DISPATCH_TASK)
            celery_app.send_task(DISPATCH_TASK)
            assert wait_for(lambda: len(finished) == 2), finished
    finally:
        task_postrun.disconnect(count_dispatches)

    assert finished == ["SUCCESS", "SUCCESS"]
    confirmation = Message.objects.get(appointment=appointment, kind=Message.Kind.CONFIRMATION)
    assert confirmation.status == Message.Status.SENT

    confirmations = [email for email in mail.outbox if email.subject.startswith("Your appointment on")]
    assert len(confirmations) == 1
    assert confirmations[0].to == ["client@example.com"]
    assert confirmation.attempts == 1
