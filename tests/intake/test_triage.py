"""The sciatica intake triage, checked against shared/clinical/red-flags.md §3 and §4."""

import re
import typing

import pytest

from intake.triage import (
    OUTCOMES_BY_URGENCY,
    QUESTIONS,
    RED_FLAG_KEYS,
    RULES,
    YES_NO_KEYS,
    Answers,
    Assessment,
    LegWeakness,
    Outcome,
    Urgency,
    assess,
    client_advice,
)

EMERGENCY_MESSAGE = (
    "Please don't book a massage. Your answers include symptoms that need checking in hospital "
    "straight away. Go to A&E now or call 999 (or your local emergency number). "
    "Don't wait to see if it gets better."
)
CANCER_TEAM_MESSAGE = "If you are under a cancer team, you can also call their 24-hour helpline now."
TODAY_MESSAGE = "Please contact your GP today or call NHS 111 before booking."
BEFORE_BOOKING_MESSAGE = "Please check with your doctor (or surgeon) that massage is safe before booking."
SEE_DOCTOR_SAFETY_NET = (
    "If you develop sciatica in both legs, numbness around your genitals or bottom, new trouble "
    "peeing or pooing, or leg weakness that is severe or getting worse, go to A&E now."
)
SAFETY_NET = [
    "Go to A&E or call 999 if you get: sciatica in both legs; numbness around your genitals or "
    "bottom; new trouble peeing or pooing; or leg weakness that is severe or getting worse.",
    "See a GP if it isn't improving after a few weeks, is getting worse, or stops you doing normal things.",
]
NOT_IMPROVING_MESSAGE = (
    "If you haven't yet, see your GP or a physiotherapist about sciatica that is not improving."
)


def answers(**overrides: object) -> Answers:
    """A 35-year-old with pain 4/10 who answers no to everything (CLEAR), then the overrides."""
    baseline: Answers = {
        "bladder_bowel_change": False,
        "saddle_numbness": False,
        "leg_weakness": LegWeakness.NONE,
        "both_legs": False,
        "recent_major_trauma": False,
        "cancer_history": False,
        "fever_or_unexplained_weight_loss": False,
        "iv_drug_use_or_immunosuppressed": False,
        "calf_swelling_redness_warmth": False,
        "known_blood_clot": False,
        "recent_fracture_unhealed": False,
        "anticoagulants": False,
        "pregnant": False,
        "osteoporosis": False,
        "recent_surgery_weeks": None,
        "age": 35,
        "pain_score": 4,
        "pain_radiates_below_knee": False,
        "numbness_tingling": False,
        "symptom_weeks": 2,
    }
    unknown = set(overrides) - set(baseline)
    assert not unknown, f"not an intake question: {unknown}"  # a typo must not pass silently
    return typing.cast(Answers, {**baseline, **overrides})


# --- Every rule fires and is recorded -----------------------------------------------------------

