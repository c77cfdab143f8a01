"""The availability search as it was before the day-grid rewrite (commit 8970b10), kept only as
the baseline that bench/availability.py measures the current one against, in the same run.

Free slots: working hours minus closures, time off and appointments (with their buffers).

Everything is read in a fixed number of queries, whatever the number of days, therapists
or appointments, then computed in Python. Local times are built per local date in the
clinic's zone, so a slot at 10:00 stays at 10:00 on the day the clocks change.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from bookings.availability import days_between, local_datetime, local_day_bounds
from bookings.models import Appointment, Clinic, Closure, Service, Therapist, TimeOff, WorkingHours
from bookings.selectors import clinic_get


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    therapist_id: int
    end: datetime


def _grid_times(start: time, end: time, step_minutes: int) -> Iterator[time]:
    """Wall-clock times from `start` to `end` on the clinic's grid, counted from midnight."""
    first = start.hour * 60 + start.minute + (1 if start.second or start.microsecond else 0)
    first += -first % step_minutes
    last = end.hour * 60 + end.minute
    for minute in range(first, last, step_minutes):
        yield time(minute // 60, minute % 60)


class _Busy:
    """A therapist's busy intervals, merged, for fast overlap checks."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]):
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for start, end in sorted(intervals):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect_right(self.ends, start)
        return i < len(self.starts) and self.starts[i] < end


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

    therapists = Therapist.objects.filter(is_active=True, services=service).prefetch_related(
        Prefetch("working_hours", queryset=WorkingHours.objects.order_by("start_time"))
    )
    if therapist is not None:
        therapists = therapists.filter(pk=therapist.pk)
    therapists_list = list(therapists)
    if not therapists_list:
        return []
    therapist_ids = [t.pk for t in therapists_list]

    busy_intervals: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for therapist_id, start, end in TimeOff.objects.filter(
        therapist_id__in=therapist_ids, start__lt=range_end, end__gt=range_start
    ).values_list("therapist_id", "start", "end"):
        busy_intervals[therapist_id].append((start, end))
    appointments = Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        status__in=Appointment.ACTIVE_STATUSES,
        start__lt=range_end,
        blocked_until__gt=range_start,
    )
    if ignore_appointment_id is not None:
        appointments = appointments.exclude(pk=ignore_appointment_id)
    for therapist_id, start, end in appointments.values_list("therapist_id", "start", "blocked_until"):
        busy_intervals[therapist_id].append((start, end))
    closed_days = set(
        Closure.objects.filter(date__gte=start_date, date__lte=end_date).values_list("date", flat=True)
    )

    slots: list[Slot] = []
    for each in therapists_list:
        busy = _Busy(busy_intervals[each.pk])
        hours_by_weekday: dict[int, list[WorkingHours]] = defaultdict(list)
        for hours in each.working_hours.all():
            hours_by_weekday[hours.weekday].append(hours)
        for day in days_between(start_date, end_date):
            if day in closed_days:
                continue
            for hours in hours_by_weekday[day.weekday()]:
                slots.extend(_slots_in_hours(day, hours, service, each.pk, clinic, busy, earliest, latest))
    slots.sort()
    return slots


def _slots_in_hours(
    day: date,
    hours: WorkingHours,
    service: Service,
    therapist_id: int,
    clinic: Clinic,
    busy: _Busy,
    earliest: datetime,
    latest: datetime,
) -> Iterator[Slot]:
    tz = clinic.tz
    hours_end = local_datetime(day, hours.end_time, tz)
    if hours_end is None:
        return
    for at in _grid_times(hours.start_time, hours.end_time, clinic.slot_step_minutes):
        start = local_datetime(day, at, tz)
        if start is None or start < earliest:
            continue
        if start > latest:
            return
        end = start + service.duration
        if end > hours_end:
            return
        if not busy.overlaps(start, end + service.buffer_after):
            yield Slot(start=start, therapist_id=therapist_id, end=end)
