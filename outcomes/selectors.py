"""Reads of the outcome scores: each measure's first and latest score and the change between.

Other apps read outcomes through `plan_outcomes`, `client_outcomes` and `plans_outcomes` (the
progress letter, the report) and `measure_histories` (the workspace's client page, the API).

A plan's scores are the responses filled in for it (its re-assessments and the end of the
plan) and, as its starting point, the latest response of each measure not tied to any plan
taken before the plan was written, if it is no older than the clinic's intake validity (90
days by default): the questionnaires filled in at intake are the baseline of the plan that
follows. A score older than that says little about where the plan started.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts.models import User
from bookings.selectors import clinic_get
from care.models import TreatmentPlan

from .definitions import Measure, measures
from .models import OutcomeResponse
from .scoring import change_between

VERDICTS = {
    None: "no published threshold",
    True: "meaningful",
    False: "not yet meaningful",
}


@dataclass(frozen=True)
class OutcomeChange:
    """One measure's first and latest score. With a single response, latest_score, latest_at
    and change are None. `change` is positive when the client is better, whatever the scale's
    direction; `meaningful` is None when the measure has no published threshold."""

    measure_key: str
    measure_name: str
    first_score: Decimal
    latest_score: Decimal | None
    change: Decimal | None
    meaningful: bool | None
    threshold_text: str
    first_at: datetime
    latest_at: datetime | None

    @property
    def verdict(self) -> str:
        """ "meaningful improvement", "meaningful worsening", "not yet meaningful", "no published
        threshold", or "" before there is a change to judge."""
        return verdict_text(self.change, self.meaningful)


@dataclass(frozen=True)
class HistoryPoint:
    response: OutcomeResponse
    change: Decimal | None  # against the first score; None for the first itself
    meaningful: bool | None

    @property
    def verdict(self) -> str:
        return verdict_text(self.change, self.meaningful)


@dataclass(frozen=True)
class MeasureHistory:
    """Every score of one measure for a client, oldest first, each with its change since the first."""

    measure: Measure
    points: list[HistoryPoint]

    def chart(self, tz: object) -> dict[str, object]:
        """What the client page's chart draws (json_script), in the clinic's zone."""
        return {
            "key": self.measure.key,
            "name": self.measure.name,
            "min": float(self.measure.score_min),
            "max": float(self.measure.score_max),
            "higher_is_better": self.measure.higher_is_better,
            "labels": [f"{p.response.taken_at.astimezone(tz):%-d %b %Y}" for p in self.points],  # type: ignore[arg-type]
            "scores": [float(p.response.score) for p in self.points if p.response.score is not None],
        }

    def outcome(self) -> OutcomeChange:
        """The first and the latest score, and the change between (the latest point's)."""
        first, latest = self.points[0], self.points[-1]
        assert first.response.score is not None
        has_later = len(self.points) > 1
        return OutcomeChange(
            measure_key=self.measure.key,
            measure_name=self.measure.name,
            first_score=first.response.score,
            latest_score=latest.response.score if has_later else None,
            change=latest.change,
            meaningful=latest.meaningful,
            threshold_text=self.measure.threshold_text,
            first_at=first.response.taken_at,
            latest_at=latest.response.taken_at if has_later else None,
        )


def verdict_text(change: Decimal | None, meaningful: bool | None) -> str:
    if change is None:
        return ""
    if meaningful:
        return "meaningful improvement" if change > 0 else "meaningful worsening"
    return VERDICTS[meaningful]


def client_outcomes(client: User) -> list[OutcomeChange]:
    """Each measure the client has answered: their first and latest score overall."""
    return [history.outcome() for history in measure_histories(client)]


def plan_outcomes(plan: TreatmentPlan) -> list[OutcomeChange]:
    """Each measure answered for the plan: its starting point (see the module) and the latest."""
    return plans_outcomes([plan])[plan.pk]


def plans_outcomes(plans: Iterable[TreatmentPlan]) -> dict[int, list[OutcomeChange]]:
    """plan_outcomes for many plans in one query (the report)."""
    plans = list(plans)
    if not plans:
        return {}
    days = clinic_get().intake_valid_days
    condition = Q()
    for plan in plans:
        condition |= Q(plan=plan) | Q(
            plan__isnull=True,
            client_id=plan.client_id,
            taken_at__lte=plan.written_at,
            taken_at__gte=plan.written_at - timedelta(days=days),
        )
    rows = _scored(OutcomeResponse.objects.filter(condition))
    outcomes: dict[int, list[OutcomeChange]] = {}
    for plan in plans:
        baseline: dict[str, OutcomeResponse] = {}
        for row in rows:
            if row.plan_id is None and row.client_id == plan.client_id and _is_baseline(row, plan, days):
                baseline[row.measure] = row  # the latest wins: rows are oldest first
        tied = [row for row in rows if row.plan_id == plan.pk]
        outcomes[plan.pk] = [history.outcome() for history in _histories([*baseline.values(), *tied])]
    return outcomes


def measure_histories(client: User) -> list[MeasureHistory]:
    """Every scored response of the client, by measure in page order, each with its change."""
    return _histories(_scored(OutcomeResponse.objects.filter(client=client).select_related("plan")))


def _scored(responses: Iterable[OutcomeResponse]) -> list[OutcomeResponse]:
    return [row for row in responses if row.score is not None]


def _is_baseline(row: OutcomeResponse, plan: TreatmentPlan, days: int) -> bool:
    return plan.written_at - timedelta(days=days) <= row.taken_at <= plan.written_at


def _histories(rows: list[OutcomeResponse]) -> list[MeasureHistory]:
    """The scored `rows` by measure in page order, oldest first, each with its change since the first."""
    by_measure: dict[str, list[OutcomeResponse]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.taken_at, r.pk)):
        by_measure[row.measure].append(row)
    histories = []
    for key, measure in measures().items():
        answered = by_measure.get(key)
        if not answered:
            continue
        first = answered[0].score
        assert first is not None
        points = [HistoryPoint(response=answered[0], change=None, meaningful=None)]
        for row in answered[1:]:
            assert row.score is not None
            change = change_between(measure, first, row.score)
            points.append(HistoryPoint(response=row, change=change.points, meaningful=change.meaningful))
        histories.append(MeasureHistory(measure=measure, points=points))
    return histories
