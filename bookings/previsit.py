"""The day-of check: the red-flag questions asked again on the day of an appointment.

Spec shared/clinical/red-flags.md §3, "Re-screening": symptoms develop over time (R6, R2), so
the EMERGENCY and SEE_DOCTOR questions are asked again at booking and on the day. The client
answers from the signed link in their reminder, or the therapist asks before the session. A
session is marked completed only after a check on its own day that did not stop it.
"""

from collections.abc import Mapping
from datetime import date, datetime

from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from intake.triage import LegWeakness
from intake.validation import recheck_errors

from .availability import local_day_bounds
from .models import Appointment, Clinic, PreVisitCheck
from .screening import client_lock, client_standing, recheck_record
from .selectors import clinic_get

PRE_VISIT_TOKEN_SALT = "bookings.pre_visit_check"
# Spec §3, C7's handling note: "ask at every visit whether the weakness is worse; if it is,
# stop and give the EMERGENCY advice".
WEAKNESS_WATCHED = "C7"


def pre_visit_check_record(
    *,
    appointment: Appointment,
    report: Mapping[str, object],
    weakness_worse: bool | None = None,
    answered_by: User | None = None,
    now: datetime | None = None,
) -> PreVisitCheck:
    """Store the day-of check for a booked appointment, on its day; raise ValidationError otherwise.

    `report` is the re-check (intake.recheck.RECHECK_KEYS); `weakness_worse` is required for a
    client with mild, stable leg weakness (C7) and ignored for anyone else. Weakness that is
    worse is reported as severe or getting worse (E3). Anything new becomes a new intake, and if
    it leaves the client blocked the check stops the session (and bookings.screening releases
    their appointments still to start). `answered_by` None means the client, through the link.
    """
    now = now or timezone.now()
    clinic = clinic_get()
    with transaction.atomic():
        # The client's row first, as booking takes it: a fixed order cannot deadlock.
        client_lock(appointment.client_id)
        appointment = Appointment.objects.select_for_update().select_related("client").get(pk=appointment.pk)
        client = appointment.client
        asks_weakness = asks_if_weakness_worse(client, now=now)
        errors = {key: [message] for key, message in recheck_errors(report).items()}
        if asks_weakness and weakness_worse is None:
            errors["weakness_worse"] = ["Please say whether the weakness in the leg is worse."]
        refusal = _not_answerable(appointment, clinic=clinic, now=now)
        if refusal:
            errors[NON_FIELD_ERRORS] = [refusal]
        if errors:
            raise ValidationError(errors)
        reported = dict(report)
        if asks_weakness and weakness_worse:
            reported["leg_weakness"] = LegWeakness.SEVERE_OR_WORSENING.value
        intake = recheck_record(client=client, report=reported, submitted_by=answered_by, now=now)
        stops_session = intake is not None and client_standing(client, now=now).blocks_booking
        if stops_session and appointment.status == Appointment.Status.BOOKED:
            # Already started, so screening did not release it: it will not take place.
            appointment.status = Appointment.Status.CANCELLED
            appointment.cancelled_at = now
            appointment.cancellation_reason = Appointment.CancellationReason.HEALTH_CHECK
            appointment.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
        return PreVisitCheck.objects.create(
            appointment=appointment,
            answers=dict(report),  # as answered; what was recorded from them is on `intake`
            weakness_worse=weakness_worse if asks_weakness else None,
            intake=intake,
            stops_session=stops_session,
            answered_by=answered_by,
            answered_at=now,
        )


def asks_if_weakness_worse(client: User, *, now: datetime) -> bool:
    """Is the client asked whether their leg weakness is worse (C7 in force)?"""
    return WEAKNESS_WATCHED in client_standing(client, now=now).codes


def pre_visit_check_for(appointment: Appointment, *, clinic: Clinic | None = None) -> PreVisitCheck | None:
    """The latest check answered on the appointment's local day.

    A check from another day does not count: an appointment moved to a later day is asked again.
    """
    day_start, day_end = local_day_bounds(
        appointment_day(appointment, clinic=clinic), (clinic or clinic_get()).tz
    )
    return (
        appointment.pre_visit_checks.filter(answered_at__gte=day_start, answered_at__lt=day_end)
        .select_related("answered_by")
        .order_by("-answered_at", "-pk")
        .first()
    )


def pre_visit_check_due(appointment: Appointment, now: datetime, *, clinic: Clinic | None = None) -> bool:
    """Is the day-of check still to be asked: the appointment is booked, today, and not yet asked?"""
    clinic = clinic or clinic_get()
    return (
        not _not_answerable(appointment, clinic=clinic, now=now)
        and pre_visit_check_for(appointment, clinic=clinic) is None
    )


def pre_visit_check_opens_at(appointment: Appointment, *, clinic: Clinic | None = None) -> datetime:
    """The start of the appointment's local day: the check is about how the client is that day."""
    clinic = clinic or clinic_get()
    return local_day_bounds(appointment_day(appointment, clinic=clinic), clinic.tz)[0]


def appointment_day(appointment: Appointment, *, clinic: Clinic | None = None) -> date:
    """The appointment's date in the clinic's time zone."""
    return appointment.start.astimezone((clinic or clinic_get()).tz).date()


def session_completion_refusal(*, appointment: Appointment, now: datetime) -> str:
    """Why the session can't be marked completed ("" when it can): spec §3's day-of rules."""
    standing = client_standing(appointment.client, now=now)
    if standing.blocks_booking:
        return "The client's health check stops this session: give them the advice shown and don't treat."
    if standing.newest is None:
        return "The client hasn't filled in the health questionnaire: fill it in with them first."
    if not standing.is_current_at(appointment.start):
        return "The client's health questionnaire is out of date: fill it in with them first."
    check = pre_visit_check_for(appointment)
    if check is None:
        return "Ask the client the day-of health check before the session: it hasn't been answered today."
    if check.stops_session:
        return (
            "The day-of health check stopped this session: give the client the advice shown and don't treat."
        )
    return ""


# --- The link in the reminder ------------------------------------------------------------------


def pre_visit_token(appointment: Appointment) -> str:
    """The signed token of the reminder's link: the appointment's id and end, nothing clinical.

    It lets whoever holds it answer the check for that appointment and nothing else, and only
    until the appointment ends; moving the appointment (a new end) retires it.
    """
    return signing.dumps(
        {"a": appointment.pk, "e": int(appointment.end.timestamp())}, salt=PRE_VISIT_TOKEN_SALT
    )


def appointment_from_token(token: str, now: datetime) -> Appointment | None:
    """The booked appointment a token names; None when forged, expired, moved or no longer booked."""
    try:
        payload = signing.loads(token, salt=PRE_VISIT_TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    appointment_id, ends = payload.get("a"), payload.get("e")
    if not isinstance(appointment_id, int) or not isinstance(ends, int) or now.timestamp() >= ends:
        return None
    appointment = (
        Appointment.objects.filter(pk=appointment_id, status=Appointment.Status.BOOKED)
        .select_related("client")
        .first()
    )
    if appointment is None or int(appointment.end.timestamp()) != ends:
        return None
    return appointment


def _not_answerable(appointment: Appointment, *, clinic: Clinic, now: datetime) -> str:
    if appointment.status != Appointment.Status.BOOKED:
        return "This appointment is no longer booked."
    if now < pre_visit_check_opens_at(appointment, clinic=clinic):
        return "The health check is asked on the day of the appointment."
    if now >= appointment.end:
        return "This appointment has ended."
    return ""
