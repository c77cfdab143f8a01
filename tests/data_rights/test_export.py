import json
from datetime import timedelta

from django.test import Client

from tests.api.conftest import ApiClient

from .conftest import client_with_history


def test_a_client_downloads_everything_the_clinic_holds_about_them(history, signed_in):
    response = signed_in.get("/accounts/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-clinic-data-2026-12-04.json"'
    export = json.loads(response.content)
    assert export["account"] | {"joined_at": None, "last_login_at": None} == {
        "email": "sam@example.com",
        "first_name": "Sam",
        "last_name": "Jones",
        "phone": "07700 900123",
        "joined_at": None,
        "last_login_at": None,
        "self_care_tips": "subscribed",
        "email_change_waiting_for_confirmation": [],
    }
    assert export["intake_in_force"]["outcome"] == "CLEAR"
    (intake,) = export["intakes"]
    assert (intake["outcome"], intake["answers"]["pain_score"], intake["submitted_by"]) == ("CLEAR", 5, "you")
    assert intake["advice"]  # what the client was told, in words
    assert (intake["health_history"], intake["medications"]) == (
        "Slipped disc in 2019",
        "Ibuprofen when needed",
    )
    past, today, monday = export["appointments"]
    assert past["start"] == "2026-12-03T10:00:00+00:00"
    assert past["session_note"]["pain_before"] == 6
    assert past["session_note"]["pain_after"] == 3
    assert past["session_note"]["findings"] == "Tight left piriformis and glutes."
    assert [revision["number"] for revision in past["session_note"]["revisions"]] == [1]
    (check,) = past["pre_visit_checks"]
    assert (check["answered_by"], check["stopped_the_session"]) == ("you", False)
    assert (today["status"], monday["status"], monday["therapist"]) == ("Booked", "Booked", "Maya Patel")
    kinds = {(message["kind"], message["status"]) for message in export["messages"]}
    assert {("Confirmation", "sent"), ("Reminder", "queued")} <= kinds
    assert set(export["messages"][0]) == {"kind", "due_at", "status", "sent_at"}  # never the text


def test_the_export_api_returns_only_the_callers_data(history, therapist, service):
    other = client_with_history(
        therapist, service, later_by=timedelta(hours=2), email="alex@example.com", first_name="Alex"
    )
    api = ApiClient()
    api.browser.force_login(history.client)

    response = api.get("/me/export")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    export = response.json()
    assert export["account"]["email"] == "sam@example.com"
    assert len(export["appointments"]) == 3
    assert other.client.email not in response.content.decode()
    assert "Alex" not in response.content.decode()


def test_the_export_needs_a_login(history):
    assert ApiClient().get("/me/export").status_code == 401
    response = Client().get("/accounts/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
