"""A series before it is booked: each session's time, and where it is not free, what is.

Sessions keep the first session's weekday and local wall-clock time, stepped in local dates
(never by adding hours), so a 10:00 session stays at 10:00 across the change of the clocks:

- weekly: every 7 days; fortnightly: every 14 days;
- twice a week: two fixed weekdays, the first session's and the one 3 days later (Monday and
  Thursday, Tuesday and Friday, Wednesday and Saturday, Friday and Monday, ...), except that a
  Thursday start pairs with the Monday 4 days later rather than a Sunday.

Where a session's time is not free (time off, a closed day, taken, outside the therapist's hours,
beyond the booking horizon, the client's own appointment, after their intake goes out of date), the preview offers the nearest free
times with the same therapist in that week (Monday to Sunday): on each day the free time closest
to the session's usual time, the closest days first, never on the day of another session. Nothing is written here: care.services.series_book books what was chosen.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from bookings.availability import Slot, free_slots, local_datetime
from bookings.models import Appointment, Clinic, Closure, Service, Therapist, TimeOff, WorkingHours
from bookings.screening import client_standing
from bookings.selectors import clinic_get

from .models import TreatmentPlan

ALTERNATIVES_SHOWN = 5
SERIES_MAX_SESSIONS = 52

Frequency = TreatmentPlan.Frequency


@dataclass(frozen=True)
class SessionProposal:
    index: int  # 0 for the first session
    day: date  # the local date the frequency gives
    proposed: datetime | None  # in UTC; None when the clocks skip that wall-clock time that day
    is_free: bool
    reason: str  # why it is not free, for the client; "" when free
    too_far_ahead: bool  # beyond the booking horizon: to book nearer the time
    alternatives: tuple[Slot, ...]  # the nearest free times that week, by start


def session_days(first_day: date, sessions: int, frequency: str) -> list[date]:
    """The local date of each session, from the first, by the plan's frequency."""
    if frequency == Frequency.WEEKLY:
        return [first_day + timedelta(weeks=k) for k in range(sessions)]
    if frequency == Frequency.FORTNIGHTLY:
        return [first_day + timedelta(weeks=2 * k) for k in range(sessions)]
    second_gap = 4 if (first_day + timedelta(days=3)).weekday() == 6 else 3  # no Sundays
    return [first_day + timedelta(weeks=k // 2, days=second_gap if k % 2 else 0) for k in range(sessions)]


def series_preview(
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    first_start: datetime,
    sessions: int,
    frequency: str,
    now: datetime | None = None,
) -> list[SessionProposal]:
    """Each session's proposed time, free or not, with the nearest free times that week if not."""
    now = now or timezone.now()
    clinic = clinic_get()
    tz = clinic.tz
    local_first = first_start.astimezone(tz)
    at = local_first.time().replace(tzinfo=None)
    days = session_days(local_first.date(), sessions, frequency)
    calendar = _Calendar.read(
        clinic=clinic, client=client, therapist=therapist, service=service, days=days, now=now
    )
    proposals = []
    for index, day in enumerate(days):
        proposed = local_datetime(day, at, tz)
        reason = calendar.refusal(proposed, day)
        others = {other for other in days if other != day}
        alternatives = () if not reason else calendar.nearest(day, _target(day, at, tz), others)
        proposals.append(
            SessionProposal(
                index=index,
                day=day,
                proposed=proposed,
                is_free=not reason,
                reason=reason,
                too_far_ahead=proposed is not None and calendar.beyond_horizon(proposed),
                alternatives=alternatives,
            )
        )
    return proposals


def session_alternatives(
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    start: datetime,
    other_starts: Sequence[datetime],
    now: datetime | None = None,
) -> tuple[Slot, ...]:
    """The nearest free times in the week of `start`, off the days of `other_starts` (a refusal's)."""
    clinic = clinic_get()
    tz = clinic.tz
    day = start.astimezone(tz).date()
    calendar = _Calendar.read(
        clinic=clinic,
        client=client,
        therapist=therapist,
        service=service,
        days=[day],
        now=now or timezone.now(),
    )
    others = {other.astimezone(tz).date() for other in other_starts} - {day}
    return calendar.nearest(day, start, others)


def _target(day: date, at: time, tz: ZoneInfo) -> datetime:
    # When the clocks skip `at`, the nearest times are still measured from the wall-clock time.
    return datetime.combine(day, at, tzinfo=tz)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class _Calendar:
    """What the preview needs for the weeks of a series, read in a fixed number of queries."""

    clinic: Clinic
    therapist: Therapist
    service: Service
    now: datetime
    slots: list[Slot]
    closed: set[date]
    time_off: list[tuple[datetime, datetime]]
    clients_own: list[tuple[datetime, datetime]]
    hours: dict[int, list[tuple[time, time]]]
    intake_current_until: datetime | None  # booking needs the intake current on the day

    @classmethod
    def read(
        cls,
        *,
        clinic: Clinic,
        client: User,
        therapist: Therapist,
        service: Service,
        days: Iterable[date],
        now: datetime,
    ) -> "_Calendar":
        weeks = [_week(day) for day in days]
        first, last = min(w[0] for w in weeks), max(w[1] for w in weeks)
        tz = clinic.tz
        range_start = datetime.combine(first, time.min, tzinfo=tz)
        range_end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
        hours: dict[int, list[tuple[time, time]]] = {}
        for weekday, start, end in WorkingHours.objects.filter(therapist=therapist).values_list(
            "weekday", "start_time", "end_time"
        ):
            hours.setdefault(weekday, []).append((start, end))
        return cls(
            clinic=clinic,
            therapist=therapist,
            service=service,
            now=now,
            slots=free_slots(
                service=service, therapist=therapist, start_date=first, end_date=last, clinic=clinic, now=now
            ),
            closed=set(
                Closure.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True)
            ),
            time_off=list(
                TimeOff.objects.filter(
                    therapist=therapist, start__lt=range_end, end__gt=range_start
                ).values_list("start", "end")
            ),
            clients_own=list(
                Appointment.objects.filter(
                    client=client, status=Appointment.Status.BOOKED, start__lt=range_end, end__gt=range_start
                ).values_list("start", "end")
            ),
            hours=hours,
            intake_current_until=client_standing(client, clinic=clinic, now=now).current_until,
        )

    def beyond_horizon(self, start: datetime) -> bool:
        return start > self.now + timedelta(days=self.clinic.booking_horizon_days)

    def _clashes_with_client(self, start: datetime, end: datetime) -> bool:
        return any(start < other_end and other_start < end for other_start, other_end in self.clients_own)

    def refusal(self, proposed: datetime | None, day: date) -> str:
        """Why the client could not book `proposed`, in their words; "" when it is free."""
        name = self.therapist.name
        if proposed is None:
            return "The clocks change at that time that day."
        end = proposed + self.service.duration
        if proposed < self.now + timedelta(minutes=self.clinic.min_notice_minutes):
            return "That time is too soon to book online."
        if self.beyond_horizon(proposed):
            return (
                f"That is more than {self.clinic.booking_horizon_days} days ahead: book it nearer the time."
            )
        if self.intake_current_until is not None and proposed > self.intake_current_until:
            return "Your health questionnaire will be out of date by then: fill it in again to book this one."
        if day in self.closed:
            return "The clinic is closed that day."
        if self._clashes_with_client(proposed, end):
            return "You already have an appointment then."
        if any(start < end and proposed < stop for start, stop in self.time_off):
            return f"{name} is away then."
        if not self._within_hours(proposed, end, day):
            return f"{name} doesn't work at that time."
        if not any(s.start == proposed for s in self.slots):
            return f"{name} isn't free then."
        return ""

    def _within_hours(self, start: datetime, end: datetime, day: date) -> bool:
        tz = self.clinic.tz
        for hours_start, hours_end in self.hours.get(day.weekday(), []):
            opens, closes = local_datetime(day, hours_start, tz), local_datetime(day, hours_end, tz)
            if opens and closes and opens <= start and end <= closes:
                return True
        return False

    def nearest(self, day: date, target: datetime, other_days: set[date]) -> tuple[Slot, ...]:
        monday, sunday = _week(day)
        tz = self.clinic.tz
        candidates = [
            slot
            for slot in self.slots
            if monday <= (slot_day := slot.start.astimezone(tz).date()) <= sunday
            and slot_day not in other_days
            and not self._clashes_with_client(slot.start, slot.end)
            and (self.intake_current_until is None or slot.start <= self.intake_current_until)
        ]
        # On each day the time closest to the session's usual time, the closest days first: the
        # choice spans the week ("Tuesday at 10:00") rather than five times on one afternoon.
        usual = target.astimezone(tz)
        usual_minute = usual.hour * 60 + usual.minute

        def closeness(slot: Slot) -> tuple[int, int, datetime]:
            local = slot.start.astimezone(tz)
            minutes_off = abs(local.hour * 60 + local.minute - usual_minute)
            return abs((local.date() - day).days), minutes_off, slot.start

        closest_each_day: dict[date, Slot] = {}
        for slot in sorted(candidates, key=closeness):
            closest_each_day.setdefault(slot.start.astimezone(tz).date(), slot)
        nearest_days = sorted(closest_each_day.values(), key=closeness)
        return tuple(sorted(nearest_days[:ALTERNATIVES_SHOWN]))
