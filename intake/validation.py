"""Checks an intake's answers before triage sees them: every key, the right type, in range.

Spec §4.1: every key is required; age 0 to 120, pain 0 to 10, weeks 0 or more.
"""

from collections.abc import Iterable, Mapping

from .recheck import RECHECK_KEYS
from .triage import QUESTIONS, YES_NO_KEYS, Answers, LegWeakness

RANGES = {
    "age": (0, 120),
    "pain_score": (0, 10),
    "symptom_weeks": (0, None),
    "recent_surgery_weeks": (0, None),
}


def answer_errors(raw: Mapping[str, object]) -> dict[str, str]:
    """Field-keyed error messages; empty when the answers are complete and valid."""
    return _errors(raw, QUESTIONS, what="intake questions")


def recheck_errors(raw: Mapping[str, object]) -> dict[str, str]:
    """The same checks for the re-check: exactly the keys of recheck.RECHECK_KEYS."""
    return _errors(raw, RECHECK_KEYS, what="re-check questions")


def _errors(raw: Mapping[str, object], keys: Iterable[str], *, what: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    keys = tuple(keys)
    for key in keys:
        if key not in raw:
            errors[key] = "This question must be answered."
            continue
        value = raw[key]
        if key in YES_NO_KEYS:
            if not isinstance(value, bool):
                errors[key] = "Answer yes (true) or no (false)."
        elif key == "leg_weakness":
            if value not in {choice.value for choice in LegWeakness}:
                errors[key] = "Answer none, mild or severe_or_worsening."
        elif key == "recent_surgery_weeks" and value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[key] = "Enter a whole number."
        else:
            low, high = RANGES[key]
            if value < low or (high is not None and value > high):
                errors[key] = (
                    f"Enter a number from {low} to {high}." if high is not None else f"Enter {low} or more."
                )
    for key in raw.keys() - set(keys):
        errors[key] = f"This is not one of the {what}."
    return errors


def as_answers(raw: Mapping[str, object]) -> Answers:
    """The validated answers in the order of the questions. Call answer_errors first."""
    return {key: raw[key] for key in QUESTIONS}  # type: ignore[return-value]
