from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.availability import free_slots
from bookings.models import Appointment, Closure, TimeOff, WorkingHours
from tests.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    completed_sessions,
)
from tests.plans import rows_read

# A Monday in winter (UTC+0 in London).
MONDAY = date(2026, 12, 7)
MORNING_BEFORE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def starts(slots, tz="Europe/London"):
    from zoneinfo import ZoneInfo

    return [s.start.astimezone(ZoneInfo(tz)).strftime("%a %H:%M") for s in slots]


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(MORNING_BEFORE, tick=False):
        yield


def test_slots_follow_working_hours_on_the_slot_grid(clinic, service, therapist):
    slots = free_slots(service=service, start_date=MONDAY, end_date=MONDAY)

    shown = starts(slots)
    assert shown[0] == "Mon 09:00"
    assert "Mon 12:00" in shown  # ends 13:00, at the lunch break
    assert "Mon 12:15" not in shown  # would run into lunch
    assert "Mon 14:00" in shown
    assert shown[-1] == "Mon 17:00"
    assert all(s.end - s.start == timedelta(minutes=60) for s in slots)


def test_sunday_has_no_slots_when_nobody_works(clinic, service, therapist):
    assert free_slots(service=service, start_date=date(2026, 12, 6), end_date=date(2026, 12, 6)) == []


def test_an_appointment_and_its_buffer_are_not_offered_again(clinic, service, therapist):
    start = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    AppointmentFactory(therapist=therapist, service=service, start=start)

    shown = starts(free_slots(service=service, start_date=MONDAY, end_date=MONDAY))

    assert "Mon 09:00" not in shown  # its own 15-minute buffer would run into 10:00
    assert "Mon 10:00" not in shown
    assert "Mon 11:00" not in shown  # inside the 15-minute buffer after 11:00
    assert shown[0] == "Mon 11:15"


def test_a_slot_whose_buffer_ends_as_an_appointment_starts_is_offered(clinic, service, therapist):
    AppointmentFactory(therapist=therapist, service=service, start=datetime(2026, 12, 7, 11, 0, tzinfo=UTC))

    shown = starts(free_slots(service=service, start_date=MONDAY, end_date=MONDAY))

    assert "Mon 09:45" in shown  # 60 minutes and its 15-minute buffer end at 11:00
    assert "Mon 10:00" not in shown


def test_cancelled_appointments_free_their_time(clinic, service, therapist):
    start = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    AppointmentFactory(therapist=therapist, service=service, start=start, status=Appointment.Status.CANCELLED)

    assert "Mon 10:00" in starts(free_slots(service=service, start_date=MONDAY, end_date=MONDAY))


def test_time_off_and_closures_remove_slots(clinic, service, therapist):
    TimeOff.objects.create(
        therapist=therapist,
        start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC),
        end=datetime(2026, 12, 7, 18, 0, tzinfo=UTC),
    )
    Closure.objects.create(date=date(2026, 12, 8), reason="Training day")

    slots = free_slots(service=service, start_date=MONDAY, end_date=date(2026, 12, 8))

    assert starts(slots)[-1] == "Mon 12:00"


def test_minimum_notice_and_horizon_are_respected(clinic, service, therapist):
    clinic.booking_horizon_days = 5
    clinic.save()
    with time_machine.travel(datetime(2026, 12, 7, 9, 30, tzinfo=UTC), tick=False):
        slots = free_slots(service=service, start_date=MONDAY, end_date=date(2027, 1, 31))

    assert starts(slots)[0] == "Mon 11:30"  # two hours' notice
    assert slots[-1].start <= datetime(2026, 12, 12, 9, 30, tzinfo=UTC)


def test_only_therapists_offering_the_service_are_offered(clinic, service, therapist):
    other_service = ServiceFactory(name="Swedish")
    TherapistFactory(services=[other_service])

    slots = free_slots(service=service, start_date=MONDAY, end_date=MONDAY)

    assert {s.therapist_id for s in slots} == {therapist.pk}


def test_anyone_lists_every_therapist_sorted_by_start(clinic, service, therapist):
    second = TherapistFactory(services=[service])

    slots = free_slots(service=service, start_date=MONDAY, end_date=MONDAY)

    assert {s.therapist_id for s in slots} == {therapist.pk, second.pk}
    assert slots == sorted(slots, key=lambda s: (s.start, s.therapist_id))


