"""The clinic's schedule for the front desk: a day as a time grid, a week as a table.

Therapists are columns side by side. Each read is a fixed number of queries (therapists and
their hours, time off, appointments with their intake outcome, closures), however busy the
clinic. Times are laid out on the clinic's wall clock.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Prefetch, Q

from bookings.availability import days_between, local_day_bounds
from bookings.models import Appointment, Clinic, Closure, Therapist, TimeOff, WorkingHours

from .selectors import appointments_between, week_of

ROW_MINUTES = 5  # one grid row; an hour is 12 rows
DAY_MINUTES = 24 * 60
DEFAULT_OPENING = (9 * 60, 17 * 60)


@dataclass(frozen=True)
class GridBlock:
    """Something placed on the day grid, from grid line `row_start` to `row_end`."""

    row_start: int
    row_end: int
    start: datetime | time
    end: datetime | time
    item: object = None


@dataclass
class TherapistColumn:
    therapist: Therapist
    column: int
    hours: list[GridBlock] = field(default_factory=list)
    time_off: list[GridBlock] = field(default_factory=list)
    appointments: list[GridBlock] = field(default_factory=list)


@dataclass(frozen=True)
class HourMark:
    row: int
    at: time


@dataclass(frozen=True)
class DaySchedule:
    day: date
    closure: Closure | None
    columns: list[TherapistColumn]
    hour_marks: list[HourMark]
    rows: int

    @property
    def last_line(self) -> int:
        return self.rows + 2


@dataclass
class WeekCell:
    hours: list[WorkingHours] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)


@dataclass(frozen=True)
class WeekRow:
    day: date
    closure: Closure | None
    cells: list[WeekCell]


@dataclass(frozen=True)
class WeekSchedule:
    first: date
    last: date
    therapists: list[Therapist]
    rows: list[WeekRow]


def schedule_day(*, day: date, clinic: Clinic) -> DaySchedule:
    therapists, hours_by_therapist, time_off, appointments, closures = _read(day, day, clinic)
    hours_today = {
        pk: [each for each in hours if each.weekday == day.weekday()]
        for pk, hours in hours_by_therapist.items()
    }
    spans = [(_minute(h.start_time), _minute(h.end_time)) for hours in hours_today.values() for h in hours]
    spans += [(_local_minute(a.start, day, clinic), _local_minute(a.end, day, clinic)) for a in appointments]
    grid = _Grid(
        top=min((start for start, _ in spans), default=DEFAULT_OPENING[0]) // 60 * 60,
        bottom=-(-max((end for _, end in spans), default=DEFAULT_OPENING[1]) // 60) * 60,
    )

    def placed(start: datetime, end: datetime, item: object) -> GridBlock:
        return grid.block(
            _local_minute(start, day, clinic), _local_minute(end, day, clinic), start, end, item
        )

    columns = []
    for index, therapist in enumerate(therapists):
        column = TherapistColumn(therapist=therapist, column=index + 2)
        column.hours = [
            grid.block(_minute(h.start_time), _minute(h.end_time), h.start_time, h.end_time)
            for h in hours_today[therapist.pk]
        ]
        column.time_off = [placed(away.start, away.end, away) for away in time_off[therapist.pk]]
        column.appointments = [
            placed(a.start, a.end, a) for a in appointments if a.therapist_id == therapist.pk
        ]
        columns.append(column)
    marks = [
        HourMark(row=grid.line(minute), at=time(minute // 60)) for minute in range(grid.top, grid.bottom, 60)
    ]
    return DaySchedule(day=day, closure=closures.get(day), columns=columns, hour_marks=marks, rows=grid.rows)


@dataclass(frozen=True)
class _Grid:
    """Minutes of the local day from `top` to `bottom`, as CSS grid lines (line 1 is the header)."""

    top: int
    bottom: int

    @property
    def rows(self) -> int:
        return (self.bottom - self.top) // ROW_MINUTES

    def line(self, minute: int) -> int:
        return 2 + (minute - self.top) // ROW_MINUTES

    def block(
        self,
        start_minute: int,
        end_minute: int,
        start: datetime | time,
        end: datetime | time,
        item: object = None,
    ) -> GridBlock:
        start_minute = max(start_minute, self.top)
        end_minute = min(end_minute, self.bottom)
        end_line = 2 - (-(end_minute - self.top) // ROW_MINUTES)  # rounded up: a block covers its last row
        return GridBlock(
            row_start=self.line(start_minute),
            row_end=max(end_line, self.line(start_minute) + 1),
            start=start,
            end=end,
            item=item,
        )


def schedule_week(*, day: date, clinic: Clinic) -> WeekSchedule:
    first, last = week_of(day)
    therapists, hours_by_therapist, time_off, appointments, closures = _read(first, last, clinic)
    rows = []
    for each in days_between(first, last):
        day_start, day_end = local_day_bounds(each, clinic.tz)
        cells = []
        for therapist in therapists:
            cells.append(
                WeekCell(
                    hours=[h for h in hours_by_therapist[therapist.pk] if h.weekday == each.weekday()],
                    time_off=[t for t in time_off[therapist.pk] if t.start < day_end and t.end > day_start],
                    appointments=[
                        a
                        for a in appointments
                        if a.therapist_id == therapist.pk and a.start.astimezone(clinic.tz).date() == each
                    ],
                )
            )
        rows.append(WeekRow(day=each, closure=closures.get(each), cells=cells))
    return WeekSchedule(first=first, last=last, therapists=therapists, rows=rows)


def _read(
    first: date, last: date, clinic: Clinic
) -> tuple[
    list[Therapist],
    dict[int, list[WorkingHours]],
    dict[int, list[TimeOff]],
    list[Appointment],
    dict[date, Closure],
]:
    start, _ = local_day_bounds(first, clinic.tz)
    _, end = local_day_bounds(last, clinic.tz)
    appointments = list(appointments_between(first, last, clinic))
    busy_ids = {a.therapist_id for a in appointments}
    therapists = list(
        Therapist.objects.filter(Q(is_active=True) | Q(pk__in=busy_ids))
        .select_related("user")
        .prefetch_related(Prefetch("working_hours", queryset=WorkingHours.objects.order_by("start_time")))
    )
    hours = {t.pk: list(t.working_hours.all()) for t in therapists}
    time_off: dict[int, list[TimeOff]] = defaultdict(list)
    for away in TimeOff.objects.filter(start__lt=end, end__gt=start).order_by("start"):
        time_off[away.therapist_id].append(away)
    closures = {c.date: c for c in Closure.objects.filter(date__gte=first, date__lte=last)}
    return therapists, hours, time_off, appointments, closures


def _minute(at: time) -> int:
    return at.hour * 60 + at.minute


def _local_minute(moment: datetime, day: date, clinic: Clinic) -> int:
    """Minutes since local midnight of `day`, clamped to the day."""
    local = moment.astimezone(clinic.tz)
    if local.date() < day:
        return 0
    if local.date() > day:
        return DAY_MINUTES
    return _minute(local.time())
