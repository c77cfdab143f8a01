"""Outcome questionnaires in the JSON API v1: the definitions (public), a client filling one in
and reading their own scores, and staff reading a client's scores under the privacy rules.

`answers` arrives as a plain JSON object and goes to the scoring engine untouched, so a rating
must be a JSON whole number: pydantic would otherwise turn "3" or 3.0 into 3.
"""

from datetime import tzinfo
from typing import Any

from django.core.exceptions import ValidationError as ServiceValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.security import django_auth
from pydantic import ConfigDict

from accounts.api import ErrorOut, FieldErrorsOut
from accounts.models import User
from accounts.roles import is_staff_member
from bookings.selectors import clinic_get
from clinic.throttle import rate_hit
from clinic.validation import StorableStr
from privacy.access import can_read_clinical, client_accounts
from privacy.models import AccessRecord
from privacy.services import ClinicalRead, access_records_write

from .definitions import Measure, measure_get, measures
from .limits import QUESTIONNAIRES_PER_CLIENT
from .selectors import MeasureHistory, OutcomeChange, measure_histories, verdict_text
from .services import questionnaire_occasion, questionnaires_record

router = Router(tags=["outcomes"])
# django_auth runs Django's CSRF check on unsafe methods before it looks at the session.
staff_router = Router(tags=["outcomes"], auth=django_auth)


class ItemOut(Schema):
    key: str
    text: str


class NamedItemsOut(Schema):
    key: str = Field(description='Where the list goes in the answers: {"activities": [{"name", "score"}]}.')
    max: int
    prompt: str


class ScaleOut(Schema):
    min: int
    max: int
    anchors: dict[str, str] = Field(description="Labels of some points of the scale, by point.")


class ThresholdOut(Schema):
    points: float | None
    percent: float | None = Field(description="Of the first score.")
    text: str
    source: str = Field(description="The published source of the threshold.")


class MeasureOut(Schema):
    key: str
    name: str
    instructions: str
    items: list[ItemOut] = Field(description="The fixed questions; empty when the client names the items.")
    named_items: NamedItemsOut | None
    scale: ScaleOut
    scoring: str = Field(description="sum or mean of the item scores.")
    min_answered: int = Field(description="The fewest items answered that give a score.")
    score_min: float
    score_max: float
    higher_is_better: bool
    minimal_important_change: ThresholdOut | None
    threshold_note: str = Field(description="Why there is no threshold, when there is none.")
    source: str


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measure: StorableStr = Field(max_length=40, description="A measure's key (GET outcomes/measures).")
    answers: dict[str, Any] = Field(
        description='Fixed items: {"item_key": 0-max, ...}. Named items: {"activities": [{"name": '
        '"Walk the dog", "score": 4}]}. Ratings are JSON whole numbers.',
        examples=[{"leg_pain": 4, "numbness_tingling": 3, "weakness": 1, "pain_sitting": 5}],
    )


class ResponseOut(Schema):
    id: int
    measure: str
    score: float
    taken_at: str
    occasion: str
    plan_id: int | None
    change: float | None = Field(description="Since the first score of this measure; positive is better.")
    meaningful: bool | None = Field(description="null: the measure has no published threshold.")
    verdict: str


class OutcomeChangeOut(Schema):
    measure: str
    measure_name: str
    first_score: float
    latest_score: float | None
    change: float | None = Field(description="Positive is better, whatever the scale's direction.")
    meaningful: bool | None
    verdict: str
    threshold: str


class OutcomesOut(Schema):
    outcomes: list[OutcomeChangeOut] = Field(description="Each measure: the first and the latest score.")
    responses: list[ResponseOut] = Field(description="Every scored response, oldest first.")


@router.get(
    "/measures",
    response=list[MeasureOut],
    auth=None,
    summary="The outcome questionnaires",
    description="Each questionnaire's items, answer scale, scoring, direction and minimal important change "
    "with its published source.",
)
def measures_list(request: HttpRequest) -> list[MeasureOut]:
    return [_measure_out(measure) for measure in measures().values()]


