"""Free slots: working hours minus closures, time off and appointments (with their buffers).

Everything is read in five queries at most, whatever the number of days, therapists or
appointments, then computed in Python in three steps:

1. Each local day's grid of start times is turned into UTC instants once per request and
   shared by every therapist (bookings.day_grid): a slot at 10:00 stays at 10:00 on the day
   the clocks change, and a wall-clock time the clocks skip is never offered.
2. Each therapist's time off and appointments (each with its buffer) become one sorted list
   of busy intervals, so the time between them is free.
3. Slots are cut from each working-hours window: the window's grid instants are a sorted run,
   so the ones that fit (late enough, before closing, clear of every busy interval) are found
   by bisection, not by testing every candidate against every interval.

Times are compared as whole seconds since the epoch; datetimes are built once per grid instant,
not per slot.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from .day_grid import DayGrid, EpochCeil, EpochFloor, day_grids, epoch_ceil, epoch_floor
from .day_grid import local_datetime as local_datetime  # where the rest of the project finds it
from .models import Appointment, Clinic, Closure, Service, Therapist, TimeOff, WorkingHours
from .selectors import clinic_get


class Slot(NamedTuple):
    """One therapist free at one start time. Sorted by start, then therapist."""

    start: datetime
    therapist_id: int
    end: datetime


class FreeTime(NamedTuple):
    """One start time, once, with every therapist free then (in the order the slots came)."""

    start: datetime
    end: datetime
    therapist_ids: tuple[int, ...]


def free_times(slots: Iterable[Slot]) -> list[FreeTime]:
    """`slots` grouped by start: "anyone" shows each time once and the clinic picks who."""
    by_start: dict[datetime, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_start[slot.start].append(slot)
    return [
        FreeTime(start=start, end=group[0].end, therapist_ids=tuple(slot.therapist_id for slot in group))
        for start, group in sorted(by_start.items())
    ]


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day starts and ends (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return start, end


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def free_slots(
    *,
    service: Service,
    start_date: date,
    end_date: date,
    therapist: Therapist | None = None,
    clinic: Clinic | None = None,
    now: datetime | None = None,
    ignore_appointment_id: int | None = None,
) -> list[Slot]:
    """Bookable slots for `service` between two local dates (inclusive), sorted by start.

    `therapist=None` means "anyone who offers the service". `ignore_appointment_id` leaves
    one appointment out, so a client can move an appointment to a time that overlaps itself.
    """
    clinic = clinic or clinic_get()
    tz = clinic.tz
    now = now or timezone.now()
    earliest = now + timedelta(minutes=clinic.min_notice_minutes)
    latest = now + timedelta(days=clinic.booking_horizon_days)
    start_date = max(start_date, earliest.astimezone(tz).date())
    end_date = min(end_date, latest.astimezone(tz).date())
    if start_date > end_date:
        return []
    range_start, _ = local_day_bounds(start_date, tz)
    _, range_end = local_day_bounds(end_date, tz)

    hours = WorkingHours.objects.filter(therapist__is_active=True, therapist__services=service)
    if therapist is not None:
        hours = hours.filter(therapist=therapist)
    # weekday -> [(therapist, opens, closes)], by therapist then time
    windows: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for therapist_id, weekday, opens, closes in hours.order_by("therapist_id", "start_time").values_list(
        "therapist_id", "weekday", "start_time", "end_time"
    ):
        windows[weekday].append((therapist_id, opens, closes))
    if not windows:
        return []

    therapist_ids = sorted({therapist_id for each in windows.values() for therapist_id, _, _ in each})
    busy = _busy_by_therapist(
        therapist_ids, range_start, range_end, ignore_appointment_id=ignore_appointment_id
    )
    closed_days = set(
        Closure.objects.filter(date__gte=start_date, date__lte=end_date).values_list("date", flat=True)
    )
    open_days = [day for day in days_between(start_date, end_date) if day not in closed_days]
    hours_by_weekday = {
        weekday: (min(opens for _, opens, _ in each), max(closes for _, _, closes in each))
        for weekday, each in windows.items()
    }
    grids = day_grids(
        open_days,
        tz=tz,
        step_minutes=clinic.slot_step_minutes,
        duration=service.duration,
        hours_by_weekday=hours_by_weekday,
    )

    duration = _seconds(service.duration)
    reach = duration + _seconds(service.buffer_after)  # a new slot's own buffer must be clear too
    first_start = epoch_ceil(earliest)
    last_start = epoch_floor(latest)
    slots: list[Slot] = []
    for day, grid in grids.items():
        day_slots: list[Slot] = []
        for therapist_id, opens, closes in windows.get(day.weekday(), ()):
            for low, high in _free_runs(
                grid,
                opens,
                closes,
                busy[therapist_id],
                duration=duration,
                reach=reach,
                first_start=first_start,
                last_start=last_start,
            ):
                day_slots += grid.slots(therapist_id, low, high)
        day_slots.sort()
        slots.extend(day_slots)
    return slots


class _Busy(NamedTuple):
    """A therapist's busy intervals in epoch seconds, merged and sorted (for bisection)."""

    starts: list[int]
    ends: list[int]


