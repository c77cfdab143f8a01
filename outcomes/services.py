"""Writes for outcome questionnaires: storing answers with their score, scoring again after a
definition changes, and queueing the re-assessment emails of treatment plans.

Every path (the intake's questionnaires page, the signed re-assessment link, the API) stores
through `questionnaires_record`, so answers are checked and scored by the same engine.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.models import Appointment
from care.models import TreatmentPlan
from care.selectors import plans_completed_ends
from notifications.models import Message
from notifications.outbox import link_message

from .definitions import Measure, measure_get
from .links import LINK_MAX_AGE_DAYS, reassessment_token
from .models import OutcomeResponse, ReassessmentInvite
from .scoring import answer_errors, score, too_few_answered

# The re-assessment link works this long after it is sent (outcomes.links), and a point reached
# longer ago than this is not sent at all: a plan finished months before this feature started
# gets no email out of the blue.
REASSESSMENT_LINK_DAYS = LINK_MAX_AGE_DAYS


def questionnaires_record(
    *,
    client: User,
    answered: Mapping[str, object],
    occasion: str,
    plan: TreatmentPlan | None = None,
    invite: ReassessmentInvite | None = None,
    now: datetime | None = None,
) -> list[OutcomeResponse]:
    """Store one response per measure in `answered` ({measure key: answers}), all or none.

    Raises ValidationError keyed "<measure>" or "<measure>.<field>" for unknown measures, bad
    answers or too few answered to give a score, and "__all__" when nothing was answered or
    the re-assessment `invite` was already answered.
    """
    now = now or timezone.now()
    if not answered:
        raise ValidationError({"__all__": ["Please answer at least one questionnaire."]})
    scored: list[tuple[Measure, dict[str, object], Decimal]] = []
    errors: dict[str, list[str]] = {}
    for key, answers in answered.items():
        measure = measure_get(key)
        if measure is None:
            errors[key] = ["There is no questionnaire with this key."]
            continue
        problems = answer_errors(measure, answers)
        for field, message in problems.items():
            errors[key if field == "answers" else f"{key}.{field}"] = [message]
        if problems:
            continue
        cleaned = _tidied(measure, answers)  # type: ignore[arg-type]
        value = score(measure, cleaned)
        if value is None:
            errors[key] = [too_few_answered(measure)]
            continue
        scored.append((measure, cleaned, value))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if invite is not None:
            invite = ReassessmentInvite.objects.select_for_update().get(pk=invite.pk)
            if invite.answered_at is not None:
                raise ValidationError({"__all__": ["These questionnaires have already been answered."]})
            invite.answered_at = now
            invite.save(update_fields=["answered_at"])
        return [
            OutcomeResponse.objects.create(
                client=client,
                measure=measure.key,
                answers=answers,
                score=value,
                taken_at=now,
                occasion=occasion,
                plan=plan,
                invite=invite,
            )
            for measure, answers, value in scored
        ]


def questionnaire_occasion(client: User) -> tuple[str, TreatmentPlan | None]:
    """What answers a client sends of their own accord (the API) count as: a re-assessment of
    their active plan, or, with none, a starting point like the intake's."""
    plan = (
        TreatmentPlan.objects.filter(client=client, status=TreatmentPlan.Status.ACTIVE)
        .order_by("-written_at")
        .first()
    )
    if plan is None:
        return OutcomeResponse.Occasion.INTAKE, None
    return OutcomeResponse.Occasion.REASSESSMENT, plan


def scores_recompute(*, measure_key: str | None = None) -> int:
    """Score every stored response again from its answers (after a definition was corrected).

    Returns how many scores changed. Answers that no longer give a score keep their row with
    no score, so nothing the client said is lost.
    """
    changed = 0
    responses = OutcomeResponse.objects.all()
    if measure_key is not None:
        responses = responses.filter(measure=measure_key)
    for response in responses.iterator():
        measure = measure_get(response.measure)
        if measure is None:
            continue
        valid = not answer_errors(measure, response.answers)
        new = score(measure, response.answers) if valid else None
        if new != response.score:
            OutcomeResponse.objects.filter(pk=response.pk).update(score=new)
            changed += 1
    return changed