@router.post(
    "/responses",
    response={201: ResponseOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut, 429: ErrorOut},
    auth=django_auth,
    summary="Fill in a questionnaire",
    description="Stores nothing unless every answer is valid and enough are given for a score. With an active "
    "treatment plan it counts as a re-assessment of the plan, otherwise as a starting point.",
)
def response_create(request: HttpRequest, payload: ResponseIn) -> Status[object]:
    if is_staff_member(request.user):
        return Status(403, {"detail": "Questionnaires are filled in by clients."})
    rate_hit(QUESTIONNAIRES_PER_CLIENT, request.user.pk)
    client: User = request.user  # type: ignore[assignment]
    if measure_get(payload.measure) is None:
        raise ValidationError(
            [{"loc": ("body", "payload", "measure"), "msg": "There is no questionnaire with this key."}]
        )
    occasion, plan = questionnaire_occasion(client)
    try:
        [stored] = questionnaires_record(
            client=client, answered={payload.measure: payload.answers}, occasion=occasion, plan=plan
        )
    except ServiceValidationError as error:
        raise ValidationError(
            [
                {"loc": ("body", "payload", "answers", *_answer_path(key, payload.measure)), "msg": message}
                for key, texts in error.message_dict.items()
                for message in texts
            ]
        ) from error
    tz = clinic_get().tz
    for history in measure_histories(client):
        for out in _responses_out(history, tz):
            if out.id == stored.pk:
                return Status(201, out)
    raise AssertionError("a stored response has a score")  # questionnaires_record refuses otherwise


@router.get(
    "/responses",
    response={200: OutcomesOut, 401: ErrorOut},
    auth=django_auth,
    summary="My questionnaires and scores",
    description="The caller's own scores, each with its change since the first, and each measure's first and "
    "latest score.",
)
def responses_list(request: HttpRequest) -> OutcomesOut:
    return _outcomes_out(request.user)  # type: ignore[arg-type]


@staff_router.get(
    "/{client_id}/outcomes",
    response={200: OutcomesOut, 401: ErrorOut, 404: ErrorOut},
    summary="A client's questionnaires and scores (staff)",
    description="For the client's own therapists and admins; anyone else gets 404. Each read is kept on "
    "record (Privacy, access records).",
)
def client_outcomes_get(request: HttpRequest, client_id: int) -> OutcomesOut:
    client = get_object_or_404(client_accounts(), pk=client_id)
    if not can_read_clinical(request.user, client):
        raise Http404  # as if the client did not exist
    access_records_write(
        viewer=request.user,  # type: ignore[arg-type]
        reads=[ClinicalRead(client_id=client.pk, what=(AccessRecord.What.OUTCOMES,))],
        path=request.get_full_path(),
    )
    return _outcomes_out(client)


def _outcomes_out(client: User) -> OutcomesOut:
    histories = measure_histories(client)
    tz = clinic_get().tz
    responses = [out for history in histories for out in _responses_out(history, tz)]
    return OutcomesOut(
        outcomes=[_change_out(history.outcome()) for history in histories],
        responses=sorted(responses, key=lambda out: (out.taken_at, out.id)),
    )


def _responses_out(history: MeasureHistory, tz: tzinfo) -> list[ResponseOut]:
    return [
        ResponseOut(
            id=point.response.pk,
            measure=history.measure.key,
            score=float(point.response.score or 0),
            taken_at=point.response.taken_at.astimezone(tz).isoformat(),
            occasion=point.response.occasion,
            plan_id=point.response.plan_id,
            change=None if point.change is None else float(point.change),
            meaningful=point.meaningful,
            verdict=point.verdict,
        )
        for point in history.points
    ]


def _change_out(change: OutcomeChange) -> OutcomeChangeOut:
    return OutcomeChangeOut(
        measure=change.measure_key,
        measure_name=change.measure_name,
        first_score=float(change.first_score),
        latest_score=None if change.latest_score is None else float(change.latest_score),
        change=None if change.change is None else float(change.change),
        meaningful=change.meaningful,
        verdict=verdict_text(change.change, change.meaningful),
        threshold=change.threshold_text,
    )


def _measure_out(measure: Measure) -> MeasureOut:
    threshold = measure.threshold
    return MeasureOut(
        key=measure.key,
        name=measure.name,
        instructions=measure.instructions,
        items=[ItemOut(key=item.key, text=item.text) for item in measure.items],
        named_items=None
        if measure.named_items is None
        else NamedItemsOut(
            key=measure.named_items.key, max=measure.named_items.max, prompt=measure.named_items.prompt
        ),
        scale=ScaleOut(
            min=measure.scale.min,
            max=measure.scale.max,
            anchors={str(point): label for point, label in measure.scale.anchors.items()},
        ),
        scoring=measure.method,
        min_answered=measure.min_answered,
        score_min=float(measure.score_min),
        score_max=float(measure.score_max),
        higher_is_better=measure.higher_is_better,
        minimal_important_change=None
        if threshold is None
        else ThresholdOut(
            points=None if threshold.points is None else float(threshold.points),
            percent=None if threshold.percent is None else float(threshold.percent),
            text=threshold.text,
            source=threshold.source,
        ),
        threshold_note=measure.threshold_note,
        source=measure.source,
    )


def _answer_path(key: str, measure_key: str) -> list[str]:
    """A service error's key ("sbi", "sbi.leg_pain", "psfs.activities.0.name") below `answers`."""
    parts = key.split(".")
    return parts[1:] if parts[0] == measure_key else []
