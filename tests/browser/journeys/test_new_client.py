"""A new client signs up, fills in a clear intake, books "anyone", gets the confirmation with its
calendar invitation, then moves the appointment and cancels it."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db.models import F
from icalendar import Calendar
from playwright.sync_api import Page, expect

from bookings.models import Appointment, Clinic
from intake.models import Intake
from notifications.dispatch import messages_dispatch_due
from tests.factories import AppointmentFactory, ClinicFactory, ServiceFactory, TherapistFactory

from .conftest import Journey
from .steps import (
    answer_nothing_new,
    answer_the_intake,
    at,
    free_times,
    free_times_of,
    long_date,
    menu_link,
    weekday_ahead,
)

pytestmark = pytest.mark.browser

PRIYA = {
    "First name": "Priya",
    "Last name": "Shah",
    "Email": "priya@example.com",
    "Phone": "07700 900789",
    "Password": "a-long-enough-secret",
}


def a_clinic_where_maya_is_busier_than_tom() -> tuple[Clinic, date]:
    """Two therapists for deep tissue; on a weekday two days ahead Maya already has a client at
    14:00, so the clinic gives "anyone" at 10:00 to Tom, who has fewer bookings that day."""
    clinic = ClinicFactory(address="1 River Street, London", emergency_number="999")
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    maya = TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")
    TherapistFactory(services=[service], user__first_name="Tom", user__last_name="Reed")
    day = weekday_ahead(clinic)
    AppointmentFactory(therapist=maya, service=service, start=at(clinic, day, 14))
    return clinic, day


def sent_to_priya(subject: str) -> mail.EmailMessage:
    messages_dispatch_due()  # what beat's dispatcher does every minute, here in the test's process
    (email,) = [e for e in mail.outbox if e.to == [PRIYA["Email"]] and e.subject == subject]
    return email


def invitation(email: mail.EmailMessage) -> Calendar:
    (part,) = [p for p in email.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "appointment.ics"
    return Calendar.from_ical(part.get_payload(decode=True))


def assert_invites_to(calendar: Calendar, start: datetime, *, method: str) -> None:
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == method
    assert event["DTSTART"].params["TZID"] == "Europe/London"  # the clinic's wall-clock time
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=60)
    assert str(event["ATTENDEE"]) == f"mailto:{PRIYA['Email']}"


def choose_a_day_and_a_time(journey: Journey, page: Page, day: date) -> None:
    """From the home page to 10:00 on `day`, with "anyone": each free time shown once, no names."""
    page.goto("/")
    journey.step(page, "home")
    page.get_by_role("link", name="Book Deep tissue").click()
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    journey.step(page, "first-free-day")
    expect(page.get_by_label("Therapist")).to_have_value("any")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    times = free_times(page, day)
    journey.step(page, "free-times")
    assert "10:00" in times and "14:00" in times
    assert len(times) == len(set(times)), times  # two therapists free, each time once
    expect(free_times_of(page, day)).not_to_contain_text("Maya Patel")
    expect(free_times_of(page, day)).not_to_contain_text("Tom Reed")
    page.get_by_role("link", name="10:00", exact=True).click()


def sign_up_and_answer_the_intake(journey: Journey, page: Page) -> None:
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    journey.step(page, "sign-up")
    for label, value in PRIYA.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your health questionnaire")).to_be_visible()
    journey.step(page, "intake")
    answer_the_intake(page)
    page.get_by_role("button", name="Send my answers").click()


def confirm_the_booking(journey: Journey, page: Page, day: date) -> None:
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("The first free therapist")
    expect(main).to_contain_text(f"{long_date(day)} {day.year} at 10:00")
    expect(main).to_contain_text("Go to A&E or call 999 if you get")
    # Minutes after the full intake the red-flag questions are not asked again.
    expect(page.get_by_text("Since your intake, have you had any of these?")).to_have_count(0)
    journey.step(page, "confirm")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="You're booked in")).to_be_visible()
    expect(main).to_contain_text("Tom Reed")  # the clinic's pick, named once booked
    expect(main).to_contain_text(f"{long_date(day)} {day.year} at 10:00")
    journey.step(page, "booked")


def move_to_three_oclock(journey: Journey, page: Page, day: date) -> None:
    menu_link(page, "My appointments").click()
    expect(page.get_by_role("heading", name="My appointments")).to_be_visible()
    journey.step(page, "my-appointments")
    page.get_by_role("link", name="Reschedule", exact=True).click()
    expect(page.get_by_role("heading", name="Move your appointment")).to_be_visible()
    assert "15:00" in free_times(page, day)
    journey.step(page, "move-free-times")
    page.get_by_role("link", name="15:00 with Tom Reed").click()
    check = page.get_by_role("group", name="Since your intake, have you had any of these?")
    expect(check).to_be_visible()  # a day after the intake the re-check is due again
    journey.step(page, "move-confirm")
    answer_nothing_new(check)
    page.get_by_role("button", name="Move my appointment").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Your Deep tissue appointment is now on {long_date(day)} at 15:00 with Tom Reed."
    )
    journey.step(page, "moved")


def cancel(journey: Journey, page: Page, day: date) -> None:
    page.get_by_role("link", name="Cancel", exact=True).click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    journey.step(page, "cancel")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Your Deep tissue appointment on {long_date(day)} at 15:00 is cancelled."
    )
    expect(page.get_by_text("You have no upcoming appointments.")).to_be_visible()
    journey.step(page, "cancelled")


def test_a_new_client_books_anyone_gets_the_invitation_then_moves_and_cancels(journey: Journey):
    clinic, day = a_clinic_where_maya_is_busier_than_tom()
    page = journey.person()

    choose_a_day_and_a_time(journey, page, day)
    sign_up_and_answer_the_intake(journey, page)
    confirm_the_booking(journey, page, day)

    appointment = Appointment.objects.get(client__email=PRIYA["Email"])
    assert (appointment.therapist.name, appointment.start) == ("Tom Reed", at(clinic, day, 10))
    assert Intake.objects.get(client=appointment.client).outcome == "CLEAR"
    confirmation = sent_to_priya(f"Your appointment on {long_date(day)}")
    assert_invites_to(invitation(confirmation), at(clinic, day, 10), method="REQUEST")

    # She comes back the next day: the re-check is skipped only within 12 hours of a full intake.
    Intake.objects.filter(client=appointment.client).update(created_at=F("created_at") - timedelta(days=1))
    move_to_three_oclock(journey, page, day)
    moved = sent_to_priya(f"Your appointment has moved to {long_date(day)}")
    assert_invites_to(invitation(moved), at(clinic, day, 15), method="REQUEST")

    cancel(journey, page, day)
    cancelled = sent_to_priya(f"Your appointment on {long_date(day)} is cancelled")
    assert_invites_to(invitation(cancelled), at(clinic, day, 15), method="CANCEL")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
