"""The re-check: "since your intake, have you had any of these?", asked before each booking or
move, on the day of the appointment, and by staff when they lift a block.

A product rule around the clinical spec (intake/README.md): a later answer adds to what is on
record and never takes it away. The rules themselves stay in triage.py.
"""

from collections.abc import Mapping

from .triage import (
    QUESTIONS,
    RED_FLAG_KEYS,
    RULES_BY_CODE,
    YES_NO_KEYS,
    Answers,
    Assessment,
    LegWeakness,
    assess,
    most_urgent,
)

# The re-check asked before each booking or move and on the day of the appointment: "since
# your intake, have you had any of these?" (product rule, see intake/README.md). Besides the
# red-flag questions it re-asks what can change and feeds a rule: an operation since the
# intake (S8, C4), the pain now (S9 with osteoporosis) and new pain below the knee or
# numbness (E5 for a client with a cancer history).
RECHECK_KEYS: tuple[str, ...] = (
    *RED_FLAG_KEYS,
    "recent_surgery_weeks",  # S8, C4
    "pain_score",  # S9, C8
    "pain_radiates_below_knee",  # E5
    "numbness_tingling",  # E5
)

# The re-check's wording: each asks about something new since the intake, so that "no" means
# "nothing new", never "no longer".
RECHECK_QUESTIONS: dict[str, str] = {
    "bladder_bowel_change": (
        "A new bladder or bowel problem that is not normal for you? For example: difficulty "
        "starting to pee, not being able to pee, leaking, not feeling when you need to go, or "
        "not being able to control your bowels."
    ),
    "saddle_numbness": (
        "New numbness, pins and needles or changed feeling around your genitals, your bottom "
        "(back passage) or inner thighs?"
    ),
    "leg_weakness": "Has either leg or foot become weak, or weaker?",
    "both_legs": "Pain, numbness, tingling or weakness that is now in both legs?",
    "recent_major_trauma": (
        "A serious injury (for example a road accident, a fall from a height or a heavy blow to the back)?"
    ),
    "cancer_history": "Have you been told you have cancer, or started treatment or follow-up for cancer?",
    "fever_or_unexplained_weight_loss": (
        "A fever (a high temperature, or feeling hot and shivery), or weight loss without trying?"
    ),
    "iv_drug_use_or_immunosuppressed": (
        "Have you started injecting drugs, or been told of an illness or started a medicine that "
        "weakens your immune system (for example chemotherapy or long-term steroid tablets)?"
    ),
    "calf_swelling_redness_warmth": (
        "Has one of your calves or legs become swollen, red or darker, warm, or tender to touch?"
    ),
    "known_blood_clot": (
        "Have you been told you have a blood clot (DVT or pulmonary embolism), or started treatment for one?"
    ),
    "recent_fracture_unhealed": "Have you broken a bone?",
    "recent_surgery_weeks": "Have you had an operation? If yes, how many whole weeks ago?",
    "pain_score": QUESTIONS["pain_score"],
    "pain_radiates_below_knee": "Does the pain now spread below your knee, when it did not before?",
    "numbness_tingling": "New numbness or pins and needles in your leg or foot?",
}

RECHECK_LEG_WEAKNESS_CHOICES: tuple[tuple[LegWeakness, str], ...] = (
    (LegWeakness.NONE, "No"),
    (LegWeakness.MILD, "A little, and it is not getting worse"),
    (
        LegWeakness.SEVERE_OR_WORSENING,
        "Yes: it is severe, it is getting worse, or my foot drops or catches when I walk",
    ),
)


_LEG_WEAKNESS_GRADES = (LegWeakness.NONE, LegWeakness.MILD, LegWeakness.SEVERE_OR_WORSENING)
# What a re-check key means when the client reports nothing new.
_NOTHING_NEW: dict[str, object] = {
    **{key: False for key in YES_NO_KEYS},
    "leg_weakness": LegWeakness.NONE.value,
    "recent_surgery_weeks": None,
}
# A whole re-check that reports nothing new: a pain score counts only when worse than on record,
# so 0 adds nothing. A series answers it for each session after its first (care.services).
RECHECK_NOTHING_NEW: dict[str, object] = {
    **{key: _NOTHING_NEW[key] for key in RECHECK_KEYS if key != "pain_score"},
    "pain_score": 0,
}


def recheck_merge(previous: Answers, report: Mapping[str, object]) -> tuple[Answers, frozenset[str]]:
    """The previous answers with what a validated re-check adds, and the keys the client reported.

    A "no" keeps the previous answer (it means "nothing new", never "no longer"); a "yes" is
    added; leg weakness keeps the worse of the two grades; an operation since the intake
    replaces an older one; the pain now counts only when it is worse than before.
    """
    merged: dict[str, object] = dict(previous)
    reported: set[str] = set()
    for key in RECHECK_KEYS:
        value = report[key]
        if key == "leg_weakness":
            if value != LegWeakness.NONE:
                reported.add(key)
                merged[key] = max(
                    (str(value), previous["leg_weakness"]),
                    key=lambda grade: _LEG_WEAKNESS_GRADES.index(LegWeakness(grade)),
                )
        elif key == "recent_surgery_weeks":
            if isinstance(value, int):
                reported.add(key)
                earlier = previous["recent_surgery_weeks"]
                merged[key] = value if earlier is None else min(earlier, value)
        elif key == "pain_score":
            if isinstance(value, int) and value > previous["pain_score"]:
                reported.add(key)
                merged[key] = value
        elif value is True:
            reported.add(key)
            merged[key] = True
    return merged, frozenset(reported)  # type: ignore[return-value]


def recheck_assess(
    previous: Answers, report: Mapping[str, object], *, lifted_codes: frozenset[str]
) -> tuple[Answers, Assessment] | None:
    """Assess a re-check against the previous answers; None when it reports nothing new.

    `lifted_codes` are the red-flag rules that fire on the previous answers but that staff have
    lifted (a doctor's clearance, or answered in error). They stay lifted unless what the client
    now reports makes them fire again: a new "yes" is always a new report.
    """
    merged, reported = recheck_merge(previous, report)
    if not reported:
        return None
    # The previous answers without what was just reported: a rule that fires on these alone
    # was there before the report, so a lift still covers it.
    before_report: dict[str, object] = dict(previous)
    for key in reported - {"pain_score"}:
        before_report[key] = _NOTHING_NEW[key]
    fired_before = set(assess(before_report).codes)  # type: ignore[arg-type]
    full = assess(merged)
    kept = tuple(
        reason for reason in full.reasons if not (reason.code in lifted_codes and reason.code in fired_before)
    )
    outcome = most_urgent(RULES_BY_CODE[reason.code].outcome for reason in kept)
    return merged, Assessment(outcome=outcome, reasons=kept)
