"""Writes the demo clients' stories (demo_cast.CAST) through the same services as the product.

Intakes, clearances, re-checks, session notes and bookings go through their services, so the
demo shows what the product would have made of them, outbox rows included. Past appointments
and their day-of checks are the exception: booking refuses past times and attendance needs a
check answered on the day, so they are written as rows. Seed data describes history; it does
not replay it.

Every step is skipped once done, so running the seed again adds nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import transaction

from accounts.models import User
from bookings.availability import free_slots, local_datetime
from bookings.errors import BookingError
from bookings.models import Appointment, Clinic, PreVisitCheck, Service, Therapist
from bookings.previsit import asks_if_weakness_worse
from bookings.screening import block_lift, client_standing, intake_record, recheck_record
from bookings.services import appointment_book
from intake.models import Clearance, Intake
from intake.recheck import RECHECK_KEYS
from intake.selectors import BLOCKING

# Upward on purpose: the seed spans every app, like the product it shows, and session notes are
# written only through workspace's service.
from workspace.services import session_note_save

from .demo_cast import CAST, CLEAR_ANSWERS, DemoClient, Session

SUNDAY = 6  # the demo therapists work Monday to Saturday
CHECKED_BEFORE_START = timedelta(minutes=10)


@dataclass
class Seeded:
    """What one run added, for the command's summary."""

    clients: int = 0
    intakes: int = 0
    sessions: int = 0
    bookings: int = 0


def demo_clients_seed(
    *, clinic: Clinic, now: datetime, admin: User, desk: User, password: str, stdout: OutputWrapper
) -> Seeded:
    """Create the cast and whatever of their stories is not there yet."""
    seeded = Seeded()
    today = now.astimezone(clinic.tz).date()
    for each in CAST:
        client = User.objects.filter(email=each.email).first()
        if client is None:
            client = User.objects.create(
                email=each.email,
                first_name=each.first_name,
                last_name=each.last_name,
                phone=each.phone,
                password=demo_password_hash(password),
            )
            seeded.clients += 1
        if each.intake_days_ago is None:
            continue
        therapist = Therapist.objects.select_related("user").get(user__email=each.therapist)
        service = Service.objects.get(name=each.service[0], duration_minutes=each.service[1])
        if not Intake.objects.filter(client=client).exists():
            seeded.intakes += _intake_write(each, client=client, clinic=clinic, today=today, admin=admin)
        if each.sessions and not Appointment.objects.filter(client=client, start__lt=now).exists():
            seeded.sessions += _sessions_write(
                each, client=client, therapist=therapist, service=service, clinic=clinic, today=today
            )
        seeded.bookings += _visits_book(
            each,
            client=client,
            therapist=therapist,
            service=service,
            clinic=clinic,
            today=today,
            now=now,
            desk=desk,
            stdout=stdout,
        )
        has_been_blocked = Intake.objects.filter(client=client, outcome__in=BLOCKING).exists()
        if each.reports_today and not has_been_blocked:
            report = _nothing_new(pain_score=_pain_now(each)) | dict.fromkeys(each.reports_today, True)
            recheck_record(client=client, report=report, now=now)
    return seeded


@cache
def demo_password_hash(password: str) -> str:
    """Hashing is slow on purpose (about half a second): every demo login shares one hash."""
    return make_password(password)


def working_day(today: date, offset: int) -> date:
    """The `offset`-th working day after `today` (before it when negative); 0 is today, or the
    next working day on a Sunday."""
    step = timedelta(days=1 if offset >= 0 else -1)
    day = today
    if offset >= 0 and day.weekday() == SUNDAY:
        day += step
    for _ in range(abs(offset)):
        day += step
        while day.weekday() == SUNDAY:
            day += step
    return day


def _intake_write(each: DemoClient, *, client: User, clinic: Clinic, today: date, admin: User) -> int:
    """The client's questionnaire, filled in one evening before their first session."""
    assert each.intake_days_ago is not None
    day = today - timedelta(days=each.intake_days_ago)
    if each.sessions:
        first_session = min(working_day(today, -session.working_days_ago) for session in each.sessions)
        day = min(day, first_session - timedelta(days=1))
    filled_in = _at(day, time(19, 30), clinic)
    answers = CLEAR_ANSWERS | each.answers
    intake = intake_record(client=client, answers=answers, consent=True, details=each.details, now=filled_in)
    if each.cleared_by is not None:
        doctor, practice, days = each.cleared_by
        seen_on = day + timedelta(days=days)
        block_lift(
            intake=intake,
            kind=Clearance.Kind.DOCTOR,
            doctor_name=doctor,
            practice=practice,
            cleared_on=seen_on,
            reasked=_nothing_new(pain_score=_intake_pain(each)),
            recorded_by=admin,
            now=_at(seen_on, time(17), clinic),
        )
    return 1


