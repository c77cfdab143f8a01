"""The clinic's report for a period: appointments per therapist and service, utilisation of
working hours, cancellations and no-shows.

Read in a fixed number of queries whatever the period's length, then computed in Python.
A period is a range of the clinic's local dates; an appointment belongs to the local date it
starts on. Working minutes are each local date's weekly hours (built per date in the clinic's
zone, so a day on which the clocks change is handled like any other), less closures and time
off. Booked minutes are the sessions (without the buffer after) of appointments that held the
time: booked, completed or no-show.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q

from bookings.availability import days_between, local_datetime, local_day_bounds
from bookings.models import Appointment, Clinic, Closure, Service, Therapist, TimeOff, WorkingHours

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Counts:
    appointments: int = 0  # not cancelled
    completed: int = 0
    no_shows: int = 0
    cancellations: int = 0

    def plus(self, status: str) -> "Counts":
        return Counts(
            appointments=self.appointments + (status != Appointment.Status.CANCELLED),
            completed=self.completed + (status == Appointment.Status.COMPLETED),
            no_shows=self.no_shows + (status == Appointment.Status.NO_SHOW),
            cancellations=self.cancellations + (status == Appointment.Status.CANCELLED),
        )


@dataclass(frozen=True)
class TherapistFigures:
    therapist: Therapist
    counts: Counts
    booked_minutes: int
    working_minutes: int

    @property
    def utilisation(self) -> float | None:
        """Booked minutes as a share of working minutes (0.25 = 25%); None without hours."""
        return self.booked_minutes / self.working_minutes if self.working_minutes else None


@dataclass(frozen=True)
class ServiceFigures:
    service: Service
    counts: Counts


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    therapists: list[TherapistFigures]
    services: list[ServiceFigures]
    totals: Counts
    booked_minutes: int
    working_minutes: int

    @property
    def utilisation(self) -> float | None:
        return self.booked_minutes / self.working_minutes if self.working_minutes else None


def clinic_report(*, first: date, last: date, clinic: Clinic) -> Report:
    """Figures for the local dates `first` to `last` inclusive."""
    tz = clinic.tz
    start, _ = local_day_bounds(first, tz)
    _, end = local_day_bounds(last, tz)
    rows = list(
        Appointment.objects.filter(start__gte=start, start__lt=end).values_list(
            "therapist_id", "service_id", "status", "start", "end"
        )
    )
    therapist_ids = {row[0] for row in rows}
    therapists = list(
        Therapist.objects.filter(Q(is_active=True) | Q(pk__in=therapist_ids))
        .select_related("user")
        .prefetch_related(Prefetch("working_hours", queryset=WorkingHours.objects.order_by("start_time")))
    )
    services = list(Service.objects.filter(pk__in={row[1] for row in rows}))
    time_off: dict[int, list[Interval]] = defaultdict(list)
    for therapist_id, off_start, off_end in TimeOff.objects.filter(start__lt=end, end__gt=start).values_list(
        "therapist_id", "start", "end"
    ):
        time_off[therapist_id].append((off_start, off_end))
    closed = set(Closure.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True))

    by_therapist: dict[int, Counts] = defaultdict(Counts)
    by_service: dict[int, Counts] = defaultdict(Counts)
    booked: dict[int, int] = defaultdict(int)
    totals = Counts()
    for therapist_id, service_id, status, appointment_start, appointment_end in rows:
        by_therapist[therapist_id] = by_therapist[therapist_id].plus(status)
        by_service[service_id] = by_service[service_id].plus(status)
        totals = totals.plus(status)
        if status in Appointment.ACTIVE_STATUSES:
            booked[therapist_id] += _minutes(appointment_end - appointment_start)

    therapist_figures = [
        TherapistFigures(
            therapist=therapist,
            counts=by_therapist[therapist.pk],
            booked_minutes=booked[therapist.pk],
            working_minutes=_working_minutes(
                list(therapist.working_hours.all()), time_off[therapist.pk], first, last, closed, tz
            ),
        )
        for therapist in therapists
    ]
    return Report(
        first=first,
        last=last,
        therapists=therapist_figures,
        services=sorted(
            (ServiceFigures(service=service, counts=by_service[service.pk]) for service in services),
            key=lambda figures: (-figures.counts.appointments, figures.service.name),
        ),
        totals=totals,
        booked_minutes=sum(figures.booked_minutes for figures in therapist_figures),
        working_minutes=sum(figures.working_minutes for figures in therapist_figures),
    )


def _working_minutes(
    hours: list[WorkingHours],
    time_off: list[Interval],
    first: date,
    last: date,
    closed: set[date],
    tz: ZoneInfo,
) -> int:
    away = _merged(time_off)
    total = 0
    for day in days_between(first, last):
        if day in closed:
            continue
        for each in hours:
            if each.weekday == day.weekday():
                start, end = _instant(day, each.start_time, tz), _instant(day, each.end_time, tz)
                total += _minutes(end - start) - sum(_minutes(_overlap((start, end), off)) for off in away)
    return total


def _instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    # A wall time the clocks skip (01:30 when they go forward) counts from the moment after the gap.
    return local_datetime(day, at, tz) or datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _merged(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(first: Interval, second: Interval) -> timedelta:
    return max(timedelta(0), min(first[1], second[1]) - max(first[0], second[0]))


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)