def outcome_names_remove(*, client: User) -> int:
    """Replace what the client named in their own words (the PSFS's activities) with "Activity 1",
    "Activity 2"...: at erasure, like the intake's free text. Ratings and scores stay."""
    changed = 0
    for response in OutcomeResponse.objects.filter(client=client):
        measure = measure_get(response.measure)
        if measure is None or measure.named_items is None:
            continue
        entries = response.answers.get(measure.named_items.key, [])
        renamed = [
            {**entry, "name": f"{measure.named_items.prompt} {number}"}
            for number, entry in enumerate(entries, 1)
        ]
        if renamed != entries:
            response.answers = {**response.answers, measure.named_items.key: renamed}
            response.save(update_fields=["answers"])
            changed += 1
    return changed


def reassessment_point(*, sessions_done: int, every: int, planned: int) -> int:
    """The latest re-assessment point reached (0: none yet): every `every` sessions, and the last."""
    if sessions_done >= planned:
        return planned
    return (sessions_done // every) * every


def reassessments_queue(*, now: datetime | None = None) -> int:
    """Send the re-assessment link of every plan that reached a point and has not had it.

    A plan reaches a point when its completed sessions reach a multiple of its
    reassess_every_sessions, or its last session. Run by beat (outcomes.tasks); each point is
    one ReassessmentInvite row (unique per plan and point) and one outbox email, written in
    the same transaction, so running it again, or on two workers at once, sends nothing twice.
    Returns how many links were queued.
    """
    now = now or timezone.now()
    since = now - timedelta(days=REASSESSMENT_LINK_DAYS)
    recent = Appointment.objects.filter(
        status=Appointment.Status.COMPLETED,
        end__gt=since,
        series_member__series__plan__status__in=[TreatmentPlan.Status.ACTIVE, TreatmentPlan.Status.COMPLETED],
        series_member__series__plan__client__is_active=True,
    ).values("series_member__series__plan_id")
    plans = list(TreatmentPlan.objects.filter(pk__in=recent).select_related("client"))
    sessions = plans_completed_ends(plans)
    sent = set(ReassessmentInvite.objects.filter(plan__in=plans).values_list("plan_id", "after_sessions"))
    queued = 0
    for plan in plans:
        ends = sessions[plan.pk]
        point = reassessment_point(
            sessions_done=len(ends), every=plan.reassess_every_sessions, planned=plan.sessions_planned
        )
        if point == 0 or (plan.pk, point) in sent or not since < ends[point - 1] <= now:
            continue
        queued += _invite(plan, point, now=now)
    return queued


def _invite(plan: TreatmentPlan, point: int, *, now: datetime) -> int:
    occasion = (
        ReassessmentInvite.Occasion.DISCHARGE
        if point >= plan.sessions_planned
        else ReassessmentInvite.Occasion.REASSESSMENT
    )
    with transaction.atomic():
        invite, created = ReassessmentInvite.objects.get_or_create(
            plan=plan, after_sessions=point, defaults={"occasion": occasion, "created_at": now}
        )
        if not created:
            return 0  # another worker sent it
        link_message(
            recipient=plan.client,
            kind=Message.Kind.REASSESSMENT,
            link=reverse("outcomes:reassessment", args=[reassessment_token(invite)]),
            key=f"reassessment:{invite.pk}",
            now=now,
        )
    return 1


def _tidied(measure: Measure, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers as stored: names trimmed, unanswered items left out."""
    if measure.named_items is None:
        return {key: value for key, value in answers.items() if value is not None}
    entries = answers.get(measure.named_items.key) or []
    return {
        measure.named_items.key: [
            {"name": str(entry["name"]).strip(), "score": entry.get("score")}
            for entry in entries  # type: ignore[attr-defined]
            if entry.get("score") is not None
        ]
    }
