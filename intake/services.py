"""Writes for the sciatica intake: submitting, the re-check, and staff lifting a block.

These store intakes and clearances only. A client who becomes blocked also loses their
future appointments in the same transaction: callers acting for a client go through
bookings.screening, which wraps these.
"""

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Clearance, Intake
from .recheck import recheck_assess
from .selectors import BLOCKING, intake_is_lifted, lifted_codes
from .triage import Assessment, assess
from .validation import answer_errors, as_answers, recheck_errors

DETAIL_FIELDS = (
    "pain_location",
    "worse_with",
    "health_history",
    "medications",
    "pressure_preference",
    "positioning",
    "areas_to_avoid",
    "goals",
)


def intake_submit(
    *,
    client: User,
    answers: Mapping[str, object],
    consent: bool,
    details: Mapping[str, Any] | None = None,
    submitted_by: User | None = None,
    now: datetime | None = None,
) -> Intake:
    """Store a new intake with its triage outcome; raise ValidationError (field-keyed) otherwise."""
    errors: dict[str, list[str]] = {key: [message] for key, message in answer_errors(answers).items()}
    if consent is not True:
        errors["consent"] = ["Please confirm your consent to continue."]
    unknown = set(details or {}) - set(DETAIL_FIELDS)
    for key in unknown:
        errors[key] = ["This is not one of the intake's fields."]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    validated = as_answers(answers)
    return _store(
        client=client,
        answers=validated,
        assessment=assess(validated),
        details=dict(details or {}),
        consent_given_at=now,
        submitted_by=submitted_by or client,
        created_at=now,
    )


def intake_recheck(
    *,
    client: User,
    previous: Intake,
    report: Mapping[str, object],
    submitted_by: User | None = None,
    now: datetime | None = None,
) -> Intake | None:
    """The re-check ("since your intake, have you had any of these?") against `previous`.

    Nothing new returns None. Anything new becomes a new intake: the previous answers with
    what the client added (a "no" never takes an answer away), assessed again. Red flags that
    staff lifted on `previous` stay lifted unless the client reports them anew.
    """
    errors = recheck_errors(report)
    if errors:
        raise ValidationError({key: [message] for key, message in errors.items()})
    result = recheck_assess(previous.answers, report, lifted_codes=lifted_codes(previous))  # type: ignore[arg-type]
    if result is None:
        return None
    merged, assessment = result
    now = now or timezone.now()
    return _store(
        client=client,
        answers=merged,
        assessment=assessment,
        details={field: getattr(previous, field) for field in DETAIL_FIELDS},
        consent_given_at=previous.consent_given_at,
        submitted_by=submitted_by or client,
        created_at=now,
        rechecked_from=previous,
    )


def clearance_record(
    *,
    intake: Intake,
    kind: str = Clearance.Kind.DOCTOR,
    doctor_name: str = "",
    practice: str = "",
    cleared_on: date | None = None,
    note: str = "",
    reasked: Mapping[str, object],
    recorded_by: User,
    now: datetime | None = None,
) -> tuple[Clearance, Intake | None]:
    """Lift a block: a doctor's clearance, or an answer given in error (confirmed with the client).

    `reasked` are the client's answers to the red-flag questions, asked again by the staff
    member at that moment (the re-check's questions). A new "yes" is recorded as a new intake,
    returned beside the clearance, and is a new block if the rules say so.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if intake.outcome not in BLOCKING:
        errors["intake"] = ["Only an intake that stops booking can be cleared."]
    elif intake_is_lifted(intake):
        errors["intake"] = ["This intake has already been cleared."]
    if kind == Clearance.Kind.DOCTOR:
        if not doctor_name.strip():
            errors["doctor_name"] = ["Enter the doctor who saw the client."]
        if not practice.strip():
            errors["practice"] = ["Enter the doctor's practice or hospital."]
        if cleared_on is None:
            errors["cleared_on"] = ["Enter the date the doctor saw the client."]
        elif cleared_on > today:
            errors["cleared_on"] = ["The date seen can't be in the future."]
        elif cleared_on < timezone.localdate(intake.created_at):
            errors["cleared_on"] = ["The doctor must have seen the client on or after the intake's date."]
    elif kind == Clearance.Kind.ANSWERED_IN_ERROR:
        if not note.strip():
            errors["note"] = ["Say what was answered in error and how you confirmed it with the client."]
        cleared_on = today
    else:
        errors["kind"] = ["Choose a doctor's clearance or an answer given in error."]
    errors.update({key: [message] for key, message in recheck_errors(reasked).items()})
    if errors:
        raise ValidationError(errors)
    assert cleared_on is not None
    with transaction.atomic():
        clearance = Clearance.objects.create(
            intake=intake,
            kind=kind,
            doctor_name=doctor_name.strip(),
            practice=practice.strip(),
            cleared_on=cleared_on,
            note=note.strip(),
            reasked_answers=dict(reasked),
            recorded_by=recorded_by,
            recorded_at=now,
        )
        newest = Intake.objects.filter(client=intake.client).order_by("-created_at", "-pk").first()
        assert newest is not None
        new_intake = intake_recheck(
            client=intake.client, previous=newest, report=reasked, submitted_by=recorded_by, now=now
        )
    return clearance, new_intake


def _store(*, answers: Mapping[str, object], assessment: Assessment, details: dict, **fields: Any) -> Intake:
    with transaction.atomic():
        return Intake.objects.create(
            **fields,
            **details,
            answers=dict(answers),
            outcome=assessment.outcome.value,
            reasons=[asdict(reason) for reason in assessment.reasons],
        )
