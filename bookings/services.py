"""Writes to the schedule: booking, moving and cancelling appointments.

Every path (the client's pages, the JSON API, the front desk, the admin) calls these
functions, so the rules live here once. Each write is one transaction that first locks the
client and the therapist, then re-checks the schedule: two requests for the same slot queue
up behind the lock and the second one gets a friendly "no longer available". On PostgreSQL
the exclusion constraint added in bookings/migrations/0002 is the backstop.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_clinic_admin, is_front_desk
from intake.selectors import Standing
from intake.triage import Outcome
from notifications import outbox

from .availability import free_slots, local_datetime
from .cautions import booking_refusal, booking_refusal_for_staff, caution_limits
from .errors import (
    BookingRefused,
    CancellationWindowClosed,
    CautionRuledOut,
    SlotUnavailable,
)
from .models import Appointment, Clinic, Closure, Service, Therapist, TimeOff
from .previsit import session_completion_refusal
from .screening import client_standing, intake_gate_check, recheck_before_booking
from .selectors import clinic_get

ALTERNATIVES_SHOWN = 5
ALTERNATIVES_SEARCH_DAYS = 7


def appointment_book(
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    start: datetime,
    booked_by: User | None = None,
    red_flags: Mapping[str, object] | None = None,
    caution_override: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book `service` with `therapist` at `start` for `client`, or raise a BookingError.

    `red_flags` are the client's answers to the re-check (intake.recheck.RECHECK_KEYS); None
    only when no re-check is due (a full intake in the last 12 hours), else RecheckRequired.
    The gate runs first, so a blocked client is never asked; a new red flag is recorded (and
    releases the client's appointments) even though it then refuses the booking.

    A service or therapist the client's cautions rule out (bookings.cautions) is refused with
    CautionRuledOut, unless the front desk or an admin books it with `caution_override`, the
    reason, which is kept on the appointment. A client with a caution alerts the therapist.
    """
    now = now or timezone.now()
    clinic = clinic_get()
    intake_gate_check(client=client, clinic=clinic, now=now)
    recheck_before_booking(client=client, red_flags=red_flags, by=booked_by, now=now)
    try:
        with transaction.atomic():
            _lock(client=client, therapist=therapist)
            intake_gate_check(client=client, clinic=clinic, now=now)
            standing = client_standing(client, now=now)
            override = _caution_check(
                standing=standing,
                clinic=clinic,
                service=service,
                therapist=therapist,
                by=booked_by,
                caution_override=caution_override,
            )
            _check_bookable(
                clinic=clinic, client=client, therapist=therapist, service=service, start=start, now=now
            )
            intake_gate_check(client=client, clinic=clinic, now=now, at=start)
            appointment = Appointment.objects.create(
                client=client,
                therapist=therapist,
                service=service,
                start=start,
                end=start + service.duration,
                blocked_until=start + service.duration + service.buffer_after,
                booked_by=booked_by or client,
                caution_override=override,
            )
            outbox.appointment_booked(appointment, now=now)
            if standing.outcome == Outcome.CAUTION:
                outbox.caution_booked(appointment, now=now)
            return appointment
    except IntegrityError as error:
        raise _slot_taken(clinic, therapist, service, start) from error


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: datetime,
    therapist: Therapist | None = None,
    by: User,
    red_flags: Mapping[str, object] | None = None,
    caution_override: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to a new start (and optionally another therapist).

    Moving passes the same intake gate, re-check and cautions as booking (`caution_override`
    as there); a new therapist is alerted to a client with a caution.
    """
    now = now or timezone.now()
    therapist = therapist or appointment.therapist
    clinic = clinic_get()
    intake_gate_check(client=appointment.client, clinic=clinic, now=now)
    recheck_before_booking(client=appointment.client, red_flags=red_flags, by=by, now=now)
    try:
        with transaction.atomic():
            _lock(client=appointment.client, therapist=therapist)
            appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
            intake_gate_check(client=appointment.client, clinic=clinic, now=now)
            _check_changeable(clinic=clinic, appointment=appointment, by=by, now=now)
            standing = client_standing(appointment.client, now=now)
            override = _caution_check(
                standing=standing,
                clinic=clinic,
                service=appointment.service,
                therapist=therapist,
                by=by,
                caution_override=caution_override,
            )
            _check_bookable(
                clinic=clinic,
                client=appointment.client,
                therapist=therapist,
                service=appointment.service,
                start=start,
                now=now,
                ignore_appointment_id=appointment.pk,
            )
            intake_gate_check(client=appointment.client, clinic=clinic, now=now, at=start)
            new_therapist = appointment.therapist_id != therapist.pk
            appointment.therapist = therapist
            appointment.start = start
            appointment.end = start + appointment.service.duration
            appointment.blocked_until = appointment.end + appointment.service.buffer_after
            changed = ["therapist", "start", "end", "blocked_until", "updated_at"]
            if override:
                appointment.caution_override = override
                changed.append("caution_override")
            appointment.save(update_fields=changed)
            outbox.appointment_moved(appointment, now=now)
            if new_therapist and standing.outcome == Outcome.CAUTION:
                outbox.caution_booked(appointment, now=now)
            return appointment
    except IntegrityError as error:
        raise _slot_taken(clinic, therapist, appointment.service, start) from error


def appointment_cancel(*, appointment: Appointment, by: User, now: datetime | None = None) -> Appointment:
    """Cancel a booked appointment; inside the cancellation window only staff may."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        _check_changeable(clinic=clinic_get(), appointment=appointment, by=by, now=now)
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
        outbox.appointment_cancelled(appointment, now=now)
        return appointment


