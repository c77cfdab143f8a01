"""Writes to the schedule: booking, moving and cancelling appointments.

Every path (the client's pages, the JSON API, the front desk, the admin) calls these
functions, so the rules live here once. Each write is one transaction that first locks the
client and the therapist (for "anyone", every therapist offering the service: see
bookings.assignment), then re-checks the schedule: two requests for the same slot queue up
behind the lock and the second one gets a friendly "no longer available". On PostgreSQL the
exclusion constraint added in bookings/migrations/0002 is the backstop.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_clinic_admin, is_front_desk
from intake.triage import Outcome
from notifications import outbox

from .alternatives import slot_taken
from .assignment import therapist_assign
from .availability import local_datetime
from .call_off import appointments_call_off
from .cautions import (
    NO_LIMITS,
    CautionLimits,
    booking_refusal,
    booking_refusal_for_staff,
    caution_limits,
)
from .change_window import change_window
from .errors import (
    BookingRefused,
    CancellationWindowClosed,
    CautionRuledOut,
)
from .models import Appointment, Clinic, Closure, Service, Therapist, TimeOff
from .previsit import session_completion_refusal
from .screening import intake_current_on_the_day_check, intake_gate_check, recheck_before_booking
from .selectors import clinic_get


def appointment_book(
    *,
    client: User,
    therapist: Therapist | None,
    service: Service,
    start: datetime,
    booked_by: User | None = None,
    red_flags: Mapping[str, object] | None = None,
    caution_override: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book `service` with `therapist` at `start` for `client`, or raise a BookingError.

    `therapist=None` is "anyone": the clinic picks a free therapist whom the client's cautions
    allow, the least busy that day (bookings.assignment), under the same locks.

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
    anyone = therapist is None
    limits = NO_LIMITS
    try:
        with transaction.atomic():
            _lock(client=client, therapist=therapist)
            standing = intake_gate_check(client=client, clinic=clinic, now=now)
            limits = caution_limits(standing.codes)
            override = _caution_check(
                limits=limits,
                clinic=clinic,
                service=service,
                therapist=therapist,
                by=booked_by,
                caution_override=caution_override,
            )
            if therapist is None:
                # The clinic's own rules first: a time nobody could take is refused as such.
                _check_time(clinic=clinic, client=client, service=service, start=start, now=now)
                therapist = therapist_assign(
                    clinic=clinic, service=service, start=start, limits=limits, now=now
                )
                if therapist is None:
                    raise slot_taken(clinic, None, service, start, limits=limits)
            _check_bookable(
                clinic=clinic, client=client, therapist=therapist, service=service, start=start, now=now
            )
            intake_current_on_the_day_check(standing=standing, start=start, clinic=clinic)
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
        raise slot_taken(clinic, None if anyone else therapist, service, start, limits=limits) from error


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
            standing = intake_gate_check(client=appointment.client, clinic=clinic, now=now)
            _check_changeable(clinic=clinic, appointment=appointment, by=by, now=now)
            override = _caution_check(
                limits=caution_limits(standing.codes),
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
            intake_current_on_the_day_check(standing=standing, start=start, clinic=clinic)
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
        raise slot_taken(clinic, therapist, appointment.service, start) from error


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


def appointments_cancel_for_erasure(*, client: User, now: datetime) -> list[Appointment]:
    """Cancel every appointment `client` has still to come, for the erasure of their account.

    The cancellation window does not apply: it protects the schedule from late changes of mind,
    and must not hold a client's data hostage. The caller holds the client's row lock.
    """
    with transaction.atomic():
        upcoming = appointments_call_off(
            client=client, reason=Appointment.CancellationReason.ACCOUNT_ERASED, now=now
        )
        for appointment in upcoming:
            outbox.appointment_cancelled(appointment, now=now)
        return upcoming


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


def _lock(*, client: User, therapist: Therapist | None) -> None:
    # Always client first, then therapists by primary key: a fixed order cannot deadlock.
    # "Anyone" (None) locks its candidates in bookings.assignment.therapist_assign.
    get_user_model().objects.select_for_update().filter(pk=client.pk).first()
    if therapist is not None:
        Therapist.objects.select_for_update().filter(pk=therapist.pk).first()


def _caution_check(
    *,
    limits: CautionLimits,
    clinic: Clinic,
    service: Service,
    therapist: Therapist | None,
    by: User | None,
    caution_override: str,
) -> str:
    """The override reason to keep: "" when the cautions rule nothing out, else the staff's reason.

    A client can never override: online, what their cautions rule out is not offered at all.
    """
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
    if not change_window(start=appointment.start, clinic=clinic, now=now).is_open:
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
    _check_time(
        clinic=clinic,
        client=client,
        service=service,
        start=start,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
    )
    end = start + service.duration
    if not therapist.is_active or not therapist.services.filter(pk=service.pk).exists():
        raise BookingRefused(f"{therapist.name} doesn't offer {service.name}.")
    if not _within_working_hours(therapist, start, end, clinic):
        raise BookingRefused(f"{therapist.name} isn't working at that time.")
    if TimeOff.objects.filter(therapist=therapist, start__lt=end, end__gt=start).exists():
        raise BookingRefused(f"{therapist.name} is away at that time.")
    others = Appointment.objects.exclude(pk__in=[ignore_appointment_id] if ignore_appointment_id else [])
    therapists_other = others.filter(
        therapist=therapist,
        status__in=Appointment.ACTIVE_STATUSES,
        start__lt=end + service.buffer_after,
        blocked_until__gt=start,
    )
    if therapists_other.exists():
        raise slot_taken(clinic, therapist, service, start, ignore_appointment_id=ignore_appointment_id)


def _check_time(
    *,
    clinic: Clinic,
    client: User,
    service: Service,
    start: datetime,
    now: datetime,
    ignore_appointment_id: int | None = None,
) -> None:
    """What is refused whoever the therapist: the service, the time itself, the client's own diary."""
    if timezone.is_naive(start):
        raise BookingRefused("The start time must include its time zone offset.")
    local_start = start.astimezone(clinic.tz)
    end = start + service.duration
    if not service.is_active:
        raise BookingRefused(f"{service.name} can't be booked at the moment.")
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
    others = Appointment.objects.exclude(pk__in=[ignore_appointment_id] if ignore_appointment_id else [])
    if others.filter(client=client, status=Appointment.Status.BOOKED, start__lt=end, end__gt=start).exists():
        raise BookingRefused("You already have an appointment at that time.")


def _within_working_hours(therapist: Therapist, start: datetime, end: datetime, clinic: Clinic) -> bool:
    day = start.astimezone(clinic.tz).date()
    for hours in therapist.working_hours.filter(weekday=day.weekday()):
        hours_start = local_datetime(day, hours.start_time, clinic.tz)
        hours_end = local_datetime(day, hours.end_time, clinic.tz)
        if hours_start and hours_end and hours_start <= start and end <= hours_end:
            return True
    return False


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour's" if hours == 1 else f"{hours} hours'"
    return f"{minutes} minutes'"
