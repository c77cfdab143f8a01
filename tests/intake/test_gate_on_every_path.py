"""A red flag on record holds on every path that creates or moves an appointment, even after the
client has answered everything again with "no"."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bookings.errors import IntakeRequired
from bookings.models import Appointment
from care.models import Series
from care.services import series_book
from tests.api.conftest import ApiClient
from tests.factories import (
    AppointmentFactory,
    UserFactory,
    clear_answers,
    nothing_new,
    recheck_form_data,
    submit_intake,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_14 = "2026-12-07T14:00Z"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(params=[{"saddle_numbness": True}, {"known_blood_clot": True}], ids=["A&E", "see a doctor"])
def talked_away(request, clinic, service, therapist):
    """A client with a red flag two days ago who has since answered everything "no", with an
    appointment the desk put in by hand since (as if made before the rule)."""
    client = UserFactory()
    submit_intake(client, at=NOW - timedelta(days=2), **request.param)
    submit_intake(client, at=NOW - timedelta(days=1))
    appointment = AppointmentFactory(client=client, therapist=therapist, service=service, start=MONDAY_10)
    return client, appointment


def _booked_on_monday_afternoon(client):
    return Appointment.objects.filter(client=client, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC)).exists()


def test_the_booking_page(talked_away, service, therapist):
    client, _ = talked_away
    browser = Client()
    browser.force_login(client)

    response = browser.post(
        f"{reverse('book_confirm')}?service={service.pk}&therapist={therapist.pk}&start={MONDAY_14}",
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_14, **recheck_form_data()},
    )

    assert response["Location"] == reverse("intake_result")
    assert not _booked_on_monday_afternoon(client)


def test_the_client_move_page(talked_away, therapist):
    client, appointment = talked_away
    browser = Client()
    browser.force_login(client)

    response = browser.post(
        reverse("appointment_reschedule", args=[appointment.pk]),
        {"therapist": therapist.pk, "start": MONDAY_14, **recheck_form_data()},
    )

    assert response["Location"] == reverse("intake_result")
    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10


def test_the_api_booking_and_move(talked_away, service, therapist):
    client, appointment = talked_away
    api = ApiClient()
    api.browser.force_login(client)

    again = api.post("/intake", {"answers": clear_answers(), "consent": True})
    booked = api.post(
        "/appointments",
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_14, "red_flags": nothing_new()},
    )
    moved = api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
    )

    assert again.json()["can_book"] is False
    assert (booked.status_code, moved.status_code) == (403, 403)
    assert not _booked_on_monday_afternoon(client)


def test_the_desk_booking_and_move(talked_away, front_desk_user, service, therapist):
    client, appointment = talked_away
    desk = Client()
    desk.force_login(front_desk_user)

    booked = desk.post(
        reverse("workspace:client_book_confirm", args=[client.pk]),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_14, **recheck_form_data()},
    )
    moved = desk.post(
        reverse("workspace:appointment_move", args=[appointment.pk]),
        {"therapist": therapist.pk, "start": MONDAY_14, **recheck_form_data()},
    )

    assert "do not treat" in booked.content.decode()
    assert "do not treat" in moved.content.decode()
    assert not _booked_on_monday_afternoon(client)
    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10


@pytest.mark.parametrize("by", ["client", "front_desk"])
def test_a_series_booked_by_the_client_or_the_desk(talked_away, front_desk_user, service, therapist, by):
    client, _ = talked_away
    mondays = [MONDAY_10 + timedelta(weeks=week, hours=4) for week in range(3)]

    with pytest.raises(IntakeRequired):
        series_book(
            client=client,
            therapist=therapist,
            service=service,
            starts=mondays,
            booked_by=client if by == "client" else front_desk_user,
            red_flags=nothing_new(),
        )

    assert not Series.objects.exists()
    assert not _booked_on_monday_afternoon(client)


def test_a_phone_intake_of_all_no_taken_by_the_desk_does_not_lift_it(talked_away, front_desk_user):
    from tests.workspace.data import intake_form_data

    client, _ = talked_away
    desk = Client()
    desk.force_login(front_desk_user)

    desk.post(reverse("workspace:client_intake", args=[client.pk]), intake_form_data())
    page = desk.get(reverse("workspace:client_book", args=[client.pk])).content.decode()

    assert client.intakes.first().outcome == "CLEAR"  # the new intake itself is clear...
    assert "Read this to the caller" in page  # ...but the block on record still stands
    assert "/book/confirm/" not in page


def test_a_red_flag_older_than_the_intakes_validity_still_blocks_booking(clinic, service, therapist):
    client = UserFactory()
    submit_intake(client, at=NOW - timedelta(days=200), both_legs=True)
    submit_intake(client, at=NOW - timedelta(days=1))
    api = ApiClient()
    api.browser.force_login(client)

    booked = api.post(
        "/appointments",
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_14, "red_flags": nothing_new()},
    )

    assert (booked.status_code, booked.json()["outcome"]) == (403, "EMERGENCY")
    assert not _booked_on_monday_afternoon(client)
