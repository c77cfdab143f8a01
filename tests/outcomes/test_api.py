"""Outcome questionnaires in the JSON API v1."""

import json
from datetime import timedelta

from outcomes.models import OutcomeResponse
from privacy.models import AccessRecord
from tests.workspace.data import NOW

from .conftest import SBI_ANSWERS, plan_with_sessions


def post(client, body):
    return client.post("/api/v1/outcomes/responses", json.dumps(body), content_type="application/json")


def test_the_definitions_are_public_with_thresholds_and_their_sources(client, db):
    listed = {each["key"]: each for each in client.get("/api/v1/outcomes/measures").json()}

    assert list(listed) == ["sbi", "psfs", "pain"]
    assert [item["key"] for item in listed["sbi"]["items"]] == [
        "leg_pain",
        "numbness_tingling",
        "weakness",
        "pain_sitting",
    ]
    assert (listed["sbi"]["score_min"], listed["sbi"]["score_max"]) == (0, 24)
    assert listed["sbi"]["minimal_important_change"] is None
    assert listed["psfs"]["named_items"] == {"key": "activities", "max": 3, "prompt": "Activity"}
    assert listed["psfs"]["higher_is_better"] is True
    assert listed["pain"]["minimal_important_change"]["text"] == "2 points or 30%"
    assert "Farrar" in listed["pain"]["minimal_important_change"]["source"]


def test_a_client_fills_one_and_gets_its_score(client, client_user):
    client.force_login(client_user)

    response = post(client, {"measure": "sbi", "answers": SBI_ANSWERS})

    assert response.status_code == 201
    body = response.json()
    assert (body["measure"], body["score"], body["occasion"], body["change"]) == ("sbi", 16, "intake", None)
    assert OutcomeResponse.objects.get().client == client_user


def test_with_an_active_plan_a_response_is_a_reassessment_of_it(client, world):
    plan = plan_with_sessions(
        client=world.client, therapist=world.therapist, service=world.service, completed=2
    )
    client.force_login(world.client)

    body = post(client, {"measure": "pain", "answers": {"pain": 4}}).json()

    assert (body["occasion"], body["plan_id"]) == ("reassessment", plan.pk)


def test_bad_answers_are_a_422_naming_the_field(client, client_user):
    client.force_login(client_user)

    out_of_range = post(client, {"measure": "sbi", "answers": SBI_ANSWERS | {"weakness": 9}})
    as_text = post(client, {"measure": "pain", "answers": {"pain": "4"}})
    missing = post(client, {"measure": "sbi", "answers": {"leg_pain": 3}})
    unknown = post(client, {"measure": "oswestry", "answers": {}})

    assert out_of_range.status_code == 422
    assert out_of_range.json()["errors"] == {"answers.weakness": ["Choose a whole number from 0 to 6."]}
    assert as_text.json()["errors"] == {"answers.pain": ["Choose a whole number from 0 to 10."]}
    assert missing.json()["errors"] == {
        "answers": ["Please answer all 4 questions, or leave them all blank."]
    }
    assert unknown.json()["errors"] == {"measure": ["There is no questionnaire with this key."]}
    assert "detail" in unknown.json()
    assert not OutcomeResponse.objects.exists()


def test_an_unnamed_activity_is_a_422(client, client_user):
    client.force_login(client_user)

    response = post(client, {"measure": "psfs", "answers": {"activities": [{"name": "", "score": 3}]}})

    assert response.status_code == 422
    assert response.json()["errors"] == {"answers.activities.0.name": ["Please name it."]}


def test_a_client_reads_their_own_scores_with_the_changes(client, client_user):
    for days_ago, pain in ((20, 8), (1, 5)):
        OutcomeResponse.objects.create(
            client=client_user,
            measure="pain",
            answers={"pain": pain},
            score=pain,
            taken_at=NOW - timedelta(days=days_ago),
            occasion="intake",
        )
    client.force_login(client_user)

    body = client.get("/api/v1/outcomes/responses").json()

    assert [(r["score"], r["change"], r["verdict"]) for r in body["responses"]] == [
        (8, None, ""),
        (5, 3, "meaningful improvement"),
    ]
    assert body["outcomes"] == [
        {
            "measure": "pain",
            "measure_name": "Pain rating (0-10)",
            "first_score": 8,
            "latest_score": 5,
            "change": 3,
            "meaningful": True,
            "verdict": "meaningful improvement",
            "threshold": "2 points or 30%",
        }
    ]


def test_staff_reading_a_clients_scores_is_on_record(client, world):
    OutcomeResponse.objects.create(
        client=world.client, measure="pain", answers={"pain": 6}, score=6, taken_at=NOW, occasion="intake"
    )
    client.force_login(world.therapist.user)

    body = client.get(f"/api/v1/clients/{world.client.pk}/outcomes").json()

    assert [r["score"] for r in body["responses"]] == [6]
    record = AccessRecord.objects.get()
    assert (record.viewer, record.client, record.what) == (world.therapist.user, world.client, "outcomes")


def test_a_staff_member_cannot_fill_in_a_questionnaire(client, world):
    client.force_login(world.therapist.user)

    assert post(client, {"measure": "pain", "answers": {"pain": 4}}).status_code == 403
