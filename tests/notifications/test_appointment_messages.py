from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from icalendar import Calendar

from bookings.errors import SlotUnavailable
from bookings.services import appointment_cancel, appointment_reschedule
from notifications.models import Message, MessagingSettings
from tests.factories import AppointmentFactory, UserFactory, nothing_new, submit_intake

from .conftest import MONDAY_10, NOW, book, dispatch_at, messages_of

Kind, Status = Message.Kind, Message.Status


def calendar_of(email):
    (part,) = [p for p in email.message().walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def test_booking_queues_a_confirmation_due_now_and_a_reminder_24_hours_before(booked):
    confirmation, reminder = messages_of(booked)

    assert (confirmation.kind, confirmation.due_at, confirmation.status) == (
        Kind.CONFIRMATION,
        NOW,
        Status.QUEUED,
    )
    assert (reminder.kind, reminder.due_at) == (Kind.REMINDER, MONDAY_10 - timedelta(hours=24))
    assert {confirmation.recipient, reminder.recipient} == {booked.client}


def test_the_confirmation_goes_at_the_next_dispatch_and_only_once(booked):
    first = dispatch_at(NOW + timedelta(minutes=1))
    again = dispatch_at(NOW + timedelta(minutes=2))

    assert [email.subject for email in first] == ["Your appointment on Monday 7 December"]
    assert again == []
    assert first[0].to == ["client@example.com"]
    assert messages_of(booked, kind=Kind.CONFIRMATION)[0].status == Status.SENT


def test_the_confirmation_has_the_details_the_links_and_no_clinical_detail_in_the_subject(booked, settings):
    settings.SITE_URL = "https://book.riverside.example"

    (email,) = dispatch_at(NOW + timedelta(minutes=1))

    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Monday 7 December at 10:00 (GMT)" in body
        assert "Deep tissue" in body and "Maya Patel" in body
        assert f"https://book.riverside.example/appointments/{booked.pk}/reschedule/" in body
        assert "https://book.riverside.example/appointments/" in body
    assert "Deep tissue" not in email.subject
    assert email.extra_headers["Message-ID"].endswith("@book.riverside.example>")


def test_the_calendar_invitation_carries_the_clinic_time_zone_a_stable_uid_and_method_request(
    clinic, service, therapist, client_user
):
    clinic.time_zone = "America/New_York"
    clinic.save()
    start = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 10:00 in New York
    booked = book(client_user, therapist, service, start=start)

    (email,) = dispatch_at(NOW + timedelta(minutes=1))
    part, calendar = calendar_of(email)

    raw = part.get_payload(decode=True).decode()
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert "DTSTART;TZID=America/New_York:20261207T100000" in raw
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"appointment-{booked.pk}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == start
    assert "Subject: Your appointment on Monday 7 December" in email.message().as_string()


def test_the_reminder_goes_24_hours_before_and_not_earlier(booked):
    dispatch_at(NOW)  # the confirmation
    due = MONDAY_10 - timedelta(hours=24)

    assert dispatch_at(due - timedelta(minutes=1)) == []
    (reminder,) = dispatch_at(due)

    assert reminder.subject == "Reminder: your appointment on Monday 7 December"
    # 24 hours before, the 24-hour window has closed: no link that would only be refused.
    assert f"/appointments/{booked.pk}/reschedule/" not in reminder.body
    assert "so it can't be changed or cancelled online" in reminder.body
    assert dispatch_at(due + timedelta(minutes=5)) == []


def test_the_reminder_hours_are_the_clinics_setting(clinic, service, therapist, client_user):
    MessagingSettings.objects.create(reminder_hours_before=48)

    appointment = book(client_user, therapist, service)

    assert messages_of(appointment, kind=Kind.REMINDER)[0].due_at == MONDAY_10 - timedelta(hours=48)


def test_a_booking_inside_the_reminder_window_gets_the_confirmation_only(
    clinic, service, therapist, client_user
):
    appointment = book(client_user, therapist, service, now=MONDAY_10 - timedelta(hours=20))

    assert [m.kind for m in messages_of(appointment)] == [Kind.CONFIRMATION]


def test_a_refused_booking_writes_no_message(clinic, service, therapist, client_user):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable):
        book(client_user, therapist, service)

    assert not Message.objects.exists()


