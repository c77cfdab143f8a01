"""Sciatica intake triage: the safety screen that runs before a client can book a massage.

This module is the product's implementation of the specification in
``shared/clinical/red-flags.md`` ("Red flags and massage contraindications: sciatica intake
triage"). Section 4 of that document gives the rules and the questions, section 3 the outcome
messages. Every rule is declared once, in ``RULES`` below, with its ID (E1-E6, S1-S10,
C1-C8) and the spec's sources, so that a clinic's clinical lead can review it here.

The spec is not clinical advice. Its open questions (section 6: long-standing bilateral
symptoms, the scope of "cancer history", the pain and age thresholds, pregnancy, "not sure"
answers and others) are for the clinic's clinical lead to decide. Change a rule here only
after the spec has been changed and signed off.

``assess`` is a pure function of already-validated answers (validation lives with the form
and the API). ``client_advice`` turns an assessment into the client-facing paragraphs.

The product rules around the spec (a red flag stays in force until staff lift it; the re-check
at booking adds and never lowers, in ``recheck.py``; what happens to a client's appointments
when they become blocked) are written down for the clinical lead in ``intake/README.md``.
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypedDict


class Outcome(enum.StrEnum):
    EMERGENCY = "EMERGENCY"  # booking blocked; go to A&E now
    SEE_DOCTOR = "SEE_DOCTOR"  # booking blocked until a doctor has assessed the client
    CAUTION = "CAUTION"  # booking allowed; the therapist is alerted
    CLEAR = "CLEAR"  # booking allowed

    @property
    def severity(self) -> int:
        """How urgent the outcome is: 3 for EMERGENCY down to 0 for CLEAR.

        Outcomes are strings, so ``<`` on them compares spellings, not urgency. Compare
        ``severity`` instead.
        """
        return len(OUTCOMES_BY_URGENCY) - 1 - OUTCOMES_BY_URGENCY.index(self)


# Spec §1: "The most urgent triggered outcome wins: EMERGENCY > SEE_DOCTOR > CAUTION > CLEAR."
OUTCOMES_BY_URGENCY: tuple[Outcome, ...] = (
    Outcome.EMERGENCY,
    Outcome.SEE_DOCTOR,
    Outcome.CAUTION,
    Outcome.CLEAR,
)


class LegWeakness(enum.StrEnum):
    NONE = "none"
    MILD = "mild"
    SEVERE_OR_WORSENING = "severe_or_worsening"


class Urgency(enum.StrEnum):
    """How soon a SEE_DOCTOR client should see a doctor (spec §4.3); picks the message."""

    TODAY = "today"
    BEFORE_BOOKING = "before booking"


# --- Questions (spec §4.1) -------------------------------------------------------------------


class Answers(TypedDict):
    """One client's validated intake answers, keyed as in spec §4.1."""

    bladder_bowel_change: bool
    saddle_numbness: bool
    leg_weakness: str  # a LegWeakness value
    both_legs: bool
    recent_major_trauma: bool
    cancer_history: bool
    fever_or_unexplained_weight_loss: bool
    iv_drug_use_or_immunosuppressed: bool
    calf_swelling_redness_warmth: bool
    known_blood_clot: bool
    recent_fracture_unhealed: bool
    anticoagulants: bool
    pregnant: bool
    osteoporosis: bool
    recent_surgery_weeks: int | None  # whole weeks since an operation; None = no operation
    age: int
    pain_score: int  # 0 to 10
    pain_radiates_below_knee: bool
    numbness_tingling: bool
    symptom_weeks: int  # 0 if less than a week


