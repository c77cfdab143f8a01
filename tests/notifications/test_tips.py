import importlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client

from bookings.models import Appointment
from bookings.services import appointment_record_attendance
from intake.services import clearance_record
from notifications.models import Message, MessagingSettings, Tip
from tests.factories import submit_intake

from .conftest import MONDAY_10, book, dispatch_at, messages_of

Kind, Status = Message.Kind, Message.Status
AFTER_SESSION = MONDAY_10 + timedelta(hours=2)
CHECK_FIRST = "check with your therapist or doctor first"


def complete(appointment, status=Appointment.Status.COMPLETED, at=AFTER_SESSION):
    with time_machine.travel(at, tick=False):
        return appointment_record_attendance(appointment=appointment, status=status, by=appointment.client)


def london_10(day):
    return datetime.combine(day, time(10), tzinfo=UTC)  # London is UTC+0 in December


@pytest.fixture(autouse=True)
def _seeded_tips(db):
    # The data migration's tips; a transactional test elsewhere in the suite may have flushed them.
    seed = importlib.import_module("notifications.migrations.0002_seed_tips").seed_tips
    seed(django_apps, None)


@pytest.fixture
def session(booked):
    complete(booked)
    return booked


def test_a_completed_session_queues_tips_on_days_1_3_5_7_at_10_local(session):
    tips = messages_of(session, kind=Kind.TIP)

    assert [(m.tip.day, m.due_at) for m in tips] == [
        (1, london_10(date(2026, 12, 8))),
        (3, london_10(date(2026, 12, 10))),
        (5, london_10(date(2026, 12, 12))),
        (7, london_10(date(2026, 12, 14))),
    ]


def test_the_first_tip_comes_the_day_after_at_10_and_follows_the_clinics_advice(session):
    assert dispatch_at(london_10(date(2026, 12, 8)) - timedelta(minutes=1)) == []

    (email,) = dispatch_at(london_10(date(2026, 12, 8)))

    assert email.subject == "A tip from Riverside Massage"
    assert "Stretch gently every day" in email.body
    assert "hamstrings, hips, lower back and piriformis" in email.body
    assert "<p>Stretch your hamstrings" in email.alternatives[0][0]
    assert CHECK_FIRST not in email.body


def test_a_no_show_gets_no_tips(booked):
    complete(booked, status=Appointment.Status.NO_SHOW)

    assert messages_of(booked, kind=Kind.TIP) == []


def test_recording_the_session_twice_writes_the_tips_once(session):
    complete(session)

    assert len(messages_of(session, kind=Kind.TIP)) == 4


def test_tips_in_new_york_are_due_at_10_new_york_time_across_the_clock_change(
    clinic, service, therapist, client_user
):
    clinic.time_zone = "America/New_York"
    clinic.save()
    # Friday 30 October 2026, 10:00 in New York (EDT, UTC-4); the clocks go back on 1 November.
    friday = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
    appointment = book(client_user, therapist, service, start=friday, now=friday - timedelta(days=3))
    complete(appointment, at=friday + timedelta(hours=2))

    due = [m.due_at for m in messages_of(appointment, kind=Kind.TIP)]

    assert due == [
        datetime(2026, 10, 31, 14, 0, tzinfo=UTC),  # Saturday 10:00 EDT
        datetime(2026, 11, 2, 15, 0, tzinfo=UTC),  # Monday 10:00 EST
        datetime(2026, 11, 4, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 6, 15, 0, tzinfo=UTC),
    ]


def test_a_tip_time_in_quiet_hours_moves_to_the_next_morning(booked):
    MessagingSettings.objects.create(tip_time=time(22), quiet_hours_start=time(21), quiet_hours_end=time(8))

    complete(booked)

    first = messages_of(booked, kind=Kind.TIP)[0]
    assert first.due_at == datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # not 22:00 on the 8th


def test_a_tip_dispatched_late_at_night_waits_for_the_morning(session):
    # The workers were down all day: at 23:00 the first tip is overdue but it is quiet hours.
    assert dispatch_at(datetime(2026, 12, 8, 23, 0, tzinfo=UTC)) == []
    first = messages_of(session, kind=Kind.TIP)[0]
    assert (first.status, first.due_at, first.attempts) == (
        Status.QUEUED,
        datetime(2026, 12, 9, 8, 0, tzinfo=UTC),
        0,
    )

    (email,) = dispatch_at(datetime(2026, 12, 9, 8, 0, tzinfo=UTC))
    assert "Stretch gently" in email.body


