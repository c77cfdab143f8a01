"""The scoring engine: checks answers against a measure's definition, scores them, and says
whether a change between two scores is meaningful. It names no measure: everything it knows
comes from outcomes.definitions, so a new questionnaire is a new data file.

Answers are JSON-shaped, as the API takes them and the table stores them:
- fixed items: {"leg_pain": 3, "weakness": null, ...}, a whole number on the scale per item key;
  a missing key or null is an unanswered item;
- named items: {"activities": [{"name": "Walk the dog", "score": 4}, ...]}, at most the
  definition's number, each named; an activity with no score is unanswered.

A score needs at least `min_answered` items answered; with fewer there is no score (None),
never a smaller one. Changes are given so that positive is better whatever the direction of
the scale.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clinic.validation import is_storable_text

from .definitions import Measure

NAME_MAX_LENGTH = 120


def answer_errors(measure: Measure, answers: object) -> dict[str, str]:
    """What is wrong with `answers`, by field ("leg_pain", "activities.0.name", or "answers")."""
    if not isinstance(answers, Mapping):
        return {"answers": "Send the answers as an object, keyed by question."}
    if measure.named_items is not None:
        return _named_errors(measure, answers)
    errors = {
        str(key): "This is not a question of this questionnaire."
        for key in answers
        if key not in {item.key for item in measure.items}
    }
    for item in measure.items:
        message = _value_error(measure, answers.get(item.key))
        if message:
            errors[item.key] = message
    return errors


def answered_scores(measure: Measure, answers: Mapping[str, object]) -> list[int]:
    """The item scores given, in order (answers already checked by answer_errors)."""
    if measure.named_items is not None:
        entries = answers.get(measure.named_items.key)
        values = (
            [entry.get("score") for entry in entries if isinstance(entry, Mapping)]
            if isinstance(entries, list)
            else []
        )
    else:
        values = [answers.get(item.key) for item in measure.items]
    return [value for value in values if isinstance(value, int) and not isinstance(value, bool)]


def score(measure: Measure, answers: Mapping[str, object]) -> Decimal | None:
    """The measure's score, or None when too few items are answered to give one."""
    given = answered_scores(measure, answers)
    if len(given) < measure.min_answered:
        return None
    total = Decimal(sum(given))
    value = total if measure.method == "sum" else total / len(given)
    return value.quantize(Decimal(1).scaleb(-measure.decimals), rounding=ROUND_HALF_UP)


def too_few_answered(measure: Measure) -> str:
    """What a client is told when their answers give no score."""
    if measure.named_items is not None:
        return f"Name at least {measure.min_answered} and rate each one from {measure.scale.min} to {measure.scale.max}."
    if measure.min_answered == len(measure.items):
        return f"Please answer all {len(measure.items)} questions, or leave them all blank."
    return f"Please answer at least {measure.min_answered} of the {len(measure.items)} questions."


@dataclass(frozen=True)
class Change:
    points: Decimal  # positive = better, whatever the direction of the scale
    meaningful: bool | None  # None: the measure has no published threshold


def change_between(measure: Measure, first: Decimal, latest: Decimal) -> Change:
    """The change from `first` to `latest`, and whether it reaches the minimal important change.

    An improvement counts when it reaches the points or the percentage of the first score
    (either, as the definition gives them). Published thresholds are for improvement, so a
    worsening counts only by points: a rise from 1 to 2 is not a "meaningful" 100%.
    """
    points = latest - first if measure.higher_is_better else first - latest
    threshold = measure.threshold
    if threshold is None:
        return Change(points=points, meaningful=None)
    if points > 0:
        by_points = threshold.points is not None and points >= threshold.points
        by_percent = (
            threshold.percent is not None and first != 0 and points * 100 / abs(first) >= threshold.percent
        )
        return Change(points=points, meaningful=by_points or by_percent)
    if points < 0:
        return Change(points=points, meaningful=threshold.points is not None and -points >= threshold.points)
    return Change(points=points, meaningful=False)


def _named_errors(measure: Measure, answers: Mapping[str, object]) -> dict[str, str]:
    named = measure.named_items
    assert named is not None
    errors = {
        str(key): "This is not a question of this questionnaire." for key in answers if key != named.key
    }
    entries = answers.get(named.key)
    if entries is None:
        return errors
    if not isinstance(entries, list):
        errors[named.key] = "Send a list of {name, score} objects."
        return errors
    if len(entries) > named.max:
        errors[named.key] = f"At most {named.max}."
        return errors
    for index, entry in enumerate(entries):
        where = f"{named.key}.{index}"
        if not isinstance(entry, Mapping) or set(entry) - {"name", "score"}:
            errors[where] = "Send each as an object with a name and a score."
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            errors[f"{where}.name"] = "Please name it."
        elif len(name) > NAME_MAX_LENGTH:
            errors[f"{where}.name"] = f"At most {NAME_MAX_LENGTH} characters."
        elif not is_storable_text(name):
            errors[f"{where}.name"] = (
                "This contains characters we can't store. Please remove them and try again."
            )
        message = _value_error(measure, entry.get("score"))
        if message:
            errors[f"{where}.score"] = message
    return errors


def _value_error(measure: Measure, value: object) -> str:
    if value is None:
        return ""
    low, high = measure.scale.min, measure.scale.max
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"Choose a whole number from {low} to {high}."
    return ""
