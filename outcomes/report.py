"""The report's outcomes: for each therapist and each service, the share of clients who finished
a treatment plan in the period with a meaningful improvement on the primary measure.

- A plan is finished when it is marked completed (at its ended_at) or when as many of its
  sessions are completed as planned (at the end of the last of them); it counts in the period
  in which it finished. A client counts once per therapist or service: their latest plan.
- The primary measure is the Sciatica Bothersomeness Index, else the 0-10 pain rating: the
  first of PRIMARY_MEASURES with a verdict for the plan (a first and a later score, and a
  published threshold). The SBI ships without a published minimal important change, so until a
  clinic adds one to its definition file the pain rating decides.
- A plan with no verdict on either measure is left out, so each share says how many clients it
  rests on; below MIN_CLIENTS nothing is shown. Small groups would be noise and, in a small
  clinic, could point at one person.

Read in four queries whatever the period's length.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from bookings.availability import local_day_bounds
from bookings.models import Appointment, Clinic
from care.models import TreatmentPlan
from care.selectors import plans_completed_ends

from .definitions import measures
from .selectors import OutcomeChange, plans_outcomes

PRIMARY_MEASURES = ("sbi", "pain")
MIN_CLIENTS = 5


@dataclass(frozen=True)
class OutcomeShare:
    label: str
    clients: int  # clients who finished a plan with a verdict on the primary measure
    improved: int  # of whom with a meaningful improvement

    @property
    def shown(self) -> bool:
        return self.clients >= MIN_CLIENTS

    @property
    def share(self) -> float | None:
        """improved / clients (0.6 = 60%), or None below MIN_CLIENTS."""
        return self.improved / self.clients if self.shown else None


@dataclass(frozen=True)
class OutcomeShares:
    by_therapist: list[OutcomeShare]
    by_service: list[OutcomeShare]
    primary_names: list[str]  # the primary measures, in order of preference
    min_clients: int = MIN_CLIENTS


def outcome_shares(*, first: date, last: date, clinic: Clinic) -> OutcomeShares:
    """The outcome shares for plans finished on the local dates `first` to `last` inclusive."""
    start, _ = local_day_bounds(first, clinic.tz)
    _, end = local_day_bounds(last, clinic.tz)
    finished = plans_finished(start=start, end=end)
    changes = plans_outcomes(plan for plan, _ in finished)
    judged = [
        (plan, at, verdict)
        for plan, at in finished
        if (verdict := primary_improved(changes[plan.pk])) is not None
    ]
    known = measures()
    return OutcomeShares(
        by_therapist=_shares(judged, lambda plan: (plan.therapist_id, plan.therapist.name)),
        by_service=_shares(judged, lambda plan: (plan.service_id, plan.service.name)),
        primary_names=[known[key].name for key in PRIMARY_MEASURES if key in known],
    )


def plans_finished(*, start: datetime, end: datetime) -> list[tuple[TreatmentPlan, datetime]]:
    """Plans that finished in [start, end), each with when."""
    completed_in_period = Appointment.objects.filter(
        status=Appointment.Status.COMPLETED, start__gte=start, start__lt=end
    ).values("series_member__series__plan_id")
    plans = list(
        TreatmentPlan.objects.filter(
            Q(status=TreatmentPlan.Status.COMPLETED, ended_at__gte=start, ended_at__lt=end)
            | Q(pk__in=completed_in_period)
        ).select_related("therapist__user", "service")
    )
    ends = plans_completed_ends(plans)
    finished = []
    for plan in plans:
        at = _finished_at(plan, ends[plan.pk])
        if at is not None and start <= at < end:
            finished.append((plan, at))
    return finished


def primary_improved(changes: list[OutcomeChange]) -> bool | None:
    """Did the plan bring a meaningful improvement on its primary measure? None: no verdict."""
    by_key = {change.measure_key: change for change in changes}
    for key in PRIMARY_MEASURES:
        change = by_key.get(key)
        if change is not None and change.meaningful is not None and change.change is not None:
            return change.meaningful and change.change > 0
    return None


def _finished_at(plan: TreatmentPlan, session_ends: list[datetime]) -> datetime | None:
    if plan.status == TreatmentPlan.Status.COMPLETED and plan.ended_at is not None:
        return plan.ended_at
    if len(session_ends) >= plan.sessions_planned:
        return session_ends[plan.sessions_planned - 1]
    return None


def _shares(
    judged: list[tuple[TreatmentPlan, datetime, bool]], group: Callable[[TreatmentPlan], tuple[int, str]]
) -> list[OutcomeShare]:
    latest: dict[tuple[int, int], tuple[datetime, bool]] = {}
    labels: dict[int, str] = {}
    for plan, at, improved in judged:
        group_id, label = group(plan)
        labels[group_id] = label
        key = (group_id, plan.client_id)
        if key not in latest or at > latest[key][0]:
            latest[key] = (at, improved)
    clients: dict[int, int] = defaultdict(int)
    improved_count: dict[int, int] = defaultdict(int)
    for (group_id, _), (_, improved) in latest.items():
        clients[group_id] += 1
        improved_count[group_id] += improved
    return sorted(
        (OutcomeShare(label=labels[g], clients=clients[g], improved=improved_count[g]) for g in clients),
        key=lambda share: share.label,
    )
