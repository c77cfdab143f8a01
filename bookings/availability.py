"""Free slots: working hours minus closures, time off and appointments (with their buffers).

Everything is read in five queries at most, whatever the number of days, therapists or
appointments, then computed in Python in three steps:

1. Each local day's grid of start times is turned into UTC instants once per request and
   shared by every therapist (bookings.day_grid): a slot at 10:00 stays at 10:00 on the day
   the clocks change, and a wall-clock time the clocks skip is never offered. The open days'
   grids make one ascending run of instants.
2. A board of one byte per instant and therapist is marked free over each working-hours window
   (late enough, before closing) and taken over each time off and appointment (with both
   buffers): a window or an interval is one slice of the board, its ends found by bisection,
   whatever its length.
3. Each instant's row of the board lists who is free then, already in therapist order.

Times are compared as whole seconds since the epoch; datetimes are built once per grid instant,
not per slot, and the Python work grows with the windows and busy intervals, not the slots.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import compress, repeat
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from .day_grid import EpochCeil, EpochFloor, RangeGrid, epoch_ceil, epoch_floor
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
    busy = _busy_intervals(therapist_ids, range_start, range_end, ignore_appointment_id=ignore_appointment_id)
    closed_days = set(
        Closure.objects.filter(date__gte=start_date, date__lte=end_date).values_list("date", flat=True)
    )
    open_days = [day for day in days_between(start_date, end_date) if day not in closed_days]
    hours_by_weekday = {
        weekday: (min(opens for _, opens, _ in each), max(closes for _, _, closes in each))
        for weekday, each in windows.items()
    }
    grid = RangeGrid(
        open_days,
        tz=tz,
        step_minutes=clinic.slot_step_minutes,
        duration=service.duration,
        hours_by_weekday=hours_by_weekday,
    )
    duration = _seconds(service.duration)
    board = _Board(therapist_ids, grid)
    board.mark_working(
        windows, duration=duration, first_start=epoch_ceil(earliest), last_start=epoch_floor(latest)
    )
    # A new slot's own buffer must be clear too.
    board.mark_busy(busy, reach=duration + _seconds(service.buffer_after))
    return board.slots()


def _busy_intervals(
    therapist_ids: list[int],
    range_start: datetime,
    range_end: datetime,
    *,
    ignore_appointment_id: int | None,
) -> list[tuple[int, int, int]]:
    """(therapist, from, until) of each time off and appointment (with its buffer) in the range."""
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
    # One query for both, in whole seconds rounded outwards (a busy second is never lost).
    appointments = appointments.annotate(busy_from=EpochFloor("start"), busy_until=EpochCeil("blocked_until"))
    columns = ("therapist_id", "busy_from", "busy_until")
    rows = (
        time_off.values_list(*columns)
        .order_by()
        .union(appointments.values_list(*columns).order_by(), all=True)
    )
    # Straight from the driver: the rows are three integers, and Django's per-row handling of a
    # quarter's appointments for a clinic chain cost more than the rest of the search.
    with connection.cursor() as cursor:
        cursor.execute(*rows.query.sql_with_params())
        return cursor.fetchall()


class _Board:
    """Who is free when: one byte per grid instant and therapist, instant by instant, 1 where the
    therapist works and is clear of every busy interval.

    It is written a working-hours window or a busy interval at a time, each a strided slice (one
    therapist's column over a run of instants), and read an instant at a time: each instant's row
    lists who is free then, in therapist order, so the slots come out sorted by start and then
    therapist without a Python step per slot.
    """

    def __init__(self, therapist_ids: list[int], grid: RangeGrid):
        self.therapist_ids = therapist_ids
        self.grid = grid
        self.width = len(therapist_ids)
        self.column = {therapist_id: column for column, therapist_id in enumerate(therapist_ids)}
        self.cells = bytearray(len(grid.instants) * self.width)
        self._ones, self._zeros = b"\1" * len(grid.instants), bytes(len(grid.instants))

    def mark_working(
        self,
        windows: dict[int, list[tuple[int, time, time]]],
        *,
        duration: int,
        first_start: int,
        last_start: int,
    ) -> None:
        """Mark free the grid instants at which each therapist's working-hours windows allow a
        slot to start (therapists with the same hours share each day's answer: DayGrid.window)."""
        cells, width, column, ones = self.cells, self.width, self.column, self._ones
        for offset, day_grid in self.grid.days:
            for therapist_id, opens, closes in windows[day_grid.day.weekday()]:
                low, high = day_grid.window(
                    opens, closes, duration=duration, first_start=first_start, last_start=last_start
                )
                if low < high:
                    at = column[therapist_id]
                    cells[(offset + low) * width + at : (offset + high) * width + at : width] = ones[
                        : high - low
                    ]

    def mark_busy(self, busy: list[tuple[int, int, int]], *, reach: int) -> None:
        """Mark taken the instants at which a slot (`reach` seconds long with its buffer) would
        overlap a busy interval: a start in (busy_from - reach, busy_until)."""
        cells, width, column, zeros, instants = (
            self.cells,
            self.width,
            self.column,
            self._zeros,
            self.grid.instants,
        )
        for therapist_id, busy_from, busy_until in busy:
            low, high = bisect_right(instants, busy_from - reach), bisect_left(instants, busy_until)
            if low < high:
                at = column[therapist_id]
                cells[low * width + at : high * width + at : width] = zeros[: high - low]

    def slots(self) -> list[Slot]:
        cells, width, therapist_ids = self.cells, self.width, self.therapist_ids
        slots: list[Slot] = []
        for row, (start, end) in enumerate(zip(self.grid.starts, self.grid.ends, strict=True)):
            free = compress(therapist_ids, cells[row * width : row * width + width])
            # What Slot(start, therapist_id, end) does, without a Python call per slot: a search
            # over a clinic chain's quarter returns a few hundred thousand of them.
            slots += map(tuple.__new__, repeat(Slot), zip(repeat(start), free, repeat(end)))
        return slots


def _seconds(delta: timedelta) -> int:
    return delta.days * 86_400 + delta.seconds