# (answers that differ from the baseline, expected outcome, every code expected to fire)
RULE_CASES = [
    pytest.param({"bladder_bowel_change": True}, Outcome.EMERGENCY, ["E1"], id="E1"),
    pytest.param({"saddle_numbness": True}, Outcome.EMERGENCY, ["E2"], id="E2"),
    pytest.param({"leg_weakness": LegWeakness.SEVERE_OR_WORSENING}, Outcome.EMERGENCY, ["E3"], id="E3"),
    pytest.param({"both_legs": True}, Outcome.EMERGENCY, ["E4"], id="E4"),
    pytest.param(
        {"cancer_history": True, "pain_radiates_below_knee": True},
        Outcome.EMERGENCY,
        ["E5", "S2"],
        id="E5-radiating-pain",
    ),
    pytest.param(
        {"cancer_history": True, "numbness_tingling": True},
        Outcome.EMERGENCY,
        ["E5", "S2"],
        id="E5-numbness",
    ),
    pytest.param(
        {"cancer_history": True, "leg_weakness": LegWeakness.SEVERE_OR_WORSENING},
        Outcome.EMERGENCY,
        ["E3", "E5", "S2"],
        id="E5-severe-weakness",
    ),
    pytest.param(
        {"cancer_history": True, "leg_weakness": LegWeakness.MILD},
        Outcome.EMERGENCY,
        ["E5", "E6", "S2"],
        id="E5-E6-mild-weakness",
    ),
    pytest.param(
        {"leg_weakness": LegWeakness.MILD, "fever_or_unexplained_weight_loss": True},
        Outcome.EMERGENCY,
        ["E6", "S3"],
        id="E6-fever",
    ),
    pytest.param(
        {"leg_weakness": LegWeakness.MILD, "iv_drug_use_or_immunosuppressed": True},
        Outcome.EMERGENCY,
        ["E6", "S4"],
        id="E6-immunosuppressed",
    ),
    pytest.param(
        {"leg_weakness": LegWeakness.MILD, "recent_major_trauma": True},
        Outcome.EMERGENCY,
        ["E6", "S1"],
        id="E6-trauma",
    ),
    pytest.param({"recent_major_trauma": True}, Outcome.SEE_DOCTOR, ["S1"], id="S1"),
    pytest.param({"cancer_history": True}, Outcome.SEE_DOCTOR, ["S2"], id="S2"),
    pytest.param({"fever_or_unexplained_weight_loss": True}, Outcome.SEE_DOCTOR, ["S3"], id="S3"),
    pytest.param({"iv_drug_use_or_immunosuppressed": True}, Outcome.SEE_DOCTOR, ["S4"], id="S4"),
    pytest.param({"calf_swelling_redness_warmth": True}, Outcome.SEE_DOCTOR, ["S5"], id="S5"),
    pytest.param({"known_blood_clot": True}, Outcome.SEE_DOCTOR, ["S6"], id="S6"),
    pytest.param({"recent_fracture_unhealed": True}, Outcome.SEE_DOCTOR, ["S7"], id="S7"),
    pytest.param({"recent_surgery_weeks": 3}, Outcome.SEE_DOCTOR, ["S8"], id="S8"),
    pytest.param({"osteoporosis": True, "pain_score": 9}, Outcome.SEE_DOCTOR, ["S9", "C8"], id="S9"),
    pytest.param({"age": 16}, Outcome.SEE_DOCTOR, ["S10"], id="S10"),
    pytest.param({"anticoagulants": True}, Outcome.CAUTION, ["C1"], id="C1"),
    pytest.param({"pregnant": True}, Outcome.CAUTION, ["C2"], id="C2"),
    pytest.param({"osteoporosis": True}, Outcome.CAUTION, ["C3"], id="C3"),
    pytest.param({"recent_surgery_weeks": 10}, Outcome.CAUTION, ["C4"], id="C4"),
    pytest.param({"age": 64}, Outcome.CAUTION, ["C5"], id="C5"),
    pytest.param({"age": 18}, Outcome.CAUTION, ["C6"], id="C6"),
    pytest.param({"leg_weakness": LegWeakness.MILD}, Outcome.CAUTION, ["C7"], id="C7"),
    pytest.param({"pain_score": 9}, Outcome.CAUTION, ["C8"], id="C8"),
]


@pytest.mark.parametrize(("overrides", "outcome", "codes"), RULE_CASES)
def test_each_rule_fires_with_its_outcome_and_is_recorded(overrides, outcome, codes):
    assessment = assess(answers(**overrides))

    assert assessment.outcome == outcome
    assert list(assessment.codes) == codes


def test_every_rule_in_the_spec_is_covered_by_a_firing_case():
    fired = {code for case in RULE_CASES for code in case.values[2]}

    assert fired == {rule.code for rule in RULES}


def test_client_who_answers_no_to_everything_is_clear_with_no_reasons():
    assessment = assess(answers())

    assert assessment == Assessment(outcome=Outcome.CLEAR, reasons=())
    assert not assessment.blocks_booking


def test_client_with_saddle_numbness_is_told_to_go_to_emergency():
    assessment = assess(answers(saddle_numbness=True))

    assert assessment.outcome == Outcome.EMERGENCY
    assert assessment.blocks_booking
    assert client_advice(assessment, symptom_weeks=2)[0] == EMERGENCY_MESSAGE