def appointment_record_attendance(
    *, appointment: Appointment, status: str, by: User, now: datetime | None = None
) -> Appointment:
    """Mark a started appointment completed or a no-show (the therapist's or front desk's call).

    Completed needs the day-of check (bookings.previsit): answered on the day, not stopping the
    session, with a current intake and no red flag in force. A no-show needs none of that.
    """
    now = now or timezone.now()
    if status not in (Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW):
        raise BookingRefused("An appointment can only be marked completed or no-show.")
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == Appointment.Status.CANCELLED:
            raise BookingRefused("This appointment was cancelled.")
        if appointment.start > now:
            raise BookingRefused("An appointment can be marked only once it has started.")
        if status == Appointment.Status.COMPLETED:
            refusal = session_completion_refusal(appointment=appointment, now=now)
            if refusal:
                raise BookingRefused(refusal)
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        outbox.attendance_recorded(appointment, now=now)
        return appointment


def cancellation_deadline(appointment: Appointment, clinic: Clinic) -> datetime:
    return appointment.start - timedelta(hours=clinic.cancellation_window_hours)


def _lock(*, client: User, therapist: Therapist) -> None:
    # Always client first, then therapist: a fixed order cannot deadlock.
    get_user_model().objects.select_for_update().filter(pk=client.pk).first()
    Therapist.objects.select_for_update().filter(pk=therapist.pk).first()


def _caution_check(
    *,
    standing: Standing,
    clinic: Clinic,
    service: Service,
    therapist: Therapist,
    by: User | None,
    caution_override: str,
) -> str:
    """The override reason to keep: "" when the cautions rule nothing out, else the staff's reason.

    A client can never override: online, what their cautions rule out is not offered at all.
    """
    limits = caution_limits(standing.codes)
    refusal = booking_refusal(limits, service=service, therapist=therapist, clinic_phone=clinic.phone)
    if not refusal:
        return ""
    reason = caution_override.strip()
    if reason and by is not None and (is_front_desk(by) or is_clinic_admin(by)):
        return reason
    raise CautionRuledOut(
        refusal, for_staff=booking_refusal_for_staff(limits, service=service, therapist=therapist)
    )


def _check_changeable(*, clinic: Clinic, appointment: Appointment, by: User, now: datetime) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise BookingRefused("This appointment is no longer booked, so it can't be changed.")
    if is_clinic_admin(by) or is_front_desk(by):
        return
    if now >= cancellation_deadline(appointment, clinic):
        phone = f" on {clinic.phone}" if clinic.phone else ""
        raise CancellationWindowClosed(
            f"Appointments can't be changed online less than {clinic.cancellation_window_hours} hours "
            f"before they start. Please call the clinic{phone}."
        )


