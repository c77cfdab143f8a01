import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Closure, TimeOff, WorkingHours
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory
from workspace.report import clinic_report

MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=UTC)  # London is on UTC in December


@pytest.fixture
def quick(db):
    return ServiceFactory(name="Quick back", duration_minutes=30)


@pytest.fixture
def known_week(clinic, service, quick, therapist, other_therapist):
    """Both therapists work Monday to Saturday, 09:00-13:00 and 14:00-18:00 (8 hours a day)."""
    for start, therapist_, service_, status in [
        (at(MONDAY, 10), therapist, service, "completed"),
        (at(MONDAY, 14), therapist, service, "no_show"),
        (at(TUESDAY, 10), therapist, quick, "booked"),
        (at(TUESDAY, 11), therapist, service, "cancelled"),
        (at(MONDAY, 9), other_therapist, quick, "completed"),
        (at(date(2026, 12, 9), 10), other_therapist, service, "completed"),  # Wednesday: outside the period
        (at(date(2026, 12, 6), 10), other_therapist, service, "completed"),  # Sunday before: outside
    ]:
        AppointmentFactory(start=start, therapist=therapist_, service=service_, status=status)
    # Olu is away Tuesday morning; the two overlapping entries count once.
    TimeOff.objects.create(therapist=other_therapist, start=at(TUESDAY, 9), end=at(TUESDAY, 13))
    TimeOff.objects.create(therapist=other_therapist, start=at(TUESDAY, 12), end=at(TUESDAY, 14))


def test_report_figures_on_a_known_week(clinic, known_week, therapist, other_therapist, service, quick):
    report = clinic_report(first=MONDAY, last=TUESDAY, clinic=clinic)

    maya, olu = report.therapists
    assert maya.therapist == therapist and olu.therapist == other_therapist
    assert (
        maya.counts.appointments,
        maya.counts.completed,
        maya.counts.no_shows,
        maya.counts.cancellations,
    ) == (3, 1, 1, 1)
    assert (maya.booked_minutes, maya.working_minutes) == (150, 960)
    assert round(maya.utilisation, 4) == 0.1562
    assert (olu.counts.appointments, olu.counts.completed, olu.counts.cancellations) == (1, 1, 0)
    assert (olu.booked_minutes, olu.working_minutes) == (30, 720)
    by_service = {figures.service: figures.counts for figures in report.services}
    assert (
        by_service[service].appointments,
        by_service[service].cancellations,
        by_service[service].no_shows,
    ) == (2, 1, 1)
    assert (by_service[quick].appointments, by_service[quick].completed) == (2, 1)
    assert (report.totals.appointments, report.totals.cancellations, report.totals.no_shows) == (4, 1, 1)
    assert (report.booked_minutes, report.working_minutes) == (180, 1680)


def test_a_closure_takes_the_day_out_of_working_time(clinic, known_week):
    Closure.objects.create(date=TUESDAY)

    maya, olu = clinic_report(first=MONDAY, last=TUESDAY, clinic=clinic).therapists

    assert (maya.working_minutes, olu.working_minutes) == (480, 480)


def test_the_period_is_made_of_the_clinics_local_dates(clinic, service, therapist):
    clinic.time_zone = "Pacific/Auckland"  # UTC+13 in December
    clinic.save()
    monday_9_local = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    AppointmentFactory(start=monday_9_local, therapist=therapist, service=service, status="completed")

    monday = clinic_report(first=MONDAY, last=MONDAY, clinic=clinic)
    sunday = clinic_report(first=date(2026, 12, 6), last=date(2026, 12, 6), clinic=clinic)

    assert (monday.totals.appointments, monday.therapists[0].working_minutes) == (1, 480)
    assert (sunday.totals.appointments, sunday.therapists[0].working_minutes) == (0, 0)


def test_working_minutes_on_the_day_the_clocks_go_forward_are_the_real_minutes(clinic, service):
    sunday = date(2026, 3, 29)  # London skips 01:00-02:00
    therapist = TherapistFactory(services=[service], weekly_hours=[])
    WorkingHours.objects.create(
        therapist=therapist, weekday=sunday.weekday(), start_time=time(0, 30), end_time=time(3)
    )

    figures = clinic_report(first=sunday, last=sunday, clinic=clinic).therapists

    assert [each.working_minutes for each in figures] == [90]  # 00:30 GMT to 03:00 BST
    week_before = clinic_report(
        first=sunday - timedelta(days=7), last=sunday - timedelta(days=7), clinic=clinic
    )
    assert [each.working_minutes for each in week_before.therapists] == [150]


def test_the_report_reads_a_fixed_number_of_queries(clinic, service, quick, therapist):
    AppointmentFactory(start=at(MONDAY, 10), therapist=therapist, service=service)
    with CaptureQueriesContext(connection) as small:
        clinic_report(first=MONDAY, last=MONDAY, clinic=clinic)

    for index in range(3):
        extra = TherapistFactory(services=[service, quick])
        TimeOff.objects.create(therapist=extra, start=at(MONDAY, 9), end=at(MONDAY, 10))
        for day in range(0, 28, 3):
            AppointmentFactory(
                start=at(MONDAY, 11 + index) + timedelta(days=day), therapist=extra, service=quick
            )
    Closure.objects.create(date=TUESDAY)
    with CaptureQueriesContext(connection) as large:
        report = clinic_report(first=MONDAY, last=MONDAY + timedelta(days=30), clinic=clinic)

    assert report.totals.appointments == 31
    assert len(large.captured_queries) == len(small.captured_queries) <= 6


def test_the_report_page_shows_the_figures_for_the_chosen_period(client, front_desk_user, known_week):
    client.force_login(front_desk_user)

    response = client.get(reverse("workspace:report"), {"first": "2026-12-07", "last": "2026-12-08"})

    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert "Maya Patel 3 1 1 1 2 h 30 min 16 h 00 min 15.6%" in page
    assert "Olu Other 1 1 0 0 30 min 12 h 00 min 4.2%" in page


def test_a_period_that_ends_before_it_starts_is_refused_on_the_field(client, front_desk_user, clinic):
    client.force_login(front_desk_user)

    response = client.get(reverse("workspace:report"), {"first": "2026-12-08", "last": "2026-12-07"})

    assert response.context["form"].errors["last"] == ["The period must end on or after its first day."]
    assert response.context["report"] is None