# --- Boundaries (spec §4) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "outcome", "codes"),
    [
        (17, Outcome.SEE_DOCTOR, ["S10"]),
        (18, Outcome.CAUTION, ["C6"]),
        (19, Outcome.CAUTION, ["C6"]),
        (20, Outcome.CLEAR, []),
        (50, Outcome.CLEAR, []),
        (51, Outcome.CAUTION, ["C5"]),
    ],
)
def test_age_boundaries(age, outcome, codes):
    assessment = assess(answers(age=age))

    assert assessment.outcome == outcome
    assert list(assessment.codes) == codes


@pytest.mark.parametrize(
    ("pain_score", "osteoporosis", "outcome", "codes"),
    [
        (7, False, Outcome.CLEAR, []),
        (8, False, Outcome.CAUTION, ["C8"]),
        (7, True, Outcome.CAUTION, ["C3"]),
        (8, True, Outcome.SEE_DOCTOR, ["S9", "C8"]),
    ],
)
def test_pain_boundaries_with_and_without_osteoporosis(pain_score, osteoporosis, outcome, codes):
    assessment = assess(answers(pain_score=pain_score, osteoporosis=osteoporosis))

    assert assessment.outcome == outcome
    assert list(assessment.codes) == codes


@pytest.mark.parametrize(
    ("weeks", "outcome", "codes"),
    [
        (0, Outcome.SEE_DOCTOR, ["S8"]),
        (6, Outcome.SEE_DOCTOR, ["S8"]),
        (7, Outcome.CAUTION, ["C4"]),
        (12, Outcome.CAUTION, ["C4"]),
        (13, Outcome.CLEAR, []),
        (None, Outcome.CLEAR, []),
    ],
)
def test_surgery_week_boundaries(weeks, outcome, codes):
    assessment = assess(answers(recent_surgery_weeks=weeks))

    assert assessment.outcome == outcome
    assert list(assessment.codes) == codes


# --- The most urgent outcome wins; every reason is kept ----------------------------------------


def test_saddle_numbness_on_blood_thinners_is_emergency_with_both_reasons_recorded():
    assessment = assess(answers(anticoagulants=True, saddle_numbness=True))

    assert assessment.outcome == Outcome.EMERGENCY
    assert list(assessment.codes) == ["E2", "C1"]


def test_bladder_change_with_a_blood_clot_is_emergency_with_both_reasons_recorded():
    assessment = assess(answers(bladder_bowel_change=True, known_blood_clot=True))

    assert assessment.outcome == Outcome.EMERGENCY
    assert list(assessment.codes) == ["E1", "S6"]


def test_pregnant_client_with_a_swollen_calf_must_see_a_doctor_and_keeps_the_caution():
    assessment = assess(answers(pregnant=True, calf_swelling_redness_warmth=True))

    assert assessment.outcome == Outcome.SEE_DOCTOR
    assert list(assessment.codes) == ["S5", "C2"]


def test_many_cautions_together_still_allow_booking():
    assessment = assess(
        answers(
            anticoagulants=True,
            pregnant=True,
            osteoporosis=True,
            recent_surgery_weeks=9,
            age=55,
            leg_weakness=LegWeakness.MILD,
        )
    )

    assert assessment.outcome == Outcome.CAUTION
    assert not assessment.blocks_booking
    assert list(assessment.codes) == ["C1", "C2", "C3", "C4", "C5", "C7"]


def test_reasons_carry_the_staff_summary_and_the_therapist_handling_note():
    (reason,) = assess(answers(anticoagulants=True)).reasons

    assert reason.code == "C1"
    assert reason.message == "Takes blood thinners"
    assert reason.handling == "No forceful or deep-tissue pressure; watch for bruising."


# --- Deliberate positions (spec §1, §5) --------------------------------------------------------


def test_cancer_history_without_nerve_symptoms_must_see_a_doctor_today_only():
    assessment = assess(answers(cancer_history=True))

    assert assessment.outcome == Outcome.SEE_DOCTOR
    assert list(assessment.codes) == ["S2"]
    assert client_advice(assessment, symptom_weeks=2)[0] == TODAY_MESSAGE


def test_cancer_history_with_pain_below_the_knee_is_an_emergency():
    assessment = assess(answers(cancer_history=True, pain_radiates_below_knee=True))

    assert assessment.outcome == Outcome.EMERGENCY
    assert "E5" in assessment.codes