# The recommended wording of spec §4.1, in the spec's order.
QUESTIONS: dict[str, str] = {
    "bladder_bowel_change": (
        "Since this pain started, have you had any new bladder or bowel problem that is not "
        "normal for you? For example: difficulty starting to pee, not being able to pee, "
        "leaking, not feeling when you need to go, or not being able to control your bowels."
    ),
    "saddle_numbness": (
        "Do you have numbness, pins and needles or changed feeling around your genitals, your "
        "bottom (back passage) or inner thighs, for example when wiping after the toilet?"
    ),
    "leg_weakness": "Does either leg or foot feel weak?",
    "both_legs": "Are the pain, numbness, tingling or weakness in both legs?",
    "recent_major_trauma": (
        "Did this start after a serious injury (for example a road accident, a fall from a "
        "height or a heavy blow to the back)?"
    ),
    "cancer_history": "Have you ever had cancer, or are you being treated or followed up for cancer?",
    "fever_or_unexplained_weight_loss": (
        "Recently, have you had a fever (a high temperature, or feeling hot and shivery) or "
        "lost weight without trying?"
    ),
    "iv_drug_use_or_immunosuppressed": (
        "Do you inject drugs, or do you have an illness or take medicine that weakens your "
        "immune system (for example HIV, chemotherapy, an organ transplant, long-term steroid "
        "tablets)?"
    ),
    "calf_swelling_redness_warmth": (
        "Is one of your calves or legs swollen, red or darker, warm, or tender to touch?"
    ),
    "known_blood_clot": (
        "Do you have a blood clot (DVT or pulmonary embolism) now, or are you being treated for one?"
    ),
    "recent_fracture_unhealed": "Do you have a broken bone that has not fully healed yet?",
    "anticoagulants": (
        "Do you take medicine to thin your blood (for example warfarin, apixaban, "
        "rivaroxaban, edoxaban, dabigatran or heparin injections)?"
    ),
    "pregnant": "Are you pregnant?",
    "osteoporosis": "Have you been told you have osteoporosis (thin or fragile bones)?",
    "recent_surgery_weeks": (
        "Have you had an operation in the last 3 months? If yes, how many whole weeks ago?"
    ),
    "age": "Age in years",
    "pain_score": "How bad is the pain right now, from 0 (none) to 10 (worst imaginable)?",
    "pain_radiates_below_knee": "Does the pain spread below your knee?",
    "numbness_tingling": "Do you have numbness or pins and needles in your leg or foot?",
    "symptom_weeks": "How many weeks have you had these symptoms? (0 if less than a week)",
}

# The three answers offered for QUESTIONS["leg_weakness"] (spec §4.1).
LEG_WEAKNESS_CHOICES: tuple[tuple[LegWeakness, str], ...] = (
    (LegWeakness.NONE, "No"),
    (LegWeakness.MILD, "A little, and it is not getting worse"),
    (
        LegWeakness.SEVERE_OR_WORSENING,
        "Yes: it is severe, it is getting worse, or my foot drops or catches when I walk",
    ),
)

# Answered yes (True) or no (False); the others are leg_weakness and the four numbers.
YES_NO_KEYS: tuple[str, ...] = (
    "bladder_bowel_change",
    "saddle_numbness",
    "both_legs",
    "recent_major_trauma",
    "cancer_history",
    "fever_or_unexplained_weight_loss",
    "iv_drug_use_or_immunosuppressed",
    "calf_swelling_redness_warmth",
    "known_blood_clot",
    "recent_fracture_unhealed",
    "anticoagulants",
    "pregnant",
    "osteoporosis",
    "pain_radiates_below_knee",
    "numbness_tingling",
)

