"""The change window is shown truthfully: before booking, on the confirmation, My appointments, emails.

The clinic (tests.factories.ClinicFactory): 2 hours' minimum notice, a 24-hour cancellation window.
"""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from bookings.change_window import change_window
from bookings.errors import CancellationWindowClosed
from bookings.models import Appointment
from bookings.services import appointment_book, appointment_cancel
from tests.factories import AppointmentFactory
from tests.notifications.conftest import dispatch_at

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # Friday noon; London is on UTC in December
TOMORROW_9 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # inside the window from the moment it's booked
TOMORROW_9_PARAM = "2026-12-05T09:00Z"
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_10_PARAM = "2026-12-07T10:00Z"
CLINIC_PHONE = "020 7946 0000"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    return client


def text(response):
    """The page as read: without tags, whitespace collapsed (links stay in, for the asserts on them)."""
    html = response.content.decode()
    links = " ".join(re.findall(r'href="[^"]*"', html))
    return unescape(" ".join(re.sub(r"<[^>]+>", "", html).split())) + " " + links


def confirm_url(service, start):
    return f"{reverse('book_confirm')}?service={service.pk}&therapist=any&start={start}"


def test_the_confirm_page_says_until_when_it_can_be_changed_online(logged_in, clinic, service, therapist):
    page = text(logged_in.get(confirm_url(service, MONDAY_10_PARAM)))

    assert "You can change or cancel online until Sun 6 Dec, 10:00." in page


def test_the_confirm_page_says_a_booking_inside_the_window_can_only_be_changed_by_phone(
    logged_in, clinic, service, therapist
):
    page = text(logged_in.get(confirm_url(service, TOMORROW_9_PARAM)))

    assert (
        "This appointment is inside our 24-hour window: once booked, changes are by phone only "
        f"({CLINIC_PHONE})." in page
    )
    assert "change or cancel online until" not in page
    assert "Confirm booking" in page  # it can still be booked


def test_the_confirmation_of_a_booking_inside_the_window_gives_the_phone_not_a_past_deadline(
    logged_in, clinic, service, therapist
):
    response = logged_in.post(
        confirm_url(service, TOMORROW_9_PARAM),
        {"service": service.pk, "therapist": "any", "start": TOMORROW_9_PARAM},
        follow=True,
    )

    page = text(response)
    assert "You're booked in" in page
    assert "It starts within our 24-hour window, so it can't be changed or cancelled online." in page
    assert f"please call us on {CLINIC_PHONE}" in page
    assert "until Friday 4 December" not in page  # the deadline that had passed before it was booked


def test_the_confirmation_outside_the_window_says_until_when(logged_in, clinic, service, therapist):
    response = logged_in.post(
        confirm_url(service, MONDAY_10_PARAM),
        {"service": service.pk, "therapist": "any", "start": MONDAY_10_PARAM},
        follow=True,
    )

    assert "until Sunday 6 December, 10:00" in text(response)


def test_my_appointments_offers_changes_only_where_they_will_work(
    logged_in, client_user, clinic, service, therapist
):
    soon = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=TOMORROW_9)
    later = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    page = text(logged_in.get(reverse("my_appointments")))

    assert reverse("appointment_reschedule", args=[later.pk]) in page
    assert reverse("appointment_cancel", args=[later.pk]) in page
    assert "You can cancel or move it online until Sunday 6 December, 10:00." in page
    assert reverse("appointment_reschedule", args=[soon.pk]) not in page
    assert reverse("appointment_cancel", args=[soon.pk]) not in page
    assert "It starts within our 24-hour window, so it can't be changed online." in page
    assert f'href="tel:{CLINIC_PHONE}"' in page


def test_the_cancel_and_move_pages_inside_the_window_offer_the_phone_not_a_button(
    logged_in, client_user, clinic, service, therapist
):
    soon = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=TOMORROW_9)

    cancel = text(logged_in.get(reverse("appointment_cancel", args=[soon.pk])))
    move = logged_in.get(reverse("appointment_reschedule", args=[soon.pk]))

    assert "Yes, cancel it" not in cancel
    assert "so it can't be cancelled online. Please call us on 020 7946 0000." in cancel
    assert "so it can't be moved online. Please call us on 020 7946 0000." in text(move)
    assert "slots" not in move.context and "Move my appointment" not in text(move)


def test_the_pages_and_the_service_draw_the_line_at_the_same_moment(client_user, clinic, service, therapist):
    appointment = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10
    )
    closes = MONDAY_10 - timedelta(hours=24)

    assert change_window(start=MONDAY_10, clinic=clinic, now=closes - timedelta(seconds=1)).is_open
    assert not change_window(start=MONDAY_10, clinic=clinic, now=closes).is_open
    with pytest.raises(CancellationWindowClosed):
        appointment_cancel(appointment=appointment, by=client_user, now=closes)
    cancelled = appointment_cancel(appointment=appointment, by=client_user, now=closes - timedelta(seconds=1))
    assert cancelled.status == Appointment.Status.CANCELLED


def test_the_confirmation_email_inside_the_window_says_changes_are_by_phone(
    client_user, clinic, service, therapist
):
    booked = appointment_book(client=client_user, therapist=None, service=service, start=TOMORROW_9)

    (email,) = dispatch_at(NOW + timedelta(minutes=1))

    html = email.alternatives[0][0]
    for body in (email.body, unescape(html)):
        assert "It starts within our 24-hour window, so it can't be changed or cancelled online." in body
        assert f"please call us on {CLINIC_PHONE}" in body
        assert f"/appointments/{booked.pk}/reschedule/" not in body
        assert "Maya Patel" in body  # "anyone" was booked: the email names who


def test_the_confirmation_email_outside_the_window_says_until_when(client_user, clinic, service, therapist):
    booked = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    (email,) = dispatch_at(NOW + timedelta(minutes=1))

    assert "You can change or cancel it online until Sunday 6 December at 10:00" in email.body
    assert f"/appointments/{booked.pk}/reschedule/" in email.body
