"""Reads about treatment plans: who may see which, and how far along each client is.

A plan's sessions are the appointments of the series booked for it (care.services.series_book);
moving one keeps it in its series, cancelling one takes it out of the count. Other apps read
progress through `plan_progress` and `plan_sessions_completed` only.

Who sees a plan (privacy.access, refusals are 404):
- the client, their own plans (`plans_of_client`);
- admins, every plan; a therapist, the plans of the clients they may see (their own clients);
- the front desk, every plan, but only what it needs to book and follow up (service, therapist,
  sessions, frequency, progress): the goals and summary are clinical (`can_read_plan_clinical`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import is_clinic_admin
from bookings.models import Appointment
from privacy.access import AnyUser, can_read_clinical, clients_visible_to, keeps_schedule, therapist_of

from .models import TreatmentPlan

# Appointments that took place or may yet: a cancelled session is no longer part of the plan.
_HELD_OR_BOOKED = Appointment.ACTIVE_STATUSES


@dataclass(frozen=True)
class PlanProgress:
    sessions_planned: int
    sessions_done: int  # completed appointments of the plan's series
    sessions_booked_ahead: int  # booked and still to come
    sessions_unrecorded: int  # booked, started, not yet marked completed or no-show
    next_session: Appointment | None
    last_session: Appointment | None  # the latest that has started (completed, no-show or booked)
    is_finished: bool  # as many sessions completed as planned

    @property
    def sessions_to_book(self) -> int:
        """Sessions neither done nor booked (a missed one is to book again): what "Book my sessions" offers."""
        booked = self.sessions_done + self.sessions_booked_ahead + self.sessions_unrecorded
        return max(0, self.sessions_planned - booked)

    @property
    def percent_done(self) -> int:
        return min(100, round(100 * self.sessions_done / self.sessions_planned))


@dataclass(frozen=True)
class PlanStanding:
    """A plan on the therapist's list: its progress and whether the client has dropped off."""

    plan: TreatmentPlan
    progress: PlanProgress
    dropped_off: bool
    # Since when nothing is booked: the last session's start, or the plan's writing.
    quiet_since: datetime


def plan_appointments(plan: TreatmentPlan) -> QuerySet[Appointment]:
    """Every appointment booked in the plan's series, cancelled ones included, by start."""
    return (
        Appointment.objects.filter(series_member__series__plan=plan)
        .select_related("service", "therapist__user")
        .order_by("start", "pk")
    )


def plan_sessions_completed(plan: TreatmentPlan) -> list[Appointment]:
    """The completed appointments of the plan's series, in order."""
    return list(plan_appointments(plan).filter(status=Appointment.Status.COMPLETED))


def plan_progress(
    plan: TreatmentPlan, *, now: datetime | None = None, appointments: list[Appointment] | None = None
) -> PlanProgress:
    """`appointments` when the caller has just read plan_appointments(plan) (else they are read)."""
    if appointments is None:
        appointments = list(plan_appointments(plan))
    return _progress(plan, appointments, now or timezone.now())


def plans_progress(
    plans: Iterable[TreatmentPlan], *, now: datetime | None = None
) -> list[tuple[TreatmentPlan, PlanProgress]]:
    """Each plan with its progress, in two queries whatever the number of plans."""
    plans = list(plans)
    now = now or timezone.now()
    by_plan: dict[int, list[Appointment]] = defaultdict(list)
    appointments = (
        Appointment.objects.filter(series_member__series__plan__in=plans)
        .annotate(plan_id=F("series_member__series__plan_id"))
        .select_related("service", "therapist__user")
        .order_by("start", "pk")
    )
    for appointment in appointments:
        by_plan[appointment.plan_id].append(appointment)  # type: ignore[attr-defined]
    return [(plan, _progress(plan, by_plan[plan.pk], now)) for plan in plans]


def plans_completed_ends(plans: Iterable[TreatmentPlan]) -> dict[int, list[datetime]]:
    """{plan pk: when each completed session of the plan ended, in session order}, for every
    plan given (an empty list when none is completed yet), in one query."""
    plans = list(plans)
    ends: dict[int, list[datetime]] = {plan.pk: [] for plan in plans}
    completed = (
        Appointment.objects.filter(series_member__series__plan__in=plans, status=Appointment.Status.COMPLETED)
        .annotate(plan_id=F("series_member__series__plan_id"))
        .order_by("start", "pk")
        .values_list("plan_id", "end")
    )
    for plan_id, end in completed:
        ends[plan_id].append(end)
    return ends


def _progress(plan: TreatmentPlan, appointments: list[Appointment], now: datetime) -> PlanProgress:
    done = [a for a in appointments if a.status == Appointment.Status.COMPLETED]
    ahead = [a for a in appointments if a.status == Appointment.Status.BOOKED and a.start > now]
    started = [a for a in appointments if a.status in _HELD_OR_BOOKED and a.start <= now]
    unrecorded = [a for a in started if a.status == Appointment.Status.BOOKED]
    return PlanProgress(
        sessions_planned=plan.sessions_planned,
        sessions_done=len(done),
        sessions_booked_ahead=len(ahead),
        sessions_unrecorded=len(unrecorded),
        next_session=ahead[0] if ahead else None,
        last_session=started[-1] if started else None,
        is_finished=len(done) >= plan.sessions_planned,
    )


def plan_standings(plans: Iterable[TreatmentPlan], *, now: datetime | None = None) -> list[PlanStanding]:
    """Active plans with how far along each client is and whether they have dropped off.

    A client has dropped off when more than twice the plan's interval has passed since their
    last session (or, before the first, since the plan was written) with nothing booked since.
    A plan whose sessions are all done is never on the follow-up list.
    """
    now = now or timezone.now()
    standings = []
    for plan, progress in plans_progress(plans, now=now):
        quiet_since = progress.last_session.start if progress.last_session else plan.written_at
        dropped_off = (
            not progress.is_finished
            and progress.next_session is None
            and now - quiet_since > 2 * plan.interval
        )
        standings.append(PlanStanding(plan, progress, dropped_off, quiet_since))
    return standings


# --- Who may see and write what ------------------------------------------------------------------


def plans_visible_to(user: AnyUser) -> QuerySet[TreatmentPlan]:
    """The plans whose page `user` may open on the staff side (see the module's docstring)."""
    plans = TreatmentPlan.objects.select_related("client", "service", "therapist__user")
    if keeps_schedule(user):
        return plans.all()
    if therapist_of(user) is None:
        return plans.none()
    return plans.filter(client__in=clients_visible_to(user))


def plans_of_client(client: User) -> QuerySet[TreatmentPlan]:
    """A client's own plans, the newest first."""
    return TreatmentPlan.objects.filter(client=client).select_related("service", "therapist__user")


def plan_current(client: User) -> TreatmentPlan | None:
    """The client's active plan (at most one), else their newest."""
    plans = plans_of_client(client)
    return plans.filter(status=TreatmentPlan.Status.ACTIVE).first() or plans.first()


def can_read_plan_clinical(user: AnyUser, plan: TreatmentPlan) -> bool:
    """Goals and summary: the client's clinical record (admins and the client's own therapists)."""
    return can_read_clinical(user, plan.client)


def can_write_plan(user: AnyUser, client: User) -> bool:
    """Admins, or a therapist the client sees (privacy.access), who writes it as their own plan."""
    if is_clinic_admin(user):
        return True
    return therapist_of(user) is not None and can_read_clinical(user, client)


def can_book_plan(user: AnyUser, plan: TreatmentPlan) -> bool:
    """Staff who book for clients (front desk, admins) book a plan's series on the staff side."""
    return keeps_schedule(user)