def test_tips_stop_when_the_next_session_comes(session, therapist, service):
    dispatch_at(london_10(date(2026, 12, 8)))  # day 1
    book(
        session.client, therapist, service, start=datetime(2026, 12, 11, 10, 0, tzinfo=UTC), now=AFTER_SESSION
    )

    day_3 = dispatch_at(london_10(date(2026, 12, 10)))  # with the new booking's confirmation and reminder
    assert [e.subject for e in day_3 if e.subject.startswith("A tip")] == ["A tip from Riverside Massage"]
    assert dispatch_at(london_10(date(2026, 12, 12))) == []  # the next session was on the 11th

    statuses = [m.status for m in messages_of(session, kind=Kind.TIP)]
    assert statuses == [Status.SENT, Status.SENT, Status.SKIPPED, Status.QUEUED]
    assert dispatch_at(london_10(date(2026, 12, 14))) == []


@pytest.mark.parametrize(
    "caution", [{"pregnant": True}, {"recent_surgery_weeks": 8}], ids=["pregnancy C2", "surgery C4"]
)
def test_a_client_with_a_caution_gets_the_safe_variant(booked, caution):
    submit_intake(booked.client, **caution)
    complete(booked)

    (email,) = dispatch_at(london_10(date(2026, 12, 8)))

    assert CHECK_FIRST in email.body
    assert CHECK_FIRST in email.alternatives[0][0]
    assert "hamstrings, hips, lower back and piriformis" in email.body


@pytest.mark.parametrize(
    "red_flag",
    [{"bladder_bowel_change": True}, {"recent_fracture_unhealed": True}],
    ids=["emergency", "see a doctor"],
)
def test_nobody_with_an_open_red_flag_gets_exercise_advice(session, red_flag):
    submit_intake(session.client, **red_flag)

    assert dispatch_at(london_10(date(2026, 12, 8))) == []
    first = messages_of(session, kind=Kind.TIP)[0]
    assert first.status == Status.SKIPPED
    assert "red flag" in first.last_error


def test_a_red_flag_cleared_by_a_doctor_gets_the_safe_variant(session, front_desk_user):
    intake = submit_intake(session.client, recent_fracture_unhealed=True)
    with time_machine.travel(AFTER_SESSION, tick=False):
        clearance_record(
            intake=intake,
            doctor_name="Dr Rao",
            cleared_on=date(2026, 12, 7),
            note="",
            recorded_by=front_desk_user,
        )

    (email,) = dispatch_at(london_10(date(2026, 12, 8)))

    assert CHECK_FIRST in email.body


def test_tip_texts_are_the_admins_to_edit(session):
    Tip.objects.filter(day=1).update(
        title="Loosen up", body_text="Edited advice.", body_html="<p>Edited advice.</p>"
    )

    (email,) = dispatch_at(london_10(date(2026, 12, 8)))

    assert "Loosen up" in email.body and "Edited advice." in email.body
    assert "<p>Edited advice.</p>" in email.alternatives[0][0]


def test_a_tip_email_has_a_working_one_click_unsubscribe(session):
    (email,) = dispatch_at(london_10(date(2026, 12, 8)))
    link = email.extra_headers["List-Unsubscribe"].strip("<>")

    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body and link in email.alternatives[0][0]
    path = link.removeprefix("http://127.0.0.1:8000")
    # What a mail system's one-click does (RFC 8058): a POST with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert dispatch_at(london_10(date(2026, 12, 10))) == []
    assert [m.status for m in messages_of(session, kind=Kind.TIP)[1:]] == [Status.CANCELLED] * 3


def test_an_unsubscribed_client_gets_no_tips_after_their_next_session(session, client, therapist, service):
    (email,) = dispatch_at(london_10(date(2026, 12, 8)))
    client.post(email.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000"))
    later = book(
        session.client, therapist, service, start=datetime(2026, 12, 15, 10, 0, tzinfo=UTC), now=AFTER_SESSION
    )

    complete(later, at=datetime(2026, 12, 15, 12, 0, tzinfo=UTC))

    assert messages_of(later, kind=Kind.TIP) == []
