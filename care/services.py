"""Writes for a course of care: treatment plans, series of sessions, packages sold at the desk.

A series is booked through bookings.services.appointment_book, session by session, inside one
transaction: each session passes the same intake gate, cautions, checks and locks as a single
booking, and if any is refused the whole series rolls back (all or none). Two series racing for
the same times queue on the therapist's row lock (held to the end of the series' transaction),
and the loser finds its times taken and books nothing; the exclusion constraint on appointments
is the backstop.

Each session queues its own confirmation and reminder (bookings.services, notifications.outbox):
each confirmation carries that session's calendar file, which is what a client adds to their
calendar, so a series of 12 sends 12 confirmations rather than one summary without them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_clinic_admin
from bookings.change_window import change_window
from bookings.errors import BookingError, BookingRefused, CautionRuledOut, IntakeRequired
from bookings.models import Appointment, Service, Therapist
from bookings.screening import client_lock, gated
from bookings.selectors import clinic_get
from bookings.services import appointment_book, appointment_cancel
from intake.recheck import RECHECK_NOTHING_NEW
from intake.selectors import Standing
from privacy.access import client_accounts, keeps_schedule, therapist_of

from .errors import SeriesRefused
from .models import Package, PackagePurchase, Series, SeriesAppointment, TreatmentPlan
from .selectors import can_write_plan, plan_progress
from .series import SERIES_MAX_SESSIONS, session_alternatives

MAX_GOALS = 5
MAX_GOAL_LENGTH = 200
MAX_SUMMARY_LENGTH = 4000
MAX_AMOUNT = Decimal("999999.99")

# --- Treatment plans ------------------------------------------------------------------------


def plan_write(
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    goals: list[str],
    sessions_planned: int,
    frequency: str,
    reassess_every_sessions: int,
    summary: str,
    by: User,
    now: datetime | None = None,
) -> TreatmentPlan:
    """Write a plan for `client` (after an assessment); it replaces their active plan, if any.

    Only an admin, or a therapist who sees the client (privacy.access) writing the plan as
    their own, may: anyone else gets PermissionDenied. Bad values are a ValidationError keyed
    by field. A client has one active plan at a time: the one it replaces is ended (completed
    if all its sessions were done).
    """
    now = now or timezone.now()
    if not can_write_plan(by, client) or not client_accounts().filter(pk=client.pk).exists():
        raise PermissionDenied("Only the client's own therapist or an admin writes their plan.")
    if not is_clinic_admin(by) and therapist_of(by) != therapist:
        raise PermissionDenied("A therapist writes plans as their own.")
    goals = [goal.strip() for goal in goals if goal.strip()]
    _plan_check(
        therapist=therapist,
        service=service,
        goals=goals,
        sessions_planned=sessions_planned,
        frequency=frequency,
        reassess_every_sessions=reassess_every_sessions,
        summary=summary,
    )
    with transaction.atomic():
        client_lock(client.pk)  # one plan write at a time
        plans_close_active(client=client, now=now)
        return TreatmentPlan.objects.create(
            client=client,
            therapist=therapist,
            service=service,
            goals=goals,
            sessions_planned=sessions_planned,
            frequency=frequency,
            reassess_every_sessions=reassess_every_sessions,
            summary=summary.strip(),
            written_by=by,
            written_at=now,
        )


def plan_end(*, plan: TreatmentPlan, by: User, now: datetime | None = None) -> TreatmentPlan:
    """End an active plan: completed if all its sessions were done, else ended early.

    Its sessions still booked stay booked (cancel them, or the series, separately).
    """
    now = now or timezone.now()
    if not can_write_plan(by, plan.client):
        raise PermissionDenied("Only the client's own therapist or an admin ends their plan.")
    with transaction.atomic():
        plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != TreatmentPlan.Status.ACTIVE:
            raise ValidationError("This plan has already ended.")
        _plan_close(plan, now=now)
        return plan


def plans_close_active(*, client: User, now: datetime) -> None:
    """End the client's active plan as plan_end would: completed if all its sessions were done,
    else ended early. No permission check: the caller has made its own."""
    for active in TreatmentPlan.objects.filter(client=client, status=TreatmentPlan.Status.ACTIVE):
        _plan_close(active, now=now)


def _plan_close(plan: TreatmentPlan, *, now: datetime) -> None:
    finished = plan_progress(plan, now=now).is_finished
    plan.status = TreatmentPlan.Status.COMPLETED if finished else TreatmentPlan.Status.ENDED
    plan.ended_at = now
    plan.save(update_fields=["status", "ended_at"])


def _plan_check(
    *,
    therapist: Therapist,
    service: Service,
    goals: list[str],
    sessions_planned: int,
    frequency: str,
    reassess_every_sessions: int,
    summary: str,
) -> None:
    errors: dict[str, str] = {}
    if not therapist.is_active or not therapist.services.filter(pk=service.pk).exists():
        errors["service"] = f"{therapist.name} doesn't offer {service.name}."
    elif not service.is_active:
        errors["service"] = f"{service.name} can't be booked at the moment."
    if not goals:
        errors["goals"] = "Write at least one goal, in the client's words."
    elif len(goals) > MAX_GOALS:
        errors["goals"] = f"Keep to {MAX_GOALS} goals at most."
    elif any(len(goal) > MAX_GOAL_LENGTH for goal in goals):
        errors["goals"] = f"Keep each goal to {MAX_GOAL_LENGTH} characters."
    if not 1 <= sessions_planned <= SERIES_MAX_SESSIONS:
        errors["sessions_planned"] = f"Plan between 1 and {SERIES_MAX_SESSIONS} sessions."
    if frequency not in TreatmentPlan.Frequency.values:
        errors["frequency"] = "Choose weekly, every two weeks or twice a week."
    if not 1 <= reassess_every_sessions <= SERIES_MAX_SESSIONS:
        errors["reassess_every_sessions"] = f"Re-assess every 1 to {SERIES_MAX_SESSIONS} sessions."
    if not summary.strip():
        errors["summary"] = "Write a summary the client can read."
    elif len(summary) > MAX_SUMMARY_LENGTH:
        errors["summary"] = f"Keep the summary to {MAX_SUMMARY_LENGTH} characters."
    if errors:
        raise ValidationError(errors)


# --- Series -----------------------------------------------------------------------------------


def series_book(
    *,
    client: User,
    therapist: Therapist,
    service: Service,
    starts: list[datetime],
    plan: TreatmentPlan | None = None,
    booked_by: User,
    red_flags: dict[str, object] | None = None,
    caution_override: str = "",
    now: datetime | None = None,
) -> Series:
    """Book a session at each of `starts` with `therapist`, all or none, for `plan` if given.

    The gate runs first and the re-check (`red_flags`, as for appointment_book) is recorded
    once for the whole series; they refuse with IntakeRequired, RecheckRequired or
    BookingRefused before any session. A session the booking service refuses rolls the whole
    series back and raises SeriesRefused, which says which session, why, and the nearest free
    times in its week. The client books for themselves; the front desk and admins for anyone.
    """
    now = now or timezone.now()
    if booked_by != client and not keeps_schedule(booked_by):
        raise PermissionDenied("Only the client or the clinic books a client's sessions.")
    starts = sorted(starts)
    if not starts:
        raise BookingRefused("Choose at least one session to book.")
    if len(starts) > SERIES_MAX_SESSIONS:
        raise BookingRefused(f"A series has at most {SERIES_MAX_SESSIONS} sessions.")
    if plan is not None:
        _plan_bookable_check(plan=plan, client=client, therapist=therapist, service=service)
    clinic = clinic_get()
    # The re-check is asked once for the whole series: gated records what it adds before the
    # first session (so a new red flag stays on record even though the series is then refused,
    # as for one booking). Each session then re-checks "nothing new since": the client answered
    # a moment ago, and a "yes" repeated for every session would store one new intake per session.
    each_session_flags = None if red_flags is None else RECHECK_NOTHING_NEW
    index: int | None = None  # the session being booked, once the sessions start

    def book_all(standing: Standing) -> Series:
        nonlocal index
        if plan is not None:
            to_book = plan_progress(plan, now=now).sessions_to_book
            if len(starts) > to_book:
                raise BookingRefused(f"The plan has {to_book} sessions left to book.")
        series = Series.objects.create(client=client, plan=plan, booked_by=booked_by, booked_at=now)
        members = []
        for index in range(len(starts)):  # `index` says which session a refusal is about
            appointment = appointment_book(
                client=client,
                therapist=therapist,
                service=service,
                start=starts[index],
                booked_by=booked_by,
                red_flags=each_session_flags,
                caution_override=caution_override,
                now=now,
                clinic=clinic,
            )
            members.append(SeriesAppointment(series=series, appointment=appointment))
        SeriesAppointment.objects.bulk_create(members)
        return series

    try:
        return gated(book_all, client=client, red_flags=red_flags, by=booked_by, clinic=clinic, now=now)
    except BookingError as error:
        if index is None:
            raise  # about the series as a whole, not one of its sessions
        if isinstance(error, IntakeRequired | CautionRuledOut):
            # Another time would be refused the same way: nothing to offer instead.
            raise SeriesRefused(index=index, start=starts[index], refusal=error) from error
        alternatives = session_alternatives(
            client=client,
            therapist=therapist,
            service=service,
            start=starts[index],
            other_starts=starts,
            now=now,
        )
        raise SeriesRefused(
            index=index, start=starts[index], refusal=error, alternatives=alternatives
        ) from error


def _plan_bookable_check(
    *, plan: TreatmentPlan, client: User, therapist: Therapist, service: Service
) -> None:
    if plan.client_id != client.pk:
        raise PermissionDenied("This plan is another client's.")
    if plan.status != TreatmentPlan.Status.ACTIVE:
        raise BookingRefused("This plan has ended, so its sessions can't be booked.")
    if plan.therapist_id != therapist.pk or plan.service_id != service.pk:
        raise BookingRefused(f"The plan's sessions are {plan.service.name} with {plan.therapist.name}.")


@dataclass(frozen=True)
class SeriesCancellation:
    cancelled: list[Appointment]
    kept: list[Appointment]  # inside the cancellation window: only the clinic can cancel them now


def series_cancel(*, series: Series, by: User, now: datetime | None = None) -> SeriesCancellation:
    """Cancel every session of `series` still to come, in one transaction.

    As for one appointment, a client cannot cancel online inside the cancellation window: those
    sessions are kept (and listed) for the clinic to cancel; the front desk and admins cancel all.
    """
    now = now or timezone.now()
    if by != series.client and not keeps_schedule(by):
        raise PermissionDenied("Only the client or the clinic cancels a client's sessions.")
    clinic = clinic_get()
    staff = keeps_schedule(by)
    cancelled, kept = [], []
    with transaction.atomic():
        upcoming = Appointment.objects.filter(
            series_member__series=series, status=Appointment.Status.BOOKED, start__gt=now
        ).order_by("start", "pk")
        for appointment in upcoming:
            if staff or change_window(start=appointment.start, clinic=clinic, now=now).is_open:
                cancelled.append(appointment_cancel(appointment=appointment, by=by, now=now))
            else:
                kept.append(appointment)
    return SeriesCancellation(cancelled=cancelled, kept=kept)


# --- Packages ---------------------------------------------------------------------------------


def package_sell(
    *,
    client: User,
    package: Package,
    payment_method: str,
    amount_paid: Decimal,
    by: User,
    now: datetime | None = None,
) -> PackagePurchase:
    """Record a package sold to `client` and paid at the desk (front desk and admins only).

    It is valid until the end of the clinic's local day `valid_days` after the sale; which
    sessions it pays for is read from the appointments (care.packages).
    """
    now = now or timezone.now()
    if not keeps_schedule(by):
        raise PermissionDenied("Only the front desk or an admin sells packages.")
    if not client_accounts().filter(pk=client.pk).exists():
        raise PermissionDenied("Packages are sold to clients.")
    errors: dict[str, str] = {}
    if not package.is_active:
        errors["package"] = f"{package.name} is no longer sold."
    if payment_method not in PackagePurchase.PaymentMethod.values:
        errors["payment_method"] = "Choose how the client paid."
    if not Decimal(0) <= amount_paid <= MAX_AMOUNT:
        errors["amount_paid"] = f"Enter an amount between 0.00 and {MAX_AMOUNT}."
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate(now, timezone=clinic_get().tz)
    with transaction.atomic():
        return PackagePurchase.objects.create(
            package=package,
            client=client,
            sessions=package.sessions,
            amount_paid=amount_paid,
            payment_method=payment_method,
            sold_by=by,
            sold_at=now,
            expires_on=today + timedelta(days=package.valid_days),
        )