def test_the_same_message_cannot_be_written_twice(booked):
    confirmation = messages_of(booked, kind=Kind.CONFIRMATION)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            kind=Kind.CONFIRMATION,
            recipient=booked.client,
            appointment=booked,
            due_at=NOW,
            dedupe_key=confirmation.dedupe_key,
        )


def test_moving_re_times_the_reminder_and_sends_a_moved_note_with_the_next_sequence(booked, front_desk_user):
    dispatch_at(NOW)  # the confirmation has gone
    tuesday_11 = MONDAY_10 + timedelta(days=1, hours=1)

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        appointment_reschedule(
            appointment=booked, start=tuesday_11, by=booked.client, red_flags=nothing_new()
        )

    reminders = messages_of(booked, kind=Kind.REMINDER)
    assert [(r.status, r.due_at) for r in reminders] == [
        (Status.CANCELLED, MONDAY_10 - timedelta(hours=24)),
        (Status.QUEUED, tuesday_11 - timedelta(hours=24)),
    ]
    (note,) = dispatch_at(NOW + timedelta(hours=1, minutes=1))
    assert note.subject == "Your appointment has moved to Tuesday 8 December"
    assert "Tuesday 8 December at 11:00 (GMT)" in note.body
    _, calendar = calendar_of(note)
    (event,) = calendar.walk("VEVENT")
    assert (calendar["METHOD"], event["SEQUENCE"]) == ("REQUEST", 1)
    assert event["UID"] == f"appointment-{booked.pk}@127.0.0.1"
    # No reminder at the old time; one at the new.
    assert dispatch_at(MONDAY_10 - timedelta(hours=24)) == []
    (reminder,) = dispatch_at(tuesday_11 - timedelta(hours=24))
    assert "Tuesday 8 December" in reminder.subject


def test_moving_before_the_confirmation_went_sends_one_confirmation_with_the_new_time(booked):
    tuesday_11 = MONDAY_10 + timedelta(days=1, hours=1)
    with time_machine.travel(NOW, tick=False):
        appointment_reschedule(
            appointment=booked, start=tuesday_11, by=booked.client, red_flags=nothing_new()
        )

    sent = dispatch_at(NOW + timedelta(minutes=1))

    assert [email.subject for email in sent] == ["Your appointment on Tuesday 8 December"]


def test_cancelling_cancels_pending_messages_and_sends_a_calendar_cancellation(booked):
    dispatch_at(NOW)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        appointment_cancel(appointment=booked, by=booked.client)

    assert messages_of(booked, kind=Kind.REMINDER)[0].status == Status.CANCELLED
    (note,) = dispatch_at(NOW + timedelta(hours=1, minutes=1))
    assert note.subject == "Your appointment on Monday 7 December is cancelled"
    part, calendar = calendar_of(note)
    (event,) = calendar.walk("VEVENT")
    assert part.get_param("method") == "CANCEL"
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    assert event["UID"] == f"appointment-{booked.pk}@127.0.0.1"
    assert dispatch_at(MONDAY_10 - timedelta(hours=24)) == []


def test_a_confirmation_for_an_appointment_cancelled_meanwhile_is_skipped_not_sent(booked):
    # The backstop: even a queued confirmation that escaped cancellation is checked when sent.
    booked.status = booked.Status.CANCELLED
    booked.save()

    assert dispatch_at(NOW + timedelta(minutes=1)) == []
    confirmation = messages_of(booked, kind=Kind.CONFIRMATION)[0]
    assert (confirmation.status, confirmation.last_error) == (
        Status.SKIPPED,
        "The appointment is no longer booked.",
    )


def test_each_client_gets_their_own_messages(clinic, service, therapist, client_user):
    other = UserFactory(email="other@example.com")
    submit_intake(other)
    book(client_user, therapist, service)
    book(other, therapist, service, start=MONDAY_10 + timedelta(hours=2))

    sent = dispatch_at(NOW + timedelta(minutes=1))

    assert sorted(email.to[0] for email in sent) == ["client@example.com", "other@example.com"]