# Asked again at each booking and on the day ("since your intake, have you had any of
# these?"), because red-flag symptoms develop over time (spec §3, re-screening; R6, R2).
# These are the yes/no and leg-weakness questions whose answer ON ITS OWN fires an EMERGENCY
# or SEE_DOCTOR rule, so any new "yes" (or weakness that is now severe or getting worse) is
# worth stopping for. Left out on purpose, although E5 and S9 read them:
# - pain_radiates_below_knee and numbness_tingling: ordinary sciatica symptoms that nearly
#   every client has (spec §1, "typical sciatica never blocks"); they matter only together
#   with a cancer history, which already blocks on its own (S2).
# - osteoporosis: long-standing, and on its own only a caution (C3); it blocks only with
#   pain of 8 or more (S9).
# Numeric answers (age, pain_score, recent_surgery_weeks) are not yes/no questions and are
# not in this set; a re-screen that wants them must ask them separately.
RED_FLAG_KEYS: tuple[str, ...] = (
    "bladder_bowel_change",  # E1
    "saddle_numbness",  # E2
    "leg_weakness",  # E3 (and E5, E6)
    "both_legs",  # E4
    "recent_major_trauma",  # S1 (and E6)
    "cancer_history",  # S2 (and E5, E6)
    "fever_or_unexplained_weight_loss",  # S3 (and E6)
    "iv_drug_use_or_immunosuppressed",  # S4 (and E6)
    "calf_swelling_redness_warmth",  # S5
    "known_blood_clot",  # S6
    "recent_fracture_unhealed",  # S7
)


# --- Rules (spec §4.2 to §4.5) ----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str  # the spec's rule ID, stored with the intake and shown to staff
    outcome: Outcome
    applies: Callable[[Answers], bool]
    summary: str  # what the client answered, in plain words for staff
    handling: str = ""  # CAUTION rules only: the therapist's handling note (spec §3)
    urgency: Urgency | None = None  # SEE_DOCTOR rules only (spec §4.3)


def _has_nerve_root_symptoms(answers: Answers) -> bool:
    return (
        answers["pain_radiates_below_knee"]
        or answers["numbness_tingling"]
        or answers["leg_weakness"] != LegWeakness.NONE
    )


def _has_systemic_red_flag(answers: Answers) -> bool:
    """A marker of cancer, infection or fracture: the list in E6."""
    return (
        answers["cancer_history"]
        or answers["fever_or_unexplained_weight_loss"]
        or answers["iv_drug_use_or_immunosuppressed"]
        or answers["recent_major_trauma"]
    )


def _mild_weakness_with_systemic_red_flag(answers: Answers) -> bool:
    # E6; C7 reads it too, because mild weakness is a caution only when E6 did not fire.
    return answers["leg_weakness"] == LegWeakness.MILD and _has_systemic_red_flag(answers)


def _surgery_within(answers: Answers, first_week: int, last_week: int) -> bool:
    weeks = answers["recent_surgery_weeks"]
    return weeks is not None and first_week <= weeks <= last_week


