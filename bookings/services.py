"""Writes to the schedule: booking, moving and cancelling appointments.

Every path (the client's pages, the JSON API, the front desk, the admin) calls these
functions, so the rules live here once. Each write is one transaction that first locks the
client and the therapist (for "anyone", every therapist offering the service: see
bookings.assignment), then re-checks the schedule: two requests for the same slot queue up
behind the lock and the second one gets a friendly "no longer available". On PostgreSQL the
exclusion constraint added in bookings/migrations/0002 is the backstop.
"""

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_clinic_admin, is_front_desk
from clinic.rows import row_get, rows_insert
from intake.selectors import Standing
from intake.triage import Outcome
from notifications import outbox

from .alternatives import slot_taken
from .assignment import therapist_assign
from .availability import local_datetime, local_day_bounds
from .call_off import appointments_call_off
from .cautions import (
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
from .models import Appointment, Clinic, Closure, Service, Therapist, TimeOff, WorkingHours
from .previsit import session_completion_refusal
from .screening import gated, intake_current_on_the_day_check
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
    clinic: Clinic | None = None,
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

    A taken time is SlotUnavailable, whose free times nearby are looked up only when read, after
    this booking's transaction has ended (bookings.errors).

    `clinic` is the settings row when the caller has just read it (else it is read here).
    """
    now = now or timezone.now()
    clinic = clinic or clinic_get()

    def book(standing: Standing) -> Appointment:
        limits = caution_limits(standing.codes)
        chosen = _lock_therapist(therapist) if therapist is not None else None
        override = _caution_check(
            limits=limits,
            clinic=clinic,
            service=service,
            therapist=chosen,
            by=booked_by,
            caution_override=caution_override,
        )
        _check_bookable(clinic=clinic, client=client, therapist=chosen, service=service, start=start, now=now)
        if chosen is None:
            # Its free_slots, read after locking every candidate, is the recount for anyone.
            chosen = therapist_assign(clinic=clinic, service=service, start=start, limits=limits, now=now)
            if chosen is None:
                raise slot_taken(clinic, None, service, start, limits=limits)
        intake_current_on_the_day_check(standing=standing, start=start, clinic=clinic)
        try:
            appointment = Appointment(
                client=client,
                therapist=chosen,
                service=service,
                start=start,
                end=start + service.duration,
                blocked_until=start + service.duration + service.buffer_after,
                booked_by=booked_by or client,
                caution_override=override,
            )
            rows_insert([appointment])
        except IntegrityError as error:  # the exclusion constraint: the recount raced another booking
            raise slot_taken(clinic, therapist, service, start, limits=limits) from error
        outbox.appointment_booked(appointment, now=now)
        if standing.outcome == Outcome.CAUTION:
            outbox.caution_booked(appointment, now=now)
        return appointment

    return gated(book, client=client, red_flags=red_flags, by=booked_by, clinic=clinic, now=now)


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
    as there); a new therapist is alerted to a client with a caution. A taken time is
    SlotUnavailable, its alternatives looked up when read, as for booking.
    """
    now = now or timezone.now()
    clinic = clinic_get()
    moving_to = therapist or appointment.therapist

    def move(standing: Standing) -> Appointment:
        therapist = _lock_therapist(moving_to)
        moved = Appointment.objects.select_for_update().get(pk=appointment.pk)
        _check_changeable(clinic=clinic, appointment=moved, by=by, now=now)
        override = _caution_check(
            limits=caution_limits(standing.codes),
            clinic=clinic,
            service=moved.service,
            therapist=therapist,
            by=by,
            caution_override=caution_override,
        )
        _check_bookable(
            clinic=clinic,
            client=moved.client,
            therapist=therapist,
            service=moved.service,
            start=start,
            now=now,
            ignore_appointment_id=moved.pk,
        )
        intake_current_on_the_day_check(standing=standing, start=start, clinic=clinic)
        new_therapist = moved.therapist_id != therapist.pk
        moved.therapist = therapist
        moved.start = start
        moved.end = start + moved.service.duration
        moved.blocked_until = moved.end + moved.service.buffer_after
        changed = ["therapist", "start", "end", "blocked_until", "updated_at"]
        if override:
            moved.caution_override = override
            changed.append("caution_override")
        try:
            moved.save(update_fields=changed)
        except IntegrityError as error:  # the exclusion constraint: the recount raced another booking
            raise slot_taken(
                clinic, therapist, moved.service, start, ignore_appointment_id=moved.pk
            ) from error
        outbox.appointment_moved(moved, now=now)
        if new_therapist and standing.outcome == Outcome.CAUTION:
            outbox.caution_booked(moved, now=now)
        return moved

    return gated(move, client=appointment.client, red_flags=red_flags, by=by, clinic=clinic, now=now)


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


# Always the client first, then therapists by primary key: a fixed order cannot deadlock ("anyone"
# locks its candidates in bookings.assignment.therapist_assign). The client's lock orders the gate
# after any re-check, which takes it too; the therapist's orders the recount after any booking,
# time off, hours or closure written for them (workspace.services takes it too). The gate needs
# only the client's, so it is read before the therapist's is taken: bookings competing for one
# therapist queue for less time.


def _lock_therapist(therapist: Therapist) -> Therapist:
    """The therapist's row, locked, as it is now (whatever `therapist` was read before).

    Their user row (the name) is read only if a refusal names them."""
    locked = row_get(Therapist, therapist.pk, lock=True)
    if locked is None:
        raise Therapist.DoesNotExist(f"No therapist {therapist.pk}")
    return locked


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
    therapist: Therapist | None,
    service: Service,
    start: datetime,
    now: datetime,
    ignore_appointment_id: int | None = None,
) -> None:
    """The recount, after the locks: the time itself, the client's diary, the therapist's schedule.

    With no therapist ("anyone"), only what is refused whoever the therapist: the clinic's own
    rules come first, so a time nobody could take is refused as such. Every question about the
    rows is asked in one round trip, in the order the refusals are given.
    """
    _check_request(clinic=clinic, service=service, start=start, now=now)
    found = _in_the_way(
        clinic=clinic,
        client=client,
        therapist=therapist,
        service=service,
        start=start,
        ignore_appointment_id=ignore_appointment_id,
    )
    if found["closed"]:
        raise BookingRefused("The clinic is closed on that day.")
    if found["client_busy"]:
        raise BookingRefused("You already have an appointment at that time.")
    if therapist is None:
        return
    if not therapist.is_active or not found["offered"]:
        raise BookingRefused(f"{therapist.name} doesn't offer {service.name}.")
    end = start + service.duration
    working = found["working"] if "working" in found else _within_working_hours(therapist, start, end, clinic)
    if not working:
        raise BookingRefused(f"{therapist.name} isn't working at that time.")
    if found["away"]:
        raise BookingRefused(f"{therapist.name} is away at that time.")
    if found["taken"]:
        raise slot_taken(clinic, therapist, service, start, ignore_appointment_id=ignore_appointment_id)