def _check_bookable(
    *,
    clinic: Clinic,
    client: User,
    therapist: Therapist,
    service: Service,
    start: datetime,
    now: datetime,
    ignore_appointment_id: int | None = None,
) -> None:
    if timezone.is_naive(start):
        raise BookingRefused("The start time must include its time zone offset.")
    tz = clinic.tz
    local_start = start.astimezone(tz)
    end = start + service.duration
    if not service.is_active:
        raise BookingRefused(f"{service.name} can't be booked at the moment.")
    if not therapist.is_active or not therapist.services.filter(pk=service.pk).exists():
        raise BookingRefused(f"{therapist.name} doesn't offer {service.name}.")
    if start <= now:
        raise BookingRefused("That time has already passed. Please choose a time in the future.")
    if start < now + timedelta(minutes=clinic.min_notice_minutes):
        raise BookingRefused(
            f"Online bookings need at least {_minutes_text(clinic.min_notice_minutes)} notice."
        )
    if start > now + timedelta(days=clinic.booking_horizon_days):
        raise BookingRefused(f"Appointments can be booked up to {clinic.booking_horizon_days} days ahead.")
    minute_of_day = local_start.hour * 60 + local_start.minute
    if local_start.second or local_start.microsecond or minute_of_day % clinic.slot_step_minutes:
        raise BookingRefused(
            f"Appointments start on the {clinic.slot_step_minutes}-minute grid, for example 10:00."
        )
    if Closure.objects.filter(date=local_start.date()).exists():
        raise BookingRefused("The clinic is closed on that day.")
    if not _within_working_hours(therapist, start, end, clinic):
        raise BookingRefused(f"{therapist.name} isn't working at that time.")
    if TimeOff.objects.filter(therapist=therapist, start__lt=end, end__gt=start).exists():
        raise BookingRefused(f"{therapist.name} is away at that time.")
    others = Appointment.objects.exclude(pk__in=[ignore_appointment_id] if ignore_appointment_id else [])
    if others.filter(client=client, status=Appointment.Status.BOOKED, start__lt=end, end__gt=start).exists():
        raise BookingRefused("You already have an appointment at that time.")
    therapists_other = others.filter(
        therapist=therapist,
        status__in=Appointment.ACTIVE_STATUSES,
        start__lt=end + service.buffer_after,
        blocked_until__gt=start,
    )
    if therapists_other.exists():
        raise _slot_taken(clinic, therapist, service, start, ignore_appointment_id=ignore_appointment_id)


def _within_working_hours(therapist: Therapist, start: datetime, end: datetime, clinic: Clinic) -> bool:
    day = start.astimezone(clinic.tz).date()
    for hours in therapist.working_hours.filter(weekday=day.weekday()):
        hours_start = local_datetime(day, hours.start_time, clinic.tz)
        hours_end = local_datetime(day, hours.end_time, clinic.tz)
        if hours_start and hours_end and hours_start <= start and end <= hours_end:
            return True
    return False


def _slot_taken(
    clinic: Clinic,
    therapist: Therapist,
    service: Service,
    start: datetime,
    ignore_appointment_id: int | None = None,
) -> SlotUnavailable:
    day = start.astimezone(clinic.tz).date()
    nearby = free_slots(
        service=service,
        therapist=therapist,
        start_date=day,
        end_date=day + timedelta(days=ALTERNATIVES_SEARCH_DAYS),
        clinic=clinic,
        ignore_appointment_id=ignore_appointment_id,
    )
    closest = sorted(nearby, key=lambda slot: abs(slot.start - start))[:ALTERNATIVES_SHOWN]
    return SlotUnavailable(
        "Sorry, that time is no longer available. Here are other times nearby.", sorted(closest)
    )


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour's" if hours == 1 else f"{hours} hours'"
    return f"{minutes} minutes'"