def test_mild_weakness_alone_is_a_caution():
    assessment = assess(answers(leg_weakness=LegWeakness.MILD))

    assert assessment.outcome == Outcome.CAUTION
    assert list(assessment.codes) == ["C7"]


@pytest.mark.parametrize(
    "systemic_red_flag",
    [
        "cancer_history",
        "fever_or_unexplained_weight_loss",
        "iv_drug_use_or_immunosuppressed",
        "recent_major_trauma",
    ],
)
def test_mild_weakness_with_a_systemic_red_flag_is_emergency_and_not_a_caution(
    systemic_red_flag,
):
    assessment = assess(answers(leg_weakness=LegWeakness.MILD, **{systemic_red_flag: True}))

    assert assessment.outcome == Outcome.EMERGENCY
    assert "E6" in assessment.codes
    assert "C7" not in assessment.codes


@pytest.mark.parametrize("pain_score", [8, 9, 10])
@pytest.mark.parametrize("symptom_weeks", [0, 6, 52])
def test_severe_pain_alone_never_blocks_booking(pain_score, symptom_weeks):
    assessment = assess(answers(pain_score=pain_score, symptom_weeks=symptom_weeks))

    assert assessment.outcome == Outcome.CAUTION
    assert not assessment.blocks_booking


def test_typical_one_sided_sciatica_never_blocks_booking():
    assessment = assess(
        answers(
            pain_radiates_below_knee=True,
            numbness_tingling=True,
            leg_weakness=LegWeakness.MILD,
            pain_score=6,
        )
    )

    assert not assessment.blocks_booking


@pytest.mark.parametrize("symptom_weeks", [0, 5, 6, 104])
def test_symptom_duration_never_changes_the_outcome(symptom_weeks):
    for case in RULE_CASES:
        overrides, outcome, _codes = case.values
        assert assess(answers(**overrides, symptom_weeks=symptom_weeks)).outcome == outcome


# --- Outcomes, questions and the rule table --------------------------------------------------


def test_outcomes_are_ordered_from_most_to_least_urgent():
    assert OUTCOMES_BY_URGENCY == (
        Outcome.EMERGENCY,
        Outcome.SEE_DOCTOR,
        Outcome.CAUTION,
        Outcome.CLEAR,
    )
    assert [outcome.severity for outcome in OUTCOMES_BY_URGENCY] == [3, 2, 1, 0]
    assert [str(outcome) for outcome in Outcome] == ["EMERGENCY", "SEE_DOCTOR", "CAUTION", "CLEAR"]


@pytest.mark.parametrize(
    ("outcome", "blocks"),
    [
        (Outcome.EMERGENCY, True),
        (Outcome.SEE_DOCTOR, True),
        (Outcome.CAUTION, False),
        (Outcome.CLEAR, False),
    ],
)
def test_only_emergency_and_see_doctor_block_booking(outcome, blocks):
    assert Assessment(outcome=outcome, reasons=()).blocks_booking is blocks


def test_questions_cover_the_twenty_intake_keys_in_the_spec_order():
    assert list(QUESTIONS) == list(typing.get_type_hints(Answers))
    assert len(QUESTIONS) == 20
    assert all(wording and "**" not in wording for wording in QUESTIONS.values())


def test_yes_no_keys_are_exactly_the_boolean_answers():
    hints = typing.get_type_hints(Answers)

    assert set(YES_NO_KEYS) == {key for key, kind in hints.items() if kind is bool}


@pytest.mark.parametrize("key", YES_NO_KEYS)
def test_a_question_is_re_asked_at_booking_when_a_yes_to_it_alone_blocks_booking(key):
    assert assess(answers(**{key: True})).blocks_booking is (key in RED_FLAG_KEYS)


def test_leg_weakness_is_re_asked_at_booking_as_worsening_weakness_blocks_booking():
    assert "leg_weakness" in RED_FLAG_KEYS
    assert assess(answers(leg_weakness=LegWeakness.SEVERE_OR_WORSENING)).blocks_booking


