"""free_slots agrees with a straightforward reference on random schedules: working hours on and
off the grid, time off, closures, appointments with buffers, one therapist or anyone, grids of
5 to 60 minutes, time zones with daylight saving (whole and half hours) and days around the
changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.availability import free_slots
from bookings.models import Appointment, Clinic, Closure, Service, TimeOff, WorkingHours
from tests.factories import ClinicFactory, TherapistFactory, UserFactory

from .reference_availability import reference_free_slots

# Time zones and 2027 days when their clocks change (whole hours, half an hour on Lord Howe,
# at midnight in Santiago), and zones that never change; each range covers its day.
CHANGES = [
    ("Europe/London", date(2027, 3, 28)),
    ("Europe/London", date(2027, 10, 31)),
    ("America/New_York", date(2027, 3, 14)),
    ("America/New_York", date(2027, 11, 7)),
    ("Australia/Lord_Howe", date(2027, 4, 4)),
    ("Australia/Lord_Howe", date(2027, 10, 3)),
    ("America/Santiago", date(2027, 4, 4)),
    ("America/Santiago", date(2027, 9, 5)),
    ("Asia/Kolkata", date(2027, 6, 16)),
    ("UTC", date(2027, 6, 16)),
]

clock_times = st.builds(
    time,
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 5, 7, 15, 30, 45, 59]),
    second=st.sampled_from([0, 0, 0, 30]),
)


@st.composite
def schedules(draw):
    zone, change = draw(st.sampled_from(CHANGES))
    first = change - timedelta(days=draw(st.integers(0, 3)))
    days = (change - first).days + draw(st.integers(1, 4))
    last = first + timedelta(days=days - 1)
    # Most windows on the day the clocks change.
    weekdays = st.sampled_from([change.weekday()] * 3 + list(range(7)))
    therapists = []
    for _ in range(3):
        windows = []
        for _ in range(draw(st.integers(0, 4))):
            opens, closes = sorted(draw(st.lists(clock_times, min_size=2, max_size=2, unique=True)))
            windows.append((draw(weekdays), opens, closes))
        therapists.append(
            {
                "windows": windows,
                "offers": draw(st.booleans()) or not therapists,
                "active": draw(st.integers(0, 5)) > 0,
            }
        )

    def moment():
        day = first + timedelta(days=draw(st.integers(-1, days)))
        # Often on a quarter hour, so that busy times meet slots exactly at their edges.
        minutes = draw(st.integers(0, 24 * 60 - 1) | st.integers(0, 95).map(lambda quarter: quarter * 15))
        return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=minutes)

    busy = [
        {
            "therapist": draw(st.integers(0, 2)),
            "kind": draw(st.sampled_from(["time_off", "appointment", "appointment", "cancelled"])),
            "start": moment(),
            "minutes": draw(st.integers(5, 600)),
            "buffer": draw(st.sampled_from([0, 10, 15])),
        }
        for _ in range(draw(st.integers(0, 12)))
    ]
    return {
        "zone": zone,
        "step": draw(st.sampled_from([5, 10, 15, 20, 30, 60])),
        "duration": draw(st.sampled_from([15, 30, 45, 60, 90])),
        "buffer": draw(st.sampled_from([0, 5, 15, 30])),
        "notice": draw(st.sampled_from([0, 60, 120, 1440])),
        "horizon": draw(st.integers(1, 12)),
        # Mostly before the range, sometimes inside it (today's earlier slots have gone).
        "now": datetime.combine(first, time(0), tzinfo=UTC)
        + timedelta(minutes=draw(st.integers(-2 * 24 * 60, 2 * 24 * 60)), seconds=draw(st.integers(0, 59))),
        "first": first,
        "last": last,
        "closures": draw(st.lists(st.integers(0, days - 1), max_size=2, unique=True)),
        "therapists": therapists,
        "busy": busy,
        "one_therapist": draw(st.none() | st.integers(0, 2)),
        "ignore_one": draw(st.booleans()),
    }


@pytest.fixture
def people(db):
    ClinicFactory()
    return UserFactory(), [TherapistFactory(services=[]) for _ in range(3)]


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=schedules())
def test_free_slots_match_the_reference_on_random_schedules(people, schedule):
    client, therapists = people
    with transaction.atomic():
        clinic, service, ignored = _write(schedule, client, therapists)
        one = therapists[schedule["one_therapist"]] if schedule["one_therapist"] is not None else None
        arguments = {
            "service": service,
            "start_date": schedule["first"],
            "end_date": schedule["last"],
            "clinic": clinic,
            "now": schedule["now"],
            "therapist": one,
            "ignore_appointment_id": ignored,
        }
        expected = reference_free_slots(**arguments)
        found = [(slot.start, slot.therapist_id, slot.end) for slot in free_slots(**arguments)]
        transaction.set_rollback(True)
    assert found == expected, repr(schedule)


def _write(schedule, client, therapists):
    Clinic.objects.filter(pk=1).update(
        time_zone=schedule["zone"],
        slot_step_minutes=schedule["step"],
        min_notice_minutes=schedule["notice"],
        booking_horizon_days=schedule["horizon"],
    )
    clinic = Clinic.objects.get(pk=1)
    service = Service.objects.create(
        name="Deep tissue",
        duration_minutes=schedule["duration"],
        buffer_after_minutes=schedule["buffer"],
        price=60,
    )
    for offset in schedule["closures"]:
        Closure.objects.create(date=schedule["first"] + timedelta(days=offset))
    for therapist, plan in zip(therapists, schedule["therapists"], strict=True):
        therapist.working_hours.all().delete()
        therapist.is_active = plan["active"]
        therapist.save(update_fields=["is_active"])
        if plan["offers"]:
            therapist.services.add(service)
        for weekday, opens, closes in plan["windows"]:
            WorkingHours.objects.create(
                therapist=therapist, weekday=weekday, start_time=opens, end_time=closes
            )
    taken: dict[int, list[tuple[datetime, datetime]]] = {}
    ignored = None
    for each in schedule["busy"]:
        therapist = therapists[each["therapist"]]
        start = each["start"]
        end = start + timedelta(minutes=each["minutes"])
        if each["kind"] == "time_off":
            TimeOff.objects.create(therapist=therapist, start=start, end=end)
            continue
        blocked_until = end + timedelta(minutes=each["buffer"])
        status = Appointment.Status.CANCELLED if each["kind"] == "cancelled" else Appointment.Status.BOOKED
        if status == Appointment.Status.BOOKED:
            # The exclusion constraint allows no overlap between a therapist's active appointments.
            mine = taken.setdefault(therapist.pk, [])
            if any(s < blocked_until and e > start for s, e in mine):
                continue
            mine.append((start, blocked_until))
        appointment = Appointment.objects.create(
            client=client,
            therapist=therapist,
            service=service,
            start=start,
            end=end,
            blocked_until=blocked_until,
            status=status,
        )
        if schedule["ignore_one"] and ignored is None and status == Appointment.Status.BOOKED:
            ignored = appointment.pk
    return clinic, service, ignored
