from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from bookings.models import Appointment
from bookings.screening import intake_record
from bookings.services import appointment_book
from notifications.dispatch import messages_dispatch_due
from tests.factories import (
    AppointmentFactory,
    UserFactory,
    answer_pre_visit_check,
    clear_answers,
    nothing_new,
)
from workspace.services import session_note_save

# Friday morning (London is on UTC in December); yesterday's session; today 14:00, inside the
# 24-hour cancellation window; Monday 10:00.
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
THURSDAY_10 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
FRIDAY_14 = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

INTAKE_DETAILS = {
    "pain_location": "Left buttock down to the calf",
    "health_history": "Slipped disc in 2019",
    "medications": "Ibuprofen when needed",
    "pressure_preference": "medium",
    "positioning": "side-lying",
    "areas_to_avoid": "Right knee",
    "goals": "Sit through a working day",
}
NOTE = {
    "client_reports": "Pain down the left leg after long drives.",
    "findings": "Tight left piriformis and glutes.",
    "techniques": ["trigger_point", "piriformis"],
    "pressure": "medium",
    "positioning": "side-lying",
    "areas_treated": "Left glutes, lower back",
    "pain_before": 6,
    "pain_after": 3,
    "plan": "Weekly for three weeks.",
    "home_care": "Piriformis stretch twice a day.",
}


@dataclass
class History:
    client: User
    past: Appointment  # completed yesterday, with a day-of check and a session note
    today: Appointment  # booked for 14:00 today, inside the cancellation window
    monday: Appointment  # booked for Monday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def client_with_history(therapist, service, *, later_by=timedelta(0), **user_fields) -> History:
    """A client with an intake, a session yesterday (day-of check, session note), two appointments
    to come, and their confirmations sent. Their appointments are `later_by` after the usual
    times, so that several clients fit one therapist's days. Call with the clock frozen at NOW."""
    client = UserFactory(phone="07700 900123", **user_fields)
    client.date_joined = client.last_login = NOW - timedelta(days=30)
    client.save()
    intake_record(
        client=client,
        answers=clear_answers(),
        consent=True,
        details=INTAKE_DETAILS,
        now=NOW - timedelta(days=10),
    )
    past = AppointmentFactory(
        client=client, therapist=therapist, service=service, start=THURSDAY_10 + later_by
    )
    answer_pre_visit_check(past)
    Appointment.objects.filter(pk=past.pk).update(status=Appointment.Status.COMPLETED)
    session_note_save(appointment=past, author=therapist.user, content=NOTE, now=NOW - timedelta(hours=20))
    today, monday = (
        appointment_book(
            client=client, therapist=therapist, service=service, start=start, red_flags=nothing_new()
        )
        for start in (FRIDAY_14 + later_by, MONDAY_10 + later_by)
    )
    messages_dispatch_due()
    return History(client=client, past=past, today=today, monday=monday)


@pytest.fixture
def history(clinic, therapist, service, frozen):
    return client_with_history(
        therapist, service, email="sam@example.com", first_name="Sam", last_name="Jones"
    )


@pytest.fixture
def signed_in(history):
    """The client's own browser, logged in."""
    browser = Client()
    browser.force_login(history.client)
    return browser