def test_overlapping_working_hours_offer_each_time_once(clinic, service, therapist):
    # The staff form refuses overlapping hours; hours entered another way may still overlap.
    WorkingHours.objects.create(therapist=therapist, weekday=0, start_time=time(11), end_time=time(15))

    shown = starts(free_slots(service=service, start_date=MONDAY, end_date=MONDAY))

    assert len(shown) == len(set(shown))
    assert "Mon 12:15" in shown  # inside the extra hours, across the lunch break


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [
        ("Europe/London", date(2027, 3, 29)),  # clocks go forward on Sunday 28 March 2027
        ("America/New_York", date(2027, 3, 15)),  # forward on Sunday 14 March 2027
        ("Europe/London", date(2026, 10, 26)),  # back on Sunday 25 October 2026
    ],
)
def test_local_opening_times_hold_across_a_daylight_saving_change(
    clinic, service, therapist, zone, change_day
):
    from zoneinfo import ZoneInfo

    clinic.time_zone = zone
    clinic.booking_horizon_days = 365
    clinic.save()
    saturday_before = change_day - timedelta(days=2)
    monday_after = change_day
    with time_machine.travel(
        datetime.combine(saturday_before - timedelta(days=7), time(8), tzinfo=UTC), tick=False
    ):
        slots = free_slots(service=service, start_date=saturday_before, end_date=monday_after)

    tz = ZoneInfo(zone)
    local_firsts = {}
    for slot in slots:
        local = slot.start.astimezone(tz)
        local_firsts.setdefault(local.date(), local.time())
    assert local_firsts == {saturday_before: time(9), monday_after: time(9)}
    before_offset = datetime.combine(saturday_before, time(9), tzinfo=tz).utcoffset()
    after_offset = datetime.combine(monday_after, time(9), tzinfo=tz).utcoffset()
    assert before_offset != after_offset  # the range really spans a change


def test_query_count_does_not_grow_with_days_therapists_or_appointments(
    clinic, service, django_assert_max_num_queries
):
    therapists = [TherapistFactory(services=[service]) for _ in range(5)]
    for i, each in enumerate(therapists):
        for day in range(10):
            AppointmentFactory(
                therapist=each, service=service, start=datetime(2026, 12, 7 + day, 9 + i, 0, tzinfo=UTC)
            )
    with django_assert_max_num_queries(5):
        one_day = free_slots(service=service, start_date=MONDAY, end_date=MONDAY, clinic=clinic)
    with django_assert_max_num_queries(5):
        four_weeks = free_slots(
            service=service, start_date=MONDAY, end_date=MONDAY + timedelta(days=27), clinic=clinic
        )
    assert len(four_weeks) > len(one_day) > 0


def test_availability_costs_four_queries_for_one_therapist_or_many(
    clinic, service, django_assert_num_queries
):
    """The clinic, the working hours, the busy times (time off and appointments in one UNION)
    and the closures: whatever the number of therapists, days and appointments."""
    first = TherapistFactory(services=[service])
    with django_assert_num_queries(4):
        free_slots(service=service, start_date=MONDAY, end_date=MONDAY, therapist=first)
    for i, each in enumerate([first] + [TherapistFactory(services=[service]) for _ in range(7)]):
        TimeOff.objects.create(
            therapist=each,
            start=datetime(2026, 12, 8, 9, 0, tzinfo=UTC),
            end=datetime(2026, 12, 8, 11, 0, tzinfo=UTC),
        )
        AppointmentFactory(therapist=each, service=service, start=datetime(2026, 12, 7, 9 + i, 0, tzinfo=UTC))
    Closure.objects.create(date=MONDAY + timedelta(days=3))
    with django_assert_num_queries(4):
        slots = free_slots(service=service, start_date=MONDAY, end_date=MONDAY + timedelta(days=89))
    assert len({slot.therapist_id for slot in slots}) == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.django_db
def test_a_weeks_free_slots_read_the_appointments_still_to_come_not_years_of_history(
    clinic, service, therapist
):
    client = UserFactory()
    past = [datetime.combine(MONDAY, time(10), tzinfo=UTC) - timedelta(days=day) for day in range(7, 3 * 365)]
    assert completed_sessions(client=client, therapist=therapist, service=service, starts=past) > 1000

    with CaptureQueriesContext(connection) as search:
        free_slots(service=service, start_date=MONDAY, end_date=MONDAY + timedelta(days=6))

    (busy,) = [query["sql"] for query in search.captured_queries if "bookings_timeoff" in query["sql"]]
    assert rows_read(busy, "bookings_appointment") < 20
