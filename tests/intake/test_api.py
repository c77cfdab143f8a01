from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from intake.models import Intake
from intake.triage import SAFETY_NET
from tests.factories import UserFactory, clear_answers, submit_intake

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
URL = "/api/v1/intake"
CURRENT_URL = "/api/v1/intake/current"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def new_client(db, clinic):
    return UserFactory()


@pytest.fixture
def api(client, new_client):
    client.force_login(new_client)
    return client


def post(api, body):
    return api.post(URL, body, content_type="application/json")


def body(**overrides):
    return {"answers": clear_answers(**overrides), "consent": True}


def test_a_clear_intake_is_stored_and_returns_its_outcome_and_the_safety_net(api, new_client):
    response = post(api, body() | {"worse_with": ["sitting", "bending"], "pressure_preference": "firm"})

    assert response.status_code == 201
    intake = Intake.objects.get(client=new_client)
    assert response.json() == {
        "id": intake.pk,
        "outcome": "CLEAR",
        "can_book": True,
        "reasons": [],
        "advice": [paragraph.format(emergency_number="999") for paragraph in SAFETY_NET],
    }
    assert intake.answers == clear_answers()
    assert (intake.worse_with, intake.pressure_preference) == (["sitting", "bending"], "firm")


def test_a_caution_lists_its_reasons_and_the_advice_for_them(api):
    response = post(api, body(pregnant=True, age=55))

    assert response.status_code == 201
    result = response.json()
    assert result["outcome"] == "CAUTION"
    assert result["reasons"] == [{"code": "C2", "message": "Pregnant"}, {"code": "C5", "message": "Over 50"}]
    assert (
        result["advice"][0] == "As you are pregnant, please check with your midwife about having a massage."
    )


def test_saddle_numbness_is_an_emergency_with_the_clinics_number(api, clinic):
    clinic.emergency_number = "112"
    clinic.save()

    response = post(api, body(saddle_numbness=True))

    assert response.status_code == 201
    result = response.json()
    assert result["outcome"] == "EMERGENCY"
    assert result["reasons"] == [
        {"code": "E2", "message": "Numbness or changed feeling around the genitals, bottom or inner thighs"}
    ]
    assert "Go to A&E now or call 112" in result["advice"][0]


def _without(key):
    answers = clear_answers()
    del answers[key]
    return {"answers": answers, "consent": True}


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        (_without("both_legs"), "answers.both_legs"),
        (body(saddle_numbness="true"), "answers.saddle_numbness"),
        (body(saddle_numbness=1), "answers.saddle_numbness"),
        (body(leg_weakness="a bit"), "answers.leg_weakness"),
        (body(pain_score=11), "answers.pain_score"),
        (body(age=-1), "answers.age"),
        (body(age="35"), "answers.age"),
        (body(recent_surgery_weeks=2.5), "answers.recent_surgery_weeks"),
        (body(made_up_question=True), "answers.made_up_question"),
        ({"answers": clear_answers(), "consent": False}, "consent"),
        ({"answers": clear_answers()}, "consent"),
        ({"answers": clear_answers(), "consent": "true"}, "consent"),
        (body() | {"worse_with": ["lying down"]}, "worse_with.0"),
        (body() | {"pain_location": "x" * 201}, "pain_location"),
        (body() | {"pressure_preference": "hard"}, "pressure_preference"),
        ({"consent": True}, "answers"),
        (body() | {"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_an_invalid_intake_names_the_field_and_stores_nothing(api, request_body, field):
    response = post(api, request_body)

    assert response.status_code == 422
    result = response.json()
    assert field in result["errors"]
    assert field in result["detail"]
    assert not Intake.objects.exists()


def test_the_current_intake_is_returned_in_the_same_shape(api, new_client):
    submit_intake(new_client, known_blood_clot=True)

    response = api.get(CURRENT_URL)

    assert response.status_code == 200
    result = response.json()
    assert result["outcome"] == "SEE_DOCTOR"
    assert result["reasons"] == [
        {"code": "S6", "message": "Has a blood clot now, or is being treated for one"}
    ]
    assert (
        result["advice"][0]
        == "Please check with your doctor (or surgeon) that massage is safe before booking."
    )


def test_there_is_no_current_intake_before_the_first_or_after_the_clinics_limit(api, new_client):
    assert api.get(CURRENT_URL).status_code == 404

    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        submit_intake(new_client)

    response = api.get(CURRENT_URL)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_the_intake_api_needs_a_login(client, clinic):
    assert client.get(CURRENT_URL).status_code == 401
    assert client.post(URL, body(), content_type="application/json").status_code == 401
    assert not Intake.objects.exists()


def test_submitting_needs_the_csrf_token(new_client):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/v1/auth/csrf")
    browser.force_login(new_client)

    refused = browser.post(URL, body(), content_type="application/json")
    assert refused.status_code == 403
    assert not Intake.objects.exists()

    token = browser.cookies["csrftoken"].value
    accepted = browser.post(URL, body(), content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201