# All rules are evaluated, in this order, so that every reason is recorded (spec §4.5).
RULES: tuple[Rule, ...] = (
    # EMERGENCY (spec §4.2): go to A&E now.
    Rule(  # R3, R5, R6, R8, R13, R2: possible cauda equina syndrome
        code="E1",
        outcome=Outcome.EMERGENCY,
        applies=lambda a: a["bladder_bowel_change"],
        summary="New bladder or bowel problem",
    ),
    Rule(  # R3, R5, R6, R8, R13 (saddle anaesthesia)
        code="E2",
        outcome=Outcome.EMERGENCY,
        applies=lambda a: a["saddle_numbness"],
        summary="Numbness or changed feeling around the genitals, bottom or inner thighs",
    ),
    Rule(  # R11 Rec 3, R13, R9: severe or progressive neurological deficit, foot drop
        code="E3",
        outcome=Outcome.EMERGENCY,
        applies=lambda a: a["leg_weakness"] == LegWeakness.SEVERE_OR_WORSENING,
        summary="Leg weakness that is severe or getting worse",
    ),
    Rule(  # R3 ("sciatica on both sides"), R9, R7; whatever symptom_weeks is (Q1)
        code="E4",
        outcome=Outcome.EMERGENCY,
        applies=lambda a: a["both_legs"],
        summary="Symptoms in both legs",
    ),
    Rule(  # R10 CG75 (oncological emergency), R9 (MSCC pathway); see Q2
        code="E5",
        outcome=Outcome.EMERGENCY,
        applies=lambda a: a["cancer_history"] and _has_nerve_root_symptoms(a),
        summary="History of cancer with pain below the knee, numbness or tingling, or leg weakness",
    ),
    Rule(  # R16, R10, R13; trauma with mild weakness is GK, a conservative extension (Q9)
        code="E6",
        outcome=Outcome.EMERGENCY,
        applies=_mild_weakness_with_systemic_red_flag,
        summary=(
            "Mild leg weakness with a history of cancer, fever or weight loss, injecting drugs "
            "or weakened immunity, or a serious injury"
        ),
    ),
    # SEE_DOCTOR (spec §4.3): blocked until a doctor has assessed the client.
    Rule(  # R13, R15, R1: possible fracture
        code="S1",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["recent_major_trauma"],
        summary="Symptoms started after a serious injury",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R10 (within 24 hours), R15, R19/R20
        code="S2",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["cancer_history"],
        summary="History of cancer",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R13, R1, R21: possible tumour or infection
        code="S3",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["fever_or_unexplained_weight_loss"],
        summary="Recent fever or weight loss without trying",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R13, R16, R23: spinal infection risk
        code="S4",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["iv_drug_use_or_immunosuppressed"],
        summary="Injects drugs or has weakened immunity",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R17 (urgent GP for DVT symptoms), R20, R21
        code="S5",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["calf_swelling_redness_warmth"],
        summary="A calf or leg that is swollen, red, warm or tender",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R20, R21, R19; "current or under treatment" (Q10)
        code="S6",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["known_blood_clot"],
        summary="Has a blood clot now, or is being treated for one",
        urgency=Urgency.BEFORE_BOOKING,
    ),
    Rule(  # R20, R19/R21; blocked wherever the fracture is, as the form cannot say where
        code="S7",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["recent_fracture_unhealed"],
        summary="Broken bone that has not fully healed",
        urgency=Urgency.BEFORE_BOOKING,
    ),
    Rule(  # R18 (clot risk highest in the first 6 weeks; week 6 included to be safe), R19/R21
        code="S8",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: _surgery_within(a, 0, 6),
        summary="Operation 6 whole weeks ago or less",
        urgency=Urgency.BEFORE_BOOKING,
    ),
    Rule(  # R23, R24 (possible fragility fracture), R20; whatever the duration (Q6)
        code="S9",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["osteoporosis"] and a["pain_score"] >= 8,
        summary="Osteoporosis with pain of 8 or more out of 10",
        urgency=Urgency.TODAY,
    ),
    Rule(  # R1 (NG59 covers 16 and over), R13, R23; adult consent (product decision)
        code="S10",
        outcome=Outcome.SEE_DOCTOR,
        applies=lambda a: a["age"] < 18,
        summary="Under 18",
        urgency=Urgency.BEFORE_BOOKING,
    ),
    # CAUTION (spec §4.4): booking allowed; the therapist sees the handling note.
    Rule(  # R19, R20
        code="C1",
        outcome=Outcome.CAUTION,
        applies=lambda a: a["anticoagulants"],
        summary="Takes blood thinners",
        handling="No forceful or deep-tissue pressure; watch for bruising.",
    ),
    Rule(  # R19, R20, R21, R17; leg-pressure detail is GK; see Q5
        code="C2",
        outcome=Outcome.CAUTION,
        applies=lambda a: a["pregnant"],
        summary="Pregnant",
        handling=(
            "A pregnancy-trained therapist; no deep pressure on the legs; client advised to "
            "check with their midwife."
        ),
    ),
    Rule(  # R20, R19/R21
        code="C3",
        outcome=Outcome.CAUTION,
        applies=lambda a: a["osteoporosis"] and a["pain_score"] < 8,
        summary="Osteoporosis",
        handling="No forceful pressure over bones.",
    ),
    Rule(  # R18 (clot risk still raised at 7 to 12 weeks), R19
        code="C4",
        outcome=Outcome.CAUTION,
        applies=lambda a: _surgery_within(a, 7, 12),
        summary="Operation 7 to 12 whole weeks ago",
        handling="Avoid the operation site and watch for calf swelling.",
    ),
    Rule(  # R13, R11, R14; see Q4
        code="C5",
        outcome=Outcome.CAUTION,
        applies=lambda a: a["age"] > 50,
        summary="Over 50",
        handling="Ask whether a doctor has seen this episode.",
    ),
    Rule(  # R13 ("under 20"), R14; see Q4
        code="C6",
        outcome=Outcome.CAUTION,
        applies=lambda a: 18 <= a["age"] <= 19,
        summary="Aged 18 or 19",
        handling="Ask whether a doctor has seen this episode.",
    ),
    Rule(  # R3, R11 Rec 3; only when E6 did not fire (spec §4.5)
        code="C7",
        outcome=Outcome.CAUTION,
        applies=lambda a: (
            a["leg_weakness"] == LegWeakness.MILD and not _mild_weakness_with_systemic_red_flag(a)
        ),
        summary="Mild leg weakness that is not getting worse",
        handling=(
            "Ask at every visit whether the weakness is worse; if it is, stop and give the EMERGENCY advice."
        ),
    ),
    Rule(  # clinic policy; pain is not a red flag (R1, R3, R11, R13); see Q3
        code="C8",
        outcome=Outcome.CAUTION,
        applies=lambda a: a["pain_score"] >= 8,
        summary="Pain of 8 or more out of 10",
        handling="Adjust pressure; suggest a GP for pain relief if the pain stops normal activities.",
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


# --- Assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # the rule's staff-facing summary
    handling: str  # the therapist's handling note; empty unless a CAUTION rule


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    reasons: tuple[Reason, ...]

    @property
    def blocks_booking(self) -> bool:
        return self.outcome in (Outcome.EMERGENCY, Outcome.SEE_DOCTOR)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)


def assess(answers: Answers) -> Assessment:
    """Run every rule on validated intake answers.

    Every rule that fires is recorded as a reason, in rule order; the outcome is the most
    urgent outcome among them, or CLEAR when none fired.
    """
    fired = [rule for rule in RULES if rule.applies(answers)]
    outcome = max(
        (rule.outcome for rule in fired),
        key=lambda fired_outcome: fired_outcome.severity,
        default=Outcome.CLEAR,
    )
    reasons = tuple(Reason(rule.code, rule.summary, rule.handling) for rule in fired)
    return Assessment(outcome=outcome, reasons=reasons)


def most_urgent(outcomes: Iterable[Outcome]) -> Outcome:
    return max(outcomes, key=lambda outcome: outcome.severity, default=Outcome.CLEAR)


# --- Client messages (spec §3) ----------------------------------------------------------------
# Wording as in spec §3, which still needs clinical sign-off. "999" and "NHS 111" are filled
# in per clinic. Client text never names a rule.

EMERGENCY_MESSAGE = (
    "Please don't book a massage. Your answers include symptoms that need checking in hospital "
    "straight away. Go to A&E now or call {emergency_number} (or your local emergency number). "
    "Don't wait to see if it gets better."
)
CANCER_TEAM_MESSAGE = (  # only when E5 fired
    "If you are under a cancer team, you can also call their 24-hour helpline now."
)
SEE_DOCTOR_TODAY_MESSAGE = "Please contact your GP today or call {urgent_care_line} before booking."
SEE_DOCTOR_BEFORE_BOOKING_MESSAGE = (
    "Please check with your doctor (or surgeon) that massage is safe before booking."
)
# The EMERGENCY safety net given with SEE_DOCTOR; the symptoms are those of the CLEAR
# safety net below.
SEE_DOCTOR_SAFETY_NET = (
    "If you develop sciatica in both legs, numbness around your genitals or bottom, new trouble "
    "peeing or pooing, or leg weakness that is severe or getting worse, go to A&E now."
)
SAFETY_NET = (
    "Go to A&E or call {emergency_number} if you get: sciatica in both legs; numbness around "
    "your genitals or bottom; new trouble peeing or pooing; or leg weakness that is severe or "
    "getting worse.",
    "See a GP if it isn't improving after a few weeks, is getting worse, or stops you doing normal things.",
)
# S5 (R17, NHS DVT page): DVT symptoms with breathlessness or chest pain are a 999 matter.
CALF_EMERGENCY_MESSAGE = (
    "If you become breathless or have chest pain, call {emergency_number} or go to A&E now."
)
# What the client is told for each caution: spec §3's handling notes in the client's words,
# and for C4 the signs of a clot from R17 (NHS, Guy's and St Thomas').
CAUTION_ADVICE = {
    "C1": (
        "As you take medicine to thin your blood, your therapist will not use firm or deep-tissue "
        "pressure. Tell them if you notice bruising after a session."
    ),
    "C2": "As you are pregnant, please check with your midwife about having a massage.",
    "C3": "As you have osteoporosis, your therapist will not use firm pressure over your bones.",
    "C4": (
        "As you had an operation recently, your therapist will avoid the area. Watch for signs of "
        "a blood clot: swelling and pain in one leg, usually the calf, or warm, red or tender skin. "
        "If you notice them, get an urgent GP appointment or call {urgent_care_line}; call "
        "{emergency_number} if you also become breathless or have chest pain."
    ),
    "C5": "Your therapist will ask whether a doctor has seen you about this pain.",
    "C6": "Your therapist will ask whether a doctor has seen you about this pain.",
    "C7": (
        "Your therapist will ask at each visit whether the weakness in your leg is worse. If it "
        "gets worse, go to A&E or call {emergency_number}: don't wait for your appointment."
    ),
    "C8": "See a GP for pain relief if the pain stops you doing normal things.",
}
# Spec §4.4: R3 says sciatica usually improves in 4 to 6 weeks.
NOT_IMPROVING_WEEKS = 6
NOT_IMPROVING_MESSAGE = (
    "If you haven't yet, see your GP or a physiotherapist about sciatica that is not improving."
)


def client_advice(
    assessment: Assessment,
    *,
    symptom_weeks: int,
    emergency_number: str = "999",
    urgent_care_line: str = "NHS 111",
) -> list[str]:
    """The paragraphs to show the client after the intake, per spec §3."""
    numbers = {"emergency_number": emergency_number, "urgent_care_line": urgent_care_line}
    paragraphs: list[str]
    if assessment.outcome == Outcome.EMERGENCY:
        paragraphs = [EMERGENCY_MESSAGE]
        if "E5" in assessment.codes:
            paragraphs.append(CANCER_TEAM_MESSAGE)
    elif assessment.outcome == Outcome.SEE_DOCTOR:
        # Every distinct piece of advice: a client with a same-day reason and a
        # before-booking reason needs to hear both.
        urgencies = {RULES_BY_CODE[code].urgency for code in assessment.codes}
        paragraphs = []
        if Urgency.TODAY in urgencies:
            paragraphs.append(SEE_DOCTOR_TODAY_MESSAGE)
        if Urgency.BEFORE_BOOKING in urgencies:
            paragraphs.append(SEE_DOCTOR_BEFORE_BOOKING_MESSAGE)
        if "S5" in assessment.codes:
            paragraphs.append(CALF_EMERGENCY_MESSAGE)
        paragraphs.append(SEE_DOCTOR_SAFETY_NET)
    else:
        advice = [CAUTION_ADVICE[code] for code in assessment.codes if code in CAUTION_ADVICE]
        paragraphs = list(dict.fromkeys(advice))  # C5 and C6 share their advice
        paragraphs.extend(SAFETY_NET)
        if symptom_weeks >= NOT_IMPROVING_WEEKS:
            paragraphs.append(NOT_IMPROVING_MESSAGE)
    return [paragraph.format(**numbers) for paragraph in paragraphs]