def test_rule_codes_are_those_of_the_spec_each_declared_once():
    expected = (
        [f"E{n}" for n in range(1, 7)] + [f"S{n}" for n in range(1, 11)] + [f"C{n}" for n in range(1, 9)]
    )

    assert [rule.code for rule in RULES] == expected


def test_see_doctor_rules_carry_the_urgency_of_the_spec_and_no_other_rule_does():
    urgencies = {rule.code: rule.urgency for rule in RULES if rule.urgency is not None}

    assert urgencies == {
        "S1": Urgency.TODAY,
        "S2": Urgency.TODAY,
        "S3": Urgency.TODAY,
        "S4": Urgency.TODAY,
        "S5": Urgency.TODAY,
        "S6": Urgency.BEFORE_BOOKING,
        "S7": Urgency.BEFORE_BOOKING,
        "S8": Urgency.BEFORE_BOOKING,
        "S9": Urgency.TODAY,
        "S10": Urgency.BEFORE_BOOKING,
    }
    assert all(rule.outcome == Outcome.SEE_DOCTOR for rule in RULES if rule.code in urgencies)


def test_only_caution_rules_have_a_handling_note_and_all_of_them_do():
    for rule in RULES:
        assert bool(rule.handling) is (rule.outcome == Outcome.CAUTION), rule.code
        assert rule.summary, rule.code


# --- What the client is told (spec §3) ---------------------------------------------------------


def test_emergency_client_is_told_to_go_to_a_and_e_now():
    assessment = assess(answers(both_legs=True))

    assert client_advice(assessment, symptom_weeks=10) == [EMERGENCY_MESSAGE]


def test_emergency_with_cancer_and_nerve_pain_adds_the_cancer_team_helpline():
    assessment = assess(answers(cancer_history=True, numbness_tingling=True))

    assert client_advice(assessment, symptom_weeks=2) == [EMERGENCY_MESSAGE, CANCER_TEAM_MESSAGE]


@pytest.mark.parametrize(
    "overrides",
    [
        {"recent_major_trauma": True},
        {"cancer_history": True},
        {"fever_or_unexplained_weight_loss": True},
        {"iv_drug_use_or_immunosuppressed": True},
        {"osteoporosis": True, "pain_score": 8},
    ],
)
def test_see_doctor_today_client_is_told_to_contact_a_gp_today(overrides):
    assessment = assess(answers(**overrides))

    assert client_advice(assessment, symptom_weeks=2) == [TODAY_MESSAGE, SEE_DOCTOR_SAFETY_NET]


@pytest.mark.parametrize(
    "overrides",
    [
        {"known_blood_clot": True},
        {"recent_fracture_unhealed": True},
        {"recent_surgery_weeks": 2},
        {"age": 17},
    ],
)
def test_see_doctor_before_booking_client_is_told_to_check_massage_is_safe(overrides):
    assessment = assess(answers(**overrides))

    assert client_advice(assessment, symptom_weeks=2) == [
        BEFORE_BOOKING_MESSAGE,
        SEE_DOCTOR_SAFETY_NET,
    ]


def test_see_doctor_today_wins_over_before_booking():
    assessment = assess(answers(known_blood_clot=True, fever_or_unexplained_weight_loss=True))

    assert client_advice(assessment, symptom_weeks=2)[0] == TODAY_MESSAGE


def test_clear_client_gets_the_safety_net():
    assert client_advice(assess(answers()), symptom_weeks=2) == SAFETY_NET


def test_pregnant_client_is_advised_to_check_with_their_midwife_plus_the_safety_net():
    advice = client_advice(assess(answers(pregnant=True)), symptom_weeks=2)

    assert advice == [
        "As you are pregnant, please check with your midwife about having a massage.",
        *SAFETY_NET,
    ]


def test_client_in_severe_pain_is_advised_to_see_a_gp_for_pain_relief_plus_the_safety_net():
    advice = client_advice(assess(answers(pain_score=9)), symptom_weeks=2)

    assert advice == [
        "See a GP for pain relief if the pain stops you doing normal things.",
        *SAFETY_NET,
    ]


def test_a_swollen_calf_is_told_to_see_a_gp_today_and_to_call_999_if_breathless():
    advice = client_advice(assess(answers(calf_swelling_redness_warmth=True)), symptom_weeks=2)

    assert advice == [
        TODAY_MESSAGE,
        "If you become breathless or have chest pain, call 999 or go to A&E now.",
        SEE_DOCTOR_SAFETY_NET,
    ]


