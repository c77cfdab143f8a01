"""The client's pages where they pick a time cost the same queries however busy the clinic.

Each page is rendered for one therapist with three bookings and for eight therapists with sixty
bookings across the week, and must cost exactly the same number of queries: a query per
therapist, per booking, per client or per day would make the busier clinic cost more.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from bookings.models import Appointment, Service, Therapist
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday morning; London is on UTC in December
MONDAY = datetime(2026, 12, 7, tzinfo=UTC)

# One bookings.availability.free_slots read, the clinic passed in. Each page reads free times
# twice: on the day shown, and after it for the next day with free times.
FREE_SLOTS = 3
# Clinic (view and context processor), therapists and their services (the form), the chosen
# service, the services listed: for a visitor, who has no session, standing or staff menu.
BOOKING_PAGE_VISITOR = 6 + 2 * FREE_SLOTS
# Plus session and user, the client's standing (clinic, intakes), the menu's role checks (the
# user's groups, read once for the request, and whether they are a therapist).
BOOKING_PAGE_CLIENT = 12 + 2 * FREE_SLOTS
BOOKING_PAGE_NAMED_THERAPIST = BOOKING_PAGE_CLIENT + 1  # the therapists' names on the buttons
# Session, user, the appointment, clinic (view and context processor), intakes (the gate, re-check
# due?), therapists and their services (the form), their names, the menu's role checks (groups
# once, therapist profile).
RESCHEDULE_PAGE = 12 + 2 * FREE_SLOTS
RESCHEDULE_PAGE_ANYONE = RESCHEDULE_PAGE + 1  # each therapist's bookings that day, to pick who

SIZES = [pytest.param((1, 3), id="one-therapist"), pytest.param((8, 60), id="eight-therapists")]


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class BusyWeek:
    service: Service
    therapists: list[Therapist]
    client: User
    appointment: Appointment  # the client's, on Tuesday at 16:00 with the first therapist


@pytest.fixture(params=SIZES)
def week(request, clinic, client_user):
    therapist_count, booking_count = request.param
    service = ServiceFactory(name="Deep tissue")
    shorter = ServiceFactory(name="Swedish", duration_minutes=30)
    therapists = [TherapistFactory(services=[service, shorter]) for _ in range(therapist_count)]
    for number in range(booking_count):
        # Round the therapists, then Monday to Saturday at 09:00, then at 11:00; each a new client.
        nth = number // therapist_count
        AppointmentFactory(
            therapist=therapists[number % therapist_count],
            service=shorter if number % 3 == 0 else service,
            start=MONDAY + timedelta(days=nth % 6, hours=9 + 2 * (nth // 6)),
        )
    appointment = AppointmentFactory(
        client=client_user,
        therapist=therapists[0],
        service=service,
        start=MONDAY + timedelta(days=1, hours=16),
    )
    return BusyWeek(service=service, therapists=therapists, client=client_user, appointment=appointment)


def slot_count(response):
    return response.content.decode().count('class="btn btn-outline-success slot"')


def test_the_booking_page_costs_a_visitor_the_same_queries_for_eight_therapists_as_for_one(
    client, week, django_assert_num_queries
):
    with django_assert_num_queries(BOOKING_PAGE_VISITOR):
        response = client.get(
            reverse("book"), {"service": week.service.pk, "therapist": "any", "date": "2026-12-07"}
        )

    assert slot_count(response) > 0


def test_the_booking_page_costs_a_client_the_same_queries_for_eight_therapists_as_for_one(
    client, week, django_assert_num_queries
):
    client.force_login(week.client)

    with django_assert_num_queries(BOOKING_PAGE_CLIENT):
        response = client.get(reverse("book"), {"service": week.service.pk, "therapist": "any"})

    assert slot_count(response) > 0


def test_the_booking_page_for_a_named_therapist_costs_the_same_queries_however_busy_the_clinic(
    client, week, django_assert_num_queries
):
    client.force_login(week.client)
    therapist = week.therapists[-1]

    with django_assert_num_queries(BOOKING_PAGE_NAMED_THERAPIST):
        response = client.get(
            reverse("book"), {"service": week.service.pk, "therapist": therapist.pk, "date": "2026-12-07"}
        )

    assert slot_count(response) > 0
    assert f"with {therapist.name}" in unescape(response.content.decode())


def test_the_reschedule_page_costs_the_same_queries_for_eight_therapists_as_for_one(
    client, week, django_assert_num_queries
):
    client.force_login(week.client)

    with django_assert_num_queries(RESCHEDULE_PAGE):
        response = client.get(reverse("appointment_reschedule", args=[week.appointment.pk]))

    assert slot_count(response) > 0


def test_the_reschedule_page_with_anyone_costs_the_same_queries_for_eight_therapists_as_for_one(
    client, week, django_assert_num_queries
):
    client.force_login(week.client)

    with django_assert_num_queries(RESCHEDULE_PAGE_ANYONE):
        response = client.get(
            reverse("appointment_reschedule", args=[week.appointment.pk]),
            {"therapist": "any", "date": "2026-12-09"},
        )

    assert slot_count(response) > 0
