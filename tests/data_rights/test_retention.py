from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.models import User
from bookings.models import Clinic
from data_rights.models import Erasure
from intake.models import Intake
from workspace.models import SessionNote

from .conftest import NOTE, NOW, client_with_history

RETENTION_TASK = "data_rights.tasks.retention_apply"


def _long_ago(history, *, years):
    """Move the client's whole history `years` back, as if they had not been seen since."""
    from bookings.models import Appointment, PreVisitCheck

    shift = timedelta(days=365 * years + years // 4 + 1)
    client = history.client
    Appointment.objects.filter(client=client).update(
        start=_minus("start", shift), end=_minus("end", shift), blocked_until=_minus("blocked_until", shift),
        created_at=_minus("created_at", shift),
    )  # fmt: skip
    PreVisitCheck.objects.filter(appointment__client=client).update(answered_at=_minus("answered_at", shift))
    Intake.objects.filter(client=client).update(created_at=_minus("created_at", shift))
    User.objects.filter(pk=client.pk).update(
        date_joined=_minus("date_joined", shift), last_login=_minus("last_login", shift)
    )


def _minus(field, shift):
    from django.db.models import F

    return F(field) - shift


@pytest.fixture
def inactive_and_active(clinic, therapist, service, frozen):
    inactive = client_with_history(therapist, service, email="gone@example.com")
    active = client_with_history(therapist, service, later_by=timedelta(hours=2), email="here@example.com")
    _long_ago(inactive, years=9)
    _long_ago(active, years=7)
    # A therapist's own account, idle as long, is staff: never anonymised.
    User.objects.filter(pk=therapist.user.pk).update(
        date_joined=NOW - timedelta(days=10 * 365), last_login=NOW - timedelta(days=10 * 365)
    )
    return inactive, active


def test_retention_anonymises_clients_inactive_longer_than_the_retention_period(
    inactive_and_active, therapist
):
    inactive, active = inactive_and_active

    call_command("apply_retention", stdout=(out := _Output()))

    assert "Clients anonymised: 1." in out.text
    gone = User.objects.get(pk=inactive.client.pk)
    assert (gone.email, gone.is_active) == (f"erased-{gone.pk}@invalid", False)
    assert Erasure.objects.get(client=gone).reason == Erasure.Reason.RETENTION
    # Its retention period is over too: the notes' words go, the scores stay.
    note = SessionNote.objects.get(appointment=inactive.past)
    assert (note.findings, note.pain_after) == ("", 3)
    # Seven years: kept whole.
    assert User.objects.get(pk=active.client.pk).email == "here@example.com"
    assert SessionNote.objects.get(appointment=active.past).findings == NOTE["findings"]
    assert User.objects.get(pk=therapist.user.pk).is_active


def test_retention_is_idempotent(inactive_and_active):
    call_command("apply_retention", stdout=_Output())

    call_command("apply_retention", stdout=(out := _Output()))

    assert "Clients anonymised: 0. Erased clients whose records' free text was removed: 0." in out.text
    assert Erasure.objects.count() == 1


def test_the_retention_period_is_the_clinics_setting(inactive_and_active):
    Clinic.objects.filter(pk=1).update(record_retention_years=10)

    call_command("apply_retention", stdout=_Output())

    assert not Erasure.objects.exists()


def test_a_login_keeps_a_client_active(inactive_and_active):
    inactive, _ = inactive_and_active
    User.objects.filter(pk=inactive.client.pk).update(last_login=NOW - timedelta(days=30))

    call_command("apply_retention", stdout=_Output())

    assert not Erasure.objects.exists()


def test_beat_runs_the_retention_every_night(inactive_and_active, settings):
    from clinic.celery import app

    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == RETENTION_TASK]
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {15})
    app.loader.import_default_modules()  # what a worker does as it starts

    app.tasks[RETENTION_TASK].apply()

    assert Erasure.objects.get().reason == Erasure.Reason.RETENTION


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