def test_a_client_with_same_day_and_before_booking_reasons_hears_both():
    advice = client_advice(
        assess(
            answers(
                cancer_history=True,
                pain_radiates_below_knee=False,
                numbness_tingling=False,
                known_blood_clot=True,
            )
        ),
        symptom_weeks=2,
    )

    assert advice[:2] == [TODAY_MESSAGE, BEFORE_BOOKING_MESSAGE]
    assert advice[-1] == SEE_DOCTOR_SAFETY_NET


@pytest.mark.parametrize(
    ("overrides", "advice_mentions"),
    [
        ({"anticoagulants": True}, "firm or deep-tissue pressure"),
        ({"osteoporosis": True}, "firm pressure over your bones"),
        ({"recent_surgery_weeks": 8}, "signs of a blood clot"),
        ({"age": 70}, "whether a doctor has seen you"),
        ({"age": 19}, "whether a doctor has seen you"),
        ({"leg_weakness": LegWeakness.MILD}, "If it gets worse, go to A&E"),
    ],
)
def test_each_caution_gets_its_own_advice_then_the_safety_net(overrides, advice_mentions):
    advice = client_advice(assess(answers(**overrides)), symptom_weeks=2)

    assert advice_mentions in advice[0]
    assert advice[1:] == SAFETY_NET


@pytest.mark.parametrize(
    ("overrides", "symptom_weeks", "adds_gp_advice"),
    [
        ({}, 5, False),
        ({}, 6, True),
        ({"anticoagulants": True}, 5, False),
        ({"anticoagulants": True}, 6, True),
        ({"known_blood_clot": True}, 20, False),
        ({"saddle_numbness": True}, 20, False),
    ],
)
def test_sciatica_of_six_weeks_or_more_adds_gp_or_physiotherapist_advice_when_booking_allowed(
    overrides, symptom_weeks, adds_gp_advice
):
    advice = client_advice(assess(answers(**overrides)), symptom_weeks=symptom_weeks)

    assert (advice[-1] == NOT_IMPROVING_MESSAGE) is adds_gp_advice
    assert advice.count(NOT_IMPROVING_MESSAGE) == int(adds_gp_advice)


# Every rule firing, plus the CLEAR baseline: each outcome and each client message.
ALL_SCENARIOS = [pytest.param(case.values[0], id=case.id) for case in RULE_CASES] + [
    pytest.param({}, id="clear")
]


@pytest.mark.parametrize("overrides", ALL_SCENARIOS)
def test_a_us_clinic_never_shows_the_uk_numbers(overrides):
    advice = client_advice(
        assess(answers(**overrides)),
        symptom_weeks=8,
        emergency_number="911",
        urgent_care_line="your urgent care line",
    )
    text = " ".join(advice)

    assert "999" not in text
    assert "111" not in text


def test_911_replaces_999_in_the_emergency_message_and_the_safety_net():
    emergency = client_advice(assess(answers(saddle_numbness=True)), symptom_weeks=2, emergency_number="911")
    clear = client_advice(assess(answers()), symptom_weeks=2, emergency_number="911")

    assert emergency == [EMERGENCY_MESSAGE.replace("999", "911")]
    assert clear[0] == SAFETY_NET[0].replace("999", "911")


def test_a_clinic_can_name_its_own_urgent_care_line_for_same_day_advice():
    advice = client_advice(
        assess(answers(cancer_history=True)),
        symptom_weeks=2,
        urgent_care_line="your urgent care line",
    )

    assert advice[0] == "Please contact your GP today or call your urgent care line before booking."


@pytest.mark.parametrize("overrides", ALL_SCENARIOS)
def test_client_text_never_names_a_rule_or_says_triage(overrides):
    for symptom_weeks in (0, 12):
        text = " ".join(client_advice(assess(answers(**overrides)), symptom_weeks=symptom_weeks))

        assert not re.search(r"\b[ESC]\d+\b", text)
        assert "triage" not in text.lower()
        assert "{" not in text  # every placeholder was filled in
