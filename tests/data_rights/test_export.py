import base64
import json
from datetime import timedelta
from pathlib import Path

from django.test import Client

from tests.api.conftest import ApiClient
from tests.documents.conftest import pdf_text

from .conftest import GOALS, LETTER_SUMMARY, PLAN_SUMMARY, REFERRAL_NOTES, client_with_history, course_of_care


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


def test_the_export_includes_the_clients_course_of_care_and_documents(history, care, signed_in):
    export = json.loads(signed_in.get("/accounts/export/").content)

    (plan,) = export["treatment_plans"]
    assert plan | {"series": None} == {
        "service": "Deep tissue",
        "therapist": "Maya Patel",
        "written_at": "2026-11-25T09:00:00+00:00",
        "goals": GOALS,
        "summary": PLAN_SUMMARY,
        "sessions_planned": 6,
        "frequency": "Weekly",
        "reassess_every_sessions": 3,
        "status": "Active",
        "ended_at": None,
        "series": None,
    }
    (series,) = plan["series"]
    assert series["booked_by"] == "you"
    assert [(session["start"], session["status"]) for session in series["sessions"]] == [
        ("2026-12-03T10:00:00+00:00", "Completed"),
        ("2026-12-04T14:00:00+00:00", "Booked"),
        ("2026-12-07T10:00:00+00:00", "Booked"),
    ]
    assert export["series_without_a_plan"] == []
    assert export["packages"] == [
        {
            "package": "Five deep tissue",
            "service": "Deep tissue",
            "bought_at": "2026-12-04T09:00:00+00:00",
            "amount_paid": "300.00",
            "payment_method": "Card",
            "sessions": 5,
            "sessions_used": 2,  # today's and Monday's, booked ahead
            "sessions_booked_ahead": 2,
            "sessions_remaining": 3,
            "expires_on": "2027-03-04",
            "expired": False,
        }
    ]


def test_the_export_carries_the_referral_with_its_scan_and_the_letter_with_its_pdf(history, care, signed_in):
    export = json.loads(signed_in.get("/accounts/export/").content)

    (referral,) = export["referrals"]
    assert referral | {"scan": None} == {
        "doctor": "Dr Amara Lee",
        "practice": "Riverside Surgery",
        "written_on": "2026-11-20",
        "sessions_prescribed": 6,
        "period_weeks": 8,
        "valid_until": None,
        "ends_on": "2027-01-15",
        "what_it_says": REFERRAL_NOTES,
        "recorded_at": "2026-11-26T09:00:00+00:00",
        "recorded_by": "the clinic",
        "scan": None,
    }
    scan = referral["scan"]
    assert (scan["file_name"], scan["content_type"]) == (f"referral-{care.referral.pk}.png", "image/png")
    assert base64.b64decode(scan["base64"]) == care.scan_bytes
    assert scan["size_bytes"] == len(care.scan_bytes)

    (letter,) = export["progress_letters"]
    assert (letter["issued_at"], letter["addressed_to"], letter["summary"]) == (
        "2026-12-04T09:00:00+00:00",
        "Dr Amara Lee, Riverside Surgery",
        LETTER_SUMMARY,
    )
    assert letter["treatment_plan"] == {"service": "Deep tissue", "written_at": "2026-11-25T09:00:00+00:00"}
    pdf = base64.b64decode(letter["pdf"]["base64"])
    assert pdf == bytes(care.letter.pdf)
    assert "Progress report: Sam Jones" in pdf_text(pdf)


def test_the_export_lists_receipts_as_issued_with_their_void_status(history, care, signed_in):
    export = json.loads(signed_in.get("/accounts/export/").content)

    summary = [
        (each["number"], each["for"], each["amount"], each["void"], each["replaced_by"], each["replaces"])
        for each in export["receipts"]
    ]
    assert summary == [
        ("R-000001", "a session", "60.00", True, "R-000002", None),
        ("R-000002", "a session", "65.00", False, None, "R-000001"),
        ("R-000003", "a package", "300.00", False, None, None),
    ]
    correction = export["receipts"][1]
    assert (correction["payment_method"], correction["correction_reason"]) == ("Card", "Wrong amount")
    assert ["Client", "Sam Jones"] in correction["as_issued"]["rows"]
    assert correction["as_issued"] == care.correction.content


def test_the_export_never_carries_another_clients_care_or_documents(
    history, care, therapist, service, signed_in
):
    other = client_with_history(
        therapist,
        service,
        later_by=timedelta(hours=2),
        email="alex@example.com",
        first_name="Alex",
        last_name="Brown",
    )
    others = course_of_care(
        other, therapist=therapist, service=service, desk=care.purchase.sold_by, scan_width=16
    )

    body = signed_in.get("/accounts/export/").content.decode()

    export = json.loads(body)
    assert len(export["treatment_plans"]) == len(export["referrals"]) == len(export["progress_letters"]) == 1
    assert len(export["packages"]) == 1
    assert [each["number"] for each in export["receipts"]] == ["R-000001", "R-000002", "R-000003"]
    (series,) = export["treatment_plans"][0]["series"]
    assert len(series["sessions"]) == 3
    assert base64.b64encode(others.scan_bytes).decode() not in body
    assert base64.b64encode(bytes(others.letter.pdf)).decode() not in body
    assert "Alex" not in body
    assert "Brown" not in body


def test_a_scan_missing_from_the_storage_is_named_and_the_rest_still_exports(care, signed_in, settings):
    (Path(settings.PRIVATE_MEDIA_ROOT) / care.referral.scan.name).unlink()

    response = signed_in.get("/accounts/export/")

    assert response.status_code == 200
    (referral,) = response.json()["referrals"]
    assert referral["scan"]["note"].startswith(
        "The clinic has this scan on record but could not read its file"
    )
    assert "base64" not in referral["scan"]
    assert len(response.json()["progress_letters"]) == 1