def _check_request(*, clinic: Clinic, service: Service, start: datetime, now: datetime) -> None:
    """What is refused without looking at the schedule: the service, and the time itself."""
    if timezone.is_naive(start):
        raise BookingRefused("The start time must include its time zone offset.")
    local_start = start.astimezone(clinic.tz)
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


def _within_working_hours(therapist: Therapist, start: datetime, end: datetime, clinic: Clinic) -> bool:
    day = start.astimezone(clinic.tz).date()
    for hours in therapist.working_hours.filter(weekday=day.weekday()):
        hours_start = local_datetime(day, hours.start_time, clinic.tz)
        hours_end = local_datetime(day, hours.end_time, clinic.tz)
        if hours_start and hours_end and hours_start <= start and end <= hours_end:
            return True
    return False


def _in_the_way(
    *,
    clinic: Clinic,
    client: User,
    therapist: Therapist | None,
    service: Service,
    start: datetime,
    ignore_appointment_id: int | None,
) -> dict[str, bool]:
    """Every question the recount asks of the rows, as EXISTS subqueries in one round trip.

    Written as SQL, not built by the ORM: compiling six EXISTS querysets cost a booking more CPU
    than anything else it does. The answers are the same on PostgreSQL and SQLite.
    """
    ops = connection.ops
    end = start + service.duration
    booked = Appointment.Status.BOOKED
    active = ", ".join(f"'{status}'" for status in Appointment.ACTIVE_STATUSES)  # the code's own constants
    params: dict[str, Any] = {
        "day": ops.adapt_datefield_value(start.astimezone(clinic.tz).date()),
        "client": client.pk,
        "start": ops.adapt_datetimefield_value(start),
        "end": ops.adapt_datetimefield_value(end),
        "reach": ops.adapt_datetimefield_value(end + service.buffer_after),
        "ignored": ignore_appointment_id or 0,  # no appointment has id 0
    }
    questions = {
        "closed": f"SELECT 1 FROM {Closure._meta.db_table} WHERE date = %(day)s",
        "client_busy": f"""SELECT 1 FROM {Appointment._meta.db_table} WHERE client_id = %(client)s
            AND status = '{booked}' AND start < %(end)s AND "end" > %(start)s AND id <> %(ignored)s""",
    }
    if therapist is not None:
        params |= {"therapist": therapist.pk, "service": service.pk}
        questions |= {
            "offered": f"""SELECT 1 FROM {Therapist.services.through._meta.db_table}
                WHERE therapist_id = %(therapist)s AND service_id = %(service)s""",
            "away": f"""SELECT 1 FROM {TimeOff._meta.db_table}
                WHERE therapist_id = %(therapist)s AND start < %(end)s AND "end" > %(start)s""",
            "taken": f"""SELECT 1 FROM {Appointment._meta.db_table} WHERE therapist_id = %(therapist)s
                AND status IN ({active}) AND start < %(reach)s AND blocked_until > %(start)s
                AND id <> %(ignored)s""",
        }
        covering = _working_hours_covering(start, end, clinic)
        if covering is not None:
            weekday, local_start, local_end = covering
            params |= {
                "weekday": weekday,
                "local_start": ops.adapt_timefield_value(local_start),
                "local_end": ops.adapt_timefield_value(local_end),
            }
            questions["working"] = f"""SELECT 1 FROM {WorkingHours._meta.db_table}
                WHERE therapist_id = %(therapist)s AND weekday = %(weekday)s
                AND start_time <= %(local_start)s AND end_time >= %(local_end)s"""
    sql = "SELECT " + ", ".join(f"EXISTS ({question})" for question in questions.values())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        answers = cursor.fetchone()
    return dict(zip(questions, map(bool, answers), strict=True))


def _working_hours_covering(start: datetime, end: datetime, clinic: Clinic) -> tuple[int, time, time] | None:
    """What _within_working_hours asks, as the weekday and the session's local start and end
    times (hours covering them), to ask with the rest; None when it can't be asked that way.

    On a local day whose clocks don't change, wall-clock times map one-to-one and in order onto
    instants, so comparing times of day is comparing the instants _within_working_hours builds.
    On the two days a year they change, or for a session running past midnight, it reads the rows.
    """
    local_start, local_end = start.astimezone(clinic.tz), end.astimezone(clinic.tz)
    day_start, day_end = local_day_bounds(local_start.date(), clinic.tz)
    if day_end - day_start != timedelta(days=1) or local_end.date() != local_start.date():
        return None
    return local_start.weekday(), local_start.time(), local_end.time()


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour's" if hours == 1 else f"{hours} hours'"
    return f"{minutes} minutes'"
