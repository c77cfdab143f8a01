"""A client's health screening and what it does to their bookings: the gate and the re-check.

Every path that records an intake for a client (the intake pages, the API, the front desk's
phone intake, the re-check at booking and on the day, and the questions asked again when staff
lift a block) goes through here, so that a client who becomes blocked loses their future
appointments in the same transaction: they are cancelled by the clinic for a "health check",
their reminders and tips are withdrawn, and they are asked to contact the clinic.
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from clinic.rows import row_lock
from intake.models import Clearance, Intake
from intake.recheck import recheck_merge
from intake.selectors import Standing, intake_latest, intake_standing, recheck_due, standing_advice
from intake.services import clearance_record, intake_recheck, intake_submit
from intake.validation import recheck_errors
from notifications import outbox

from .call_off import appointments_call_off
from .errors import BookingRefused, IntakeRequired, RecheckRequired
from .models import Appointment, Clinic
from .selectors import clinic_get

T = TypeVar("T")


def client_standing(client: User, *, clinic: Clinic | None = None, now: datetime | None = None) -> Standing:
    """The outcome in force for `client`, under the clinic's intake validity (`clinic` when the
    caller has just read it, else it is read here)."""
    clinic = clinic or clinic_get()
    return intake_standing(client, valid_days=clinic.intake_valid_days, now=now or timezone.now())


def intake_record(
    *,
    client: User,
    answers: Mapping[str, object],
    consent: bool,
    details: Mapping[str, Any] | None = None,
    submitted_by: User | None = None,
    now: datetime | None = None,
) -> Intake:
    """Store a full intake; if it leaves the client blocked, release their appointments."""
    now = now or timezone.now()
    with transaction.atomic():
        intake = intake_submit(
            client=client,
            answers=answers,
            consent=consent,
            details=details,
            submitted_by=submitted_by,
            now=now,
        )
        _release_if_blocked(client=client, intake=intake, now=now)
        return intake


def recheck_record(
    *,
    client: User,
    report: Mapping[str, object],
    submitted_by: User | None = None,
    now: datetime | None = None,
) -> Intake | None:
    """Store what a re-check adds to the client's newest intake (None: nothing new)."""
    now = now or timezone.now()
    with transaction.atomic():
        client_lock(client.pk)
        previous = intake_latest(client)
        if previous is None:
            return None
        intake = intake_recheck(
            client=client, previous=previous, report=report, submitted_by=submitted_by, now=now
        )
        if intake is not None:
            _release_if_blocked(client=client, intake=intake, now=now)
        return intake


def block_lift(
    *,
    intake: Intake,
    kind: str,
    reasked: Mapping[str, object],
    recorded_by: User,
    doctor_name: str = "",
    practice: str = "",
    cleared_on: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[Clearance, Intake | None]:
    """Record a clearance (see intake.services.clearance_record); a new "yes" is a new block."""
    now = now or timezone.now()
    with transaction.atomic():
        client_lock(intake.client_id)
        clearance, new_intake = clearance_record(
            intake=intake,
            kind=kind,
            doctor_name=doctor_name,
            practice=practice,
            cleared_on=cleared_on,
            note=note,
            reasked=reasked,
            recorded_by=recorded_by,
            now=now,
        )
        if new_intake is not None:
            _release_if_blocked(client=intake.client, intake=new_intake, now=now)
        return clearance, new_intake


def _release_if_blocked(*, client: User, intake: Intake, now: datetime) -> None:
    if not intake.blocks_booking:
        return
    upcoming = appointments_call_off(
        client=client, reason=Appointment.CancellationReason.HEALTH_CHECK, now=now
    )
    outbox.client_blocked(client, intake=intake, released=upcoming, now=now)


def gated(
    write: Callable[[Standing], T],
    *,
    client: User,
    red_flags: Mapping[str, object] | None,
    by: User | None,
    clinic: Clinic,
    now: datetime,
) -> T:
    """`write(standing)` in a transaction that holds the client's lock, once the gate lets them book.

    Booking and moving (one appointment or a series) all come through here. The gate reads the
    outcome in force under the client's lock, which re-checks take too, and refuses a blocked
    client before anything else: they are never asked the re-check.

    `red_flags` are the re-check's answers (intake.recheck.RECHECK_KEYS), compared with the
    newest intake the gate has just read; None only when no re-check is due (a full intake in the
    last 12 hours), else RecheckRequired. A re-check that reports something new is committed on
    its own first, so that a new red flag stays on record (and releases the client's
    appointments) even though it then refuses the booking; the gate is then read again under a
    new lock. A client who reports nothing new, as nearly all do, costs one read of the standing.
    """
    with transaction.atomic():
        client_lock(client.pk)
        standing = intake_gate_check(client=client, clinic=clinic, now=now)
        if not _recheck_reports_news(client=client, standing=standing, red_flags=red_flags, now=now):
            return write(standing)
    assert red_flags is not None  # only a re-check can report news
    try:
        recheck_record(client=client, report=red_flags, submitted_by=by, now=now)
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from error
    with transaction.atomic():
        client_lock(client.pk)
        return write(intake_gate_check(client=client, clinic=clinic, now=now))


def client_lock(client_id: int) -> None:
    """Lock the client's row: their re-checks, bookings, moves, day-of checks and plan writes take
    it first, one at a time."""
    row_lock(User, client_id)


def _recheck_reports_news(
    *, client: User, standing: Standing, red_flags: Mapping[str, object] | None, now: datetime
) -> bool:
    """Does the re-check add to the newest intake (or need recheck_record to refuse it as invalid)?"""
    if red_flags is None:
        if recheck_due(client, now=now):
            raise RecheckRequired("Please answer the health check questions before booking.")
        return False
    if recheck_errors(red_flags):
        return True
    assert standing.newest is not None  # the gate refuses a client with no intake
    _, reported = recheck_merge(standing.newest.answers, red_flags)  # type: ignore[arg-type]
    return bool(reported)


def intake_gate_check(*, client: User, clinic: Clinic | None = None, now: datetime | None = None) -> Standing:
    """Raise IntakeRequired unless the outcome in force lets the client book; else return it.

    A red flag on record blocks until staff lift it, whatever the client answered since. Booking
    and moving call this inside their transaction; pages call it before they show times.
    """
    clinic = clinic or clinic_get()
    now = now or timezone.now()
    standing = client_standing(client, clinic=clinic, now=now)
    if standing.blocks_booking:
        advice = standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        )
        raise IntakeRequired(" ".join(advice), outcome=standing.outcome)
    if standing.newest is None:
        raise IntakeRequired("Please fill in the health questionnaire before booking.", outcome=None)
    if standing.outcome is None:
        raise IntakeRequired(
            f"Your health questionnaire is more than {clinic.intake_valid_days} days old. "
            "Please fill it in again before booking.",
            outcome=None,
        )
    return standing


def intake_current_on_the_day_check(*, standing: Standing, start: datetime, clinic: Clinic) -> None:
    """Raise IntakeRequired if the intake will be out of date on the day of an appointment at `start`."""
    if not standing.is_current_at(start):
        raise IntakeRequired(
            f"Your health questionnaire will be more than {clinic.intake_valid_days} days old on the "
            "day of this appointment. Please fill it in again before booking.",
            outcome=None,
        )