def _busy_by_therapist(
    therapist_ids: list[int],
    range_start: datetime,
    range_end: datetime,
    *,
    ignore_appointment_id: int | None,
) -> dict[int, _Busy]:
    time_off = TimeOff.objects.filter(
        therapist_id__in=therapist_ids, start__lt=range_end, end__gt=range_start
    ).annotate(busy_from=EpochFloor("start"), busy_until=EpochCeil("end"))
    appointments = Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        status__in=Appointment.ACTIVE_STATUSES,
        start__lt=range_end,
        blocked_until__gt=range_start,
    )
    if ignore_appointment_id is not None:
        appointments = appointments.exclude(pk=ignore_appointment_id)
    # One query for both, in whole seconds rounded outwards (a busy second is never lost),
    # sorted so that each therapist's intervals merge in one pass.
    appointments = appointments.annotate(busy_from=EpochFloor("start"), busy_until=EpochCeil("blocked_until"))
    columns = ("therapist_id", "busy_from", "busy_until")
    rows = (
        time_off.values_list(*columns)
        .order_by()
        .union(appointments.values_list(*columns).order_by(), all=True)
        .order_by("therapist_id", "busy_from")
    )
    # Straight from the driver: the rows are three integers, and Django's per-row handling of a
    # quarter's appointments for a clinic chain cost more than merging them.
    with connection.cursor() as cursor:
        cursor.execute(*rows.query.sql_with_params())
        fetched = cursor.fetchall()
    merged: dict[int, _Busy] = defaultdict(lambda: _Busy([], []))
    for therapist_id, start, end in fetched:
        starts, ends = merged[therapist_id]
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return merged


def _free_runs(
    grid: DayGrid,
    opens: time,
    closes: time,
    busy: _Busy,
    *,
    duration: int,
    reach: int,
    first_start: int,
    last_start: int,
) -> list[tuple[int, int]]:
    """The runs of the grid (index ranges) where a slot fits in the working-hours window."""
    low, high = grid.window(opens, closes, duration=duration, first_start=first_start, last_start=last_start)
    instants = grid.instants
    if low >= high:
        return []
    # Busy intervals that could touch a slot in the run: end after its first start, start
    # before its last slot's reach.
    starts, ends = busy
    first = bisect_right(ends, instants[low])
    last = bisect_left(starts, instants[high - 1] + reach)
    runs = []
    cursor = low
    for index in range(first, last):
        # A start in (busy start - reach, busy end) would overlap this interval.
        blocked_from = bisect_right(instants, starts[index] - reach, cursor, high)
        if cursor < blocked_from:
            runs.append((cursor, blocked_from))
        cursor = bisect_left(instants, ends[index], cursor, high)
    if cursor < high:
        runs.append((cursor, high))
    return runs


def _seconds(delta: timedelta) -> int:
    return delta.days * 86_400 + delta.seconds
