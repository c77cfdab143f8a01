"""A new questionnaire is a new data file: no change to the scoring code."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from outcomes.definitions import measure_from_file, measures, measures_reload
from outcomes.models import OutcomeResponse
from outcomes.scoring import change_between, score
from outcomes.services import questionnaires_record, scores_recompute
from tests.factories import UserFactory

FIVE_ITEM_MEAN = {
    "key": "sleep",
    "name": "A made-up sleep scale",
    "order": 5,
    "instructions": "How well did you sleep?",
    "items": [{"key": f"night_{n}", "text": f"Night {n}"} for n in range(1, 6)],
    "scale": {"min": 1, "max": 5, "anchors": {"1": "Badly", "5": "Well"}},
    "scoring": {"method": "mean", "min_answered": 3, "decimals": 1},
    "direction": "higher_is_better",
    "minimal_important_change": {
        "points": 0.5,
        "text": "half a point",
        "source": "A test's own made-up source",
    },
    "source": "Made up for this test",
}


@pytest.fixture
def measures_dir(tmp_path, settings):
    settings.OUTCOME_MEASURES_DIR = tmp_path
    measures_reload()
    return tmp_path


def write(directory, definition):
    (directory / f"{definition['key']}.json").write_text(json.dumps(definition))


def test_a_measure_added_as_a_data_file_is_listed_scored_and_judged(measures_dir):
    write(measures_dir, FIVE_ITEM_MEAN)
    measures_reload()
    sleep = measures()["sleep"]

    answers = {"night_1": 2, "night_2": 3, "night_3": 3}  # two nights missing: 3 answered is enough

    assert score(sleep, answers) == Decimal("2.7")
    assert score(sleep, {"night_1": 2, "night_2": 3}) is None
    assert change_between(sleep, Decimal("2.7"), Decimal("3.2")).meaningful is True
    assert change_between(sleep, Decimal("2.7"), Decimal("3.1")).meaningful is False


def test_a_measure_added_as_a_data_file_is_stored_by_the_service_and_listed_by_the_api(
    measures_dir, client, db
):
    write(measures_dir, FIVE_ITEM_MEAN)
    measures_reload()
    person = UserFactory()

    [stored] = questionnaires_record(
        client=person, answered={"sleep": {"night_1": 4, "night_2": 4, "night_3": 5}}, occasion="intake"
    )

    assert OutcomeResponse.objects.get(pk=stored.pk).score == Decimal("4.3")
    assert [each["key"] for each in client.get("/api/v1/outcomes/measures").json()] == ["sleep"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"scoring": {"method": "sum", "min_answered": 3}}, "every item"),
        ({"minimal_important_change": None}, "threshold_note"),
        ({"minimal_important_change": {"points": 1, "text": "1", "source": ""}}, "source"),
        ({"scale": {"min": 5, "max": 1}}, "min must be below"),
    ],
)
def test_a_definition_that_does_not_fit_stops_the_app_rather_than_score_with_it(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(FIVE_ITEM_MEAN | change))

    with pytest.raises(ImproperlyConfigured, match=message):
        measure_from_file(path)


def test_scores_are_computed_again_from_the_stored_answers(measures_dir, db):
    write(measures_dir, FIVE_ITEM_MEAN)
    measures_reload()
    [stored] = questionnaires_record(
        client=UserFactory(),
        answered={"sleep": {"night_1": 4, "night_2": 4, "night_3": 5}},
        occasion="intake",
    )
    OutcomeResponse.objects.filter(pk=stored.pk).update(score=Decimal("1.0"))  # as a wrong definition left it

    assert scores_recompute(measure_key="sleep") == 1
    assert OutcomeResponse.objects.get(pk=stored.pk).score == Decimal("4.3")
    assert scores_recompute() == 0
