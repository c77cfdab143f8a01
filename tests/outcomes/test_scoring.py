"""The scoring engine with the shipped definitions: boundaries, missing items, bad values,
direction and the minimal important change of each measure."""

from decimal import Decimal

import pytest

from outcomes.definitions import measure_get, measures
from outcomes.scoring import answer_errors, change_between, score


def sbi():
    return measure_get("sbi")


def psfs():
    return measure_get("psfs")


def pain():
    return measure_get("pain")


def sbi_answers(value=None, **overrides):
    answers = {key: value for key in ("leg_pain", "numbness_tingling", "weakness", "pain_sitting")}
    answers.update(overrides)
    return answers


def test_the_three_shipped_measures_come_in_page_order():
    assert list(measures()) == ["sbi", "psfs", "pain"]


@pytest.mark.parametrize(("value", "total"), [(0, Decimal(0)), (6, Decimal(24)), (3, Decimal(12))])
def test_the_sciatica_index_sums_its_four_items_from_0_to_24(value, total):
    assert answer_errors(sbi(), sbi_answers(value)) == {}
    assert score(sbi(), sbi_answers(value)) == total


def test_the_sciatica_index_adds_different_answers():
    assert score(sbi(), sbi_answers(leg_pain=6, numbness_tingling=4, weakness=0, pain_sitting=1)) == 11


@pytest.mark.parametrize("missing", ["leg_pain", "numbness_tingling", "weakness", "pain_sitting"])
def test_the_sciatica_index_has_no_score_when_any_item_is_missing(missing):
    answers = sbi_answers(3)
    del answers[missing]

    assert answer_errors(sbi(), answers) == {}
    assert score(sbi(), answers) is None
    assert score(sbi(), sbi_answers(3, **{missing: None})) is None


@pytest.mark.parametrize("bad", [7, -1, "3", 3.5, True, None.__class__])
def test_the_sciatica_index_refuses_answers_off_its_0_to_6_scale(bad):
    errors = answer_errors(sbi(), sbi_answers(2, weakness=bad))

    assert errors == {"weakness": "Choose a whole number from 0 to 6."}


def test_an_answer_to_a_question_the_measure_does_not_ask_is_refused():
    errors = answer_errors(sbi(), sbi_answers(2, back_pain=3))

    assert errors == {"back_pain": "This is not a question of this questionnaire."}


def test_answers_that_are_not_an_object_are_refused():
    assert answer_errors(sbi(), [1, 2, 3, 4]) == {
        "answers": "Send the answers as an object, keyed by question."
    }


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([0], Decimal("0.00")),
        ([10, 10, 10], Decimal("10.00")),
        ([4, 6], Decimal("5.00")),
        ([3, 4, 4], Decimal("3.67")),
    ],
)
def test_the_functional_scale_is_the_mean_of_the_activities_rated(ratings, expected):
    answers = {"activities": [{"name": f"Activity {n}", "score": r} for n, r in enumerate(ratings)]}

    assert answer_errors(psfs(), answers) == {}
    assert score(psfs(), answers) == expected


def test_the_functional_scale_leaves_out_an_activity_named_but_not_rated():
    answers = {"activities": [{"name": "Walk the dog", "score": 6}, {"name": "Drive", "score": None}]}

    assert score(psfs(), answers) == Decimal("6.00")


def test_the_functional_scale_needs_at_least_one_activity_rated():
    assert score(psfs(), {"activities": []}) is None
    assert score(psfs(), {}) is None
    assert score(psfs(), {"activities": [{"name": "Drive", "score": None}]}) is None


def test_the_functional_scale_takes_at_most_three_activities():
    answers = {"activities": [{"name": f"Activity {n}", "score": 5} for n in range(4)]}

    assert answer_errors(psfs(), answers) == {"activities": "At most 3."}


def test_each_activity_must_be_named_and_rated_0_to_10():
    answers = {"activities": [{"name": " ", "score": 5}, {"name": "Drive", "score": 11}]}

    assert answer_errors(psfs(), answers) == {
        "activities.0.name": "Please name it.",
        "activities.1.score": "Choose a whole number from 0 to 10.",
    }


@pytest.mark.parametrize("value", [0, 10])
def test_the_pain_rating_runs_from_0_to_10(value):
    assert score(pain(), {"pain": value}) == value
    assert answer_errors(pain(), {"pain": 11}) == {"pain": "Choose a whole number from 0 to 10."}


# --- Direction and thresholds ------------------------------------------------------------------


def test_a_change_is_positive_when_the_client_is_better_whatever_the_scale_direction():
    assert change_between(sbi(), Decimal(20), Decimal(12)).points == 8  # lower is better
    assert change_between(psfs(), Decimal(3), Decimal(6)).points == 3  # higher is better
    assert change_between(pain(), Decimal(4), Decimal(6)).points == -2


def test_a_two_point_drop_in_pain_is_meaningful_and_a_one_point_drop_from_8_is_not():
    assert change_between(pain(), Decimal(8), Decimal(6)).meaningful is True
    assert change_between(pain(), Decimal(8), Decimal(7)).meaningful is False  # 12.5%


def test_a_one_point_drop_in_pain_from_3_is_meaningful_by_the_30_percent_rule():
    assert change_between(pain(), Decimal(3), Decimal(2)).meaningful is True  # 33%
    assert change_between(pain(), Decimal(4), Decimal(3)).meaningful is False  # 25%


def test_worse_pain_is_meaningful_by_points_only():
    assert change_between(pain(), Decimal(4), Decimal(6)).meaningful is True
    assert change_between(pain(), Decimal(1), Decimal(2)).meaningful is False  # 100% worse, but 1 point


def test_no_change_is_not_meaningful():
    assert change_between(pain(), Decimal(5), Decimal(5)).meaningful is False


def test_the_functional_scale_change_is_meaningful_from_1_3_points():
    assert change_between(psfs(), Decimal("4.00"), Decimal("5.30")).meaningful is True
    assert change_between(psfs(), Decimal("4.00"), Decimal("5.00")).meaningful is False


def test_the_sciatica_index_has_no_published_threshold_so_no_verdict():
    judged = change_between(sbi(), Decimal(20), Decimal(4))

    assert (judged.points, judged.meaningful) == (16, None)
    assert sbi().threshold is None
    assert "No published minimal important change" in sbi().threshold_note


def test_each_threshold_names_its_published_source():
    assert pain().threshold.text == "2 points or 30%"
    assert "Farrar" in pain().threshold.source
    assert "Abbott" in psfs().threshold.source
