"""Writes for the sciatica intake: submitting, the short re-check at booking, doctor's clearance."""

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import DoctorClearance, Intake
from .triage import RED_FLAG_KEYS, Outcome, assess
from .validation import answer_errors, as_answers

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
    return _store(
        client=client,
        answers=as_answers(answers),
        details=dict(details or {}),
        consent_given_at=now,
        submitted_by=submitted_by or client,
        created_at=now,
    )


def intake_recheck(
    *,
    client: User,
    current: Intake,
    red_flags: Mapping[str, object],
    submitted_by: User | None = None,
    now: datetime | None = None,
) -> Intake | None:
    """The short red-flag check at booking ("since your intake, have you had any of these?").

    No change since `current` returns None. Any yes becomes a new intake: the previous answers
    with the new ones, assessed again, so the outcome and reasons are on record.
    """
    missing = [key for key in RED_FLAG_KEYS if key not in red_flags]
    errors = {key: message for key, message in answer_errors({**current.answers, **red_flags}).items()}
    errors.update({key: "This question must be answered." for key in missing})
    if errors:
        raise ValidationError({key: [message] for key, message in errors.items()})
    changed = {key: red_flags[key] for key in RED_FLAG_KEYS if red_flags[key] != current.answers.get(key)}
    if not any(value not in (False, "none") for value in changed.values()):
        return None
    now = now or timezone.now()
    return _store(
        client=client,
        answers=as_answers({**current.answers, **changed}),
        details={field: getattr(current, field) for field in DETAIL_FIELDS},
        consent_given_at=current.consent_given_at,
        submitted_by=submitted_by or client,
        created_at=now,
        rechecked_from=current,
    )


def clearance_record(
    *, intake: Intake, doctor_name: str, cleared_on: date, note: str, recorded_by: User
) -> DoctorClearance:
    """Record that a doctor has cleared massage, lifting a SEE_DOCTOR block on this intake."""
    errors: dict[str, list[str]] = {}
    if intake.outcome != Outcome.SEE_DOCTOR:
        errors["intake"] = ["Only a 'see a doctor first' intake can be cleared by a doctor."]
    if not doctor_name.strip():
        errors["doctor_name"] = ["Enter who cleared the client."]
    if cleared_on > timezone.localdate():
        errors["cleared_on"] = ["The clearance date can't be in the future."]
    if errors:
        raise ValidationError(errors)
    return DoctorClearance.objects.create(
        intake=intake,
        doctor_name=doctor_name.strip(),
        cleared_on=cleared_on,
        note=note,
        recorded_by=recorded_by,
    )


def _store(**fields: Any) -> Intake:
    assessment = assess(fields["answers"])
    details = fields.pop("details")
    with transaction.atomic():
        return Intake.objects.create(
            **fields,
            **details,
            outcome=assessment.outcome.value,
            reasons=[asdict(reason) for reason in assessment.reasons],
        )
