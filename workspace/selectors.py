"""Reads for the staff workspace: agendas, a client's record, clashes to move, client search.

Access is decided in privacy.access; these functions read what they are asked for.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from accounts.models import User
from bookings.availability import days_between, local_datetime, local_day_bounds
from bookings.models import Appointment, Clinic, Closure, Therapist, TimeOff
from intake.models import Clearance, Intake
from intake.triage import Outcome

from .models import SessionNote, TherapistNotification

# The outcome each appointment is shown with: the outcome in force for its client (an open
# block on record wins over any later intake; see intake/selectors.py).
OUTCOME_ANNOTATIONS = ("intake_id", "intake_outcome", "intake_cleared")


def with_intake_outcome(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Annotate each appointment with its client's outcome in force, and whether it was lifted."""
    latest = Intake.objects.filter(client=OuterRef("client")).order_by("-created_at", "-pk")
    lifted = Clearance.objects.filter(intake=OuterRef("pk"))
    open_blocks = Intake.objects.filter(client=OuterRef("client")).exclude(Exists(lifted))
    return appointments.annotate(
        intake_id=Subquery(latest.values("pk")[:1]),
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        open_emergency=Exists(open_blocks.filter(outcome=Outcome.EMERGENCY)),
        open_see_doctor=Exists(open_blocks.filter(outcome=Outcome.SEE_DOCTOR)),
        intake_outcome=Case(
            When(open_emergency=True, then=Value(Outcome.EMERGENCY.value)),
            When(open_see_doctor=True, then=Value(Outcome.SEE_DOCTOR.value)),
            default=F("latest_outcome"),
        ),
        intake_cleared=Case(
            When(Q(open_emergency=True) | Q(open_see_doctor=True), then=Value(False)),
            default=Exists(Clearance.objects.filter(intake_id=OuterRef("intake_id"))),
            output_field=BooleanField(),
        ),
    )


def appointments_between(first: date, last: date, clinic: Clinic) -> QuerySet[Appointment]:
    """Appointments starting on local days `first` to `last`, not cancelled, with their outcome."""
    start, _ = local_day_bounds(first, clinic.tz)
    _, end = local_day_bounds(last, clinic.tz)
    appointments = Appointment.objects.filter(start__gte=start, start__lt=end).exclude(
        status=Appointment.Status.CANCELLED
    )
    return with_intake_outcome(appointments.select_related("client", "service", "therapist__user")).order_by(
        "start", "pk"
    )


@dataclass(frozen=True)
class AgendaDay:
    day: date
    appointments: list[Appointment]


@dataclass(frozen=True)
class Agenda:
    therapist: Therapist
    day: date
    today: list[Appointment]
    week: list[AgendaDay]


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def agenda(*, therapist: Therapist, day: date, clinic: Clinic) -> Agenda:
    """The therapist's appointments on `day` and in its week (Monday to Sunday), in one query."""
    monday, sunday = week_of(day)
    appointments = list(appointments_between(monday, sunday, clinic).filter(therapist=therapist))
    by_day: dict[date, list[Appointment]] = {each: [] for each in days_between(monday, sunday)}
    for appointment in appointments:
        by_day[appointment.start.astimezone(clinic.tz).date()].append(appointment)
    return Agenda(
        therapist=therapist,
        day=day,
        today=by_day[day],
        week=[AgendaDay(day=each, appointments=items) for each, items in by_day.items()],
    )


def client_intakes(client: User) -> list[Intake]:
    """Every intake of the client, newest first, with their doctors' clearances."""
    return list(
        Intake.objects.filter(client=client)
        .select_related("submitted_by")
        .prefetch_related("clearances")
        .order_by("-created_at", "-pk")
    )


def client_appointments(client: User) -> list[Appointment]:
    """All the client's appointments, newest first, with their session notes."""
    return list(
        Appointment.objects.filter(client=client)
        .select_related("service", "therapist__user", "session_note")
        .order_by("-start", "-pk")
    )


def client_session_notes(client: User, *, before: datetime | None = None) -> list[SessionNote]:
    """The client's session notes, newest first (only those of sessions before `before`)."""
    notes = SessionNote.objects.filter(appointment__client=client).select_related(
        "appointment__service", "appointment__therapist__user", "author"
    )
    if before is not None:
        notes = notes.filter(appointment__start__lt=before)
    return list(notes.order_by("-appointment__start"))


def pain_series(notes: list[SessionNote], clinic: Clinic) -> dict[str, list[object]]:
    """Pain before and after each session, oldest first, for the client page's chart."""
    ordered = sorted(notes, key=lambda note: note.appointment.start)
    return {
        "labels": [f"{note.appointment.start.astimezone(clinic.tz):%-d %b %Y}" for note in ordered],
        "before": [note.pain_before for note in ordered],
        "after": [note.pain_after for note in ordered],
    }


def clients_matching(clients: QuerySet[User], query: str) -> QuerySet[User]:
    """Clients whose name, email or phone contains each word of `query`."""
    for word in query.split():
        clients = clients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return clients.order_by("last_name", "first_name", "email")


def _booked_from(now: datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(status=Appointment.Status.BOOKED, end__gt=now).select_related(
        "client", "service", "therapist__user"
    )


def time_off_clashes(time_off: TimeOff, *, now: datetime | None = None) -> list[Appointment]:
    """Booked appointments that fall in this time off: the front desk's list to move."""
    booked = _booked_from(now or timezone.now())
    return list(
        booked.filter(
            therapist_id=time_off.therapist_id, start__lt=time_off.end, end__gt=time_off.start
        ).order_by("start")
    )


def closure_clashes(closure: Closure, *, clinic: Clinic, now: datetime | None = None) -> list[Appointment]:
    """Booked appointments on the day the clinic is now closed."""
    start, end = local_day_bounds(closure.date, clinic.tz)
    booked = _booked_from(now or timezone.now())
    return list(booked.filter(start__lt=end, end__gt=start).order_by("start", "therapist"))


def appointments_outside_hours(
    therapist: Therapist, *, clinic: Clinic, now: datetime | None = None
) -> list[Appointment]:
    """The therapist's booked appointments that no longer fit in their weekly hours."""
    hours = list(therapist.working_hours.all())
    outside = []
    for appointment in _booked_from(now or timezone.now()).filter(therapist=therapist).order_by("start"):
        day = appointment.start.astimezone(clinic.tz).date()
        if not any(
            (start := local_datetime(day, each.start_time, clinic.tz))
            and (end := local_datetime(day, each.end_time, clinic.tz))
            and start <= appointment.start
            and appointment.end <= end
            for each in hours
            if each.weekday == day.weekday()
        ):
            outside.append(appointment)
    return outside


def therapist_notifications_unread(user: User) -> list[TherapistNotification]:
    """`user`'s unread notifications of appointments still booked with them, soonest first."""
    return list(
        TherapistNotification.objects.filter(
            recipient=user,
            read_at__isnull=True,
            appointment__status=Appointment.Status.BOOKED,
            appointment__therapist__user=user,
        )
        .select_related("appointment__client", "appointment__service")
        .order_by("appointment__start", "pk")
    )
