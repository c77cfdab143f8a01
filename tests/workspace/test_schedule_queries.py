"""The front desk's day and week of the schedule cost the same queries however busy the clinic.

Each page is rendered for one therapist with three bookings and for eight therapists with sixty
bookings across the week (each with their own client, with or without an intake, each therapist
with time off): a query per therapist, booking, client or day would make the busier week cost more.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.models import Closure, TimeOff
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory, UserFactory, submit_intake

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)

# Session and user, the clinic (view and context processor), the schedule's five reads
# (workspace.schedule._read: appointments with their outcome, therapists, hours, time off,
# closures), and the role checks of the page, its staff menu and its sub-menu: the user's groups,
# read once for the request (accounts.roles), and whether they are a therapist. Each page costs
# the same whatever the week holds.
SCHEDULE_PAGE_FRONT_DESK = 11
SCHEDULE_PAGE_ADMIN = 11

SIZES = [pytest.param((1, 3), id="one-therapist"), pytest.param((8, 60), id="eight-therapists")]


@pytest.fixture(params=SIZES)
def week(request, clinic):
    """The week's appointments (not cancelled), Monday to Saturday."""
    therapist_count, booking_count = request.param
    service = ServiceFactory(name="Deep tissue")
    shorter = ServiceFactory(name="Swedish", duration_minutes=30)
    therapists = [TherapistFactory(services=[service, shorter]) for _ in range(therapist_count)]
    for each in therapists:
        TimeOff.objects.create(
            therapist=each,
            start=MONDAY + timedelta(days=2, hours=14),
            end=MONDAY + timedelta(days=2, hours=16),
        )
    Closure.objects.create(date=date(2026, 12, 13), reason="Staff training")
    appointments = []
    for number in range(booking_count):
        client = UserFactory()
        if number % 3 == 1:
            submit_intake(client)
        elif number % 3 == 2:
            submit_intake(client, anticoagulants=True)  # a caution
        # Round the therapists, then Monday to Saturday at 09:00, then at 11:00.
        nth = number // therapist_count
        appointments.append(
            AppointmentFactory(
                client=client,
                therapist=therapists[number % therapist_count],
                service=shorter if number % 2 else service,
                start=MONDAY + timedelta(days=nth % 6, hours=9 + 2 * (nth // 6)),
            )
        )
    return appointments


def appointment_links(response, appointments):
    page = response.content.decode()
    return [each for each in appointments if reverse("workspace:appointment", args=[each.pk]) in page]


@pytest.fixture(params=["front_desk", "admin"])
def queries_per_page(request, client, front_desk_user, clinic_admin):
    """Sign in a keeper of the schedule (front desk, admin): what each page costs them."""
    if request.param == "admin":
        client.force_login(clinic_admin)
        return SCHEDULE_PAGE_ADMIN
    client.force_login(front_desk_user)
    return SCHEDULE_PAGE_FRONT_DESK


def test_the_week_view_costs_the_same_queries_for_eight_therapists_as_for_one(
    client, week, queries_per_page, django_assert_num_queries
):
    with django_assert_num_queries(queries_per_page):
        response = client.get(reverse("workspace:schedule_week"), {"date": "2026-12-09"})

    assert appointment_links(response, week) == week


def test_the_day_view_costs_the_same_queries_for_eight_therapists_as_for_one(
    client, week, queries_per_page, django_assert_num_queries
):
    monday = [each for each in week if each.start.date() == MONDAY.date()]

    with django_assert_num_queries(queries_per_page):
        response = client.get(reverse("workspace:schedule_day"), {"date": "2026-12-07"})

    assert appointment_links(response, week) == monday
