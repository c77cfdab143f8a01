"""Outcome questionnaires in the client's copy of their data, and at erasure."""

from data_rights.export import client_data_export
from data_rights.services import client_erase
from outcomes.models import OutcomeResponse
from outcomes.services import questionnaires_record

from .conftest import PSFS_ANSWERS


def test_the_clients_export_lists_their_questionnaires_with_answers_and_scores(client_user):
    questionnaires_record(
        client=client_user, answered={"psfs": PSFS_ANSWERS, "pain": {"pain": 6}}, occasion="intake"
    )

    export = client_data_export(client_user)

    assert [(each["questionnaire"], each["score"]) for each in export["outcome_questionnaires"]] == [
        ("psfs", "4"),
        ("pain", "6"),
    ]
    assert export["outcome_questionnaires"][0]["answers"] == PSFS_ANSWERS


def test_erasure_removes_the_activities_named_in_the_clients_words_and_keeps_the_scores(client_user):
    questionnaires_record(client=client_user, answered={"psfs": PSFS_ANSWERS}, occasion="intake")

    client_erase(client=client_user, reason="client")

    kept = OutcomeResponse.objects.get()
    assert kept.answers == {
        "activities": [{"name": "Activity 1", "score": 3}, {"name": "Activity 2", "score": 5}]
    }
    assert kept.score == 4