def _sessions_write(
    each: DemoClient, *, client: User, therapist: Therapist, service: Service, clinic: Clinic, today: date
) -> int:
    # Rows, not appointment_book and attendance: booking refuses past times, and seed data
    # describes history rather than replaying it. One transaction: a client's history or none.
    with transaction.atomic():
        for session in each.sessions:
            start = _at(working_day(today, -session.working_days_ago), session.at, clinic)
            appointment = Appointment.objects.create(
                client=client,
                therapist=therapist,
                service=service,
                start=start,
                end=start + service.duration,
                blocked_until=start + service.duration + service.buffer_after,
                status=session.status,
                booked_by=client,
                cancelled_at=start - timedelta(days=2)
                if session.status == Appointment.Status.CANCELLED
                else None,
            )
            if session.status == Appointment.Status.COMPLETED:
                _session_record(each, session, appointment=appointment, therapist=therapist)
    return len(each.sessions)


def _session_record(
    each: DemoClient, session: Session, *, appointment: Appointment, therapist: Therapist
) -> None:
    """The day-of check answered just before the session, then the therapist's note after it."""
    checked_at = appointment.start - CHECKED_BEFORE_START
    PreVisitCheck.objects.create(
        appointment=appointment,
        answers=_nothing_new(pain_score=session.pain_before),
        weakness_worse=False if asks_if_weakness_worse(appointment.client, now=checked_at) else None,
        answered_by=therapist.user,
        answered_at=checked_at,
    )
    treatment = each.treatment
    session_note_save(
        appointment=appointment,
        author=therapist.user,
        content={
            "client_reports": session.client_reports,
            "findings": session.findings,
            "techniques": list(treatment.techniques),
            "pressure": treatment.pressure,
            "positioning": treatment.positioning,
            "areas_treated": treatment.areas_treated,
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
            "plan": treatment.plan,
            "home_care": treatment.home_care,
        },
        now=appointment.end,
    )


def _visits_book(
    each: DemoClient,
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    clinic: Clinic,
    today: date,
    now: datetime,
    desk: User,
    stdout: OutputWrapper,
) -> int:
    """Book the client's visits to come, unless they have one already or may not book."""
    booked_ahead = Appointment.objects.filter(client=client, status=Appointment.Status.BOOKED, start__gt=now)
    if not each.visits or booked_ahead.exists() or not client_standing(client, now=now).can_book:
        return 0
    booked = 0
    for visit in each.visits:
        day = working_day(today, visit.working_days_ahead)
        wanted = _at(day, visit.at, clinic)
        slots = free_slots(
            service=service,
            therapist=therapist,
            start_date=day,
            end_date=day + timedelta(days=6),
            clinic=clinic,
            now=now,
        )
        start = next((slot.start for slot in slots if slot.start >= wanted), None)
        if start is None:
            stdout.write(
                f"  No free time for {each.first_name} {each.last_name} with {therapist.name} near {day}."
            )
            continue
        try:
            appointment_book(
                client=client,
                therapist=therapist,
                service=service,
                start=start,
                booked_by=desk if visit.by_desk else None,
                red_flags=_nothing_new(pain_score=_pain_now(each)),
                now=now,
            )
        except BookingError as refusal:
            stdout.write(f"  {each.first_name} {each.last_name} not booked: {refusal.message}")
            continue
        booked += 1
    return booked


def _pain_now(each: DemoClient) -> int:
    """The pain the client reports today: after their last session, or as at their intake.

    Never more than at the intake: the re-check would take worse pain as something new.
    """
    at_intake = _intake_pain(each)
    completed = [session for session in each.sessions if session.status == Appointment.Status.COMPLETED]
    if not completed:
        return at_intake
    latest = min(completed, key=lambda session: session.working_days_ago)
    return min(at_intake, latest.pain_after)


def _intake_pain(each: DemoClient) -> int:
    pain = (CLEAR_ANSWERS | each.answers)["pain_score"]
    assert isinstance(pain, int)
    return pain


def _nothing_new(*, pain_score: int) -> dict[str, object]:
    """The re-check's answers when nothing is new (intake.recheck.RECHECK_KEYS)."""
    report: dict[str, object] = dict.fromkeys(RECHECK_KEYS, False)
    return report | {"leg_weakness": "none", "recent_surgery_weeks": None, "pain_score": pain_score}


def _at(day: date, at: time, clinic: Clinic) -> datetime:
    moment = local_datetime(day, at, clinic.tz)
    assert moment is not None, "demo times are never inside a clock change"
    return moment
