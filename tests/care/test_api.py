from datetime import timedelta
from decimal import Decimal

import pytest

from bookings.models import Appointment
from care.models import Series
from care.services import package_sell, series_book
from privacy.models import AccessRecord
from tests.api.conftest import ApiClient
from tests.factories import AppointmentFactory, PackageFactory, nothing_new, submit_intake

from .conftest import MONDAY_10


def iso(moment):
    return moment.isoformat()


def weekly(first, count):
    return [first + timedelta(weeks=k) for k in range(count)]


@pytest.fixture
def api_as(clinic):
    def logged_in(user):
        api = ApiClient()
        api.browser.force_login(user)
        return api

    return logged_in


def test_a_client_reads_their_plan_with_its_progress(api_as, plan):
    listed = api_as(plan.client).get("/plans")

    assert listed.status_code == 200
    [body] = listed.json()
    assert body["goals"] == ["Sit through a work meeting", "Walk the dog for 30 minutes"]
    assert body["progress"] == {
        "sessions_planned": 6,
        "sessions_done": 0,
        "sessions_booked_ahead": 0,
        "sessions_to_book": 6,
        "next_session": None,
        "is_finished": False,
    }
    detail = api_as(plan.client).get(f"/plans/{plan.pk}").json()
    assert detail["sessions"] == [] and detail["frequency"] == "weekly"


def test_staff_read_plans_as_privacy_allows_and_reads_of_the_goals_are_on_record(api_as, world, plan):
    desk = api_as(world.users["front_desk"]).get(f"/plans/{plan.pk}").json()
    own = api_as(world.therapist.user).get(f"/plans/{plan.pk}").json()

    assert (desk["goals"], desk["summary"]) == (None, None)
    assert own["goals"] and own["summary"]
    assert api_as(world.other_therapist.user).get(f"/plans/{plan.pk}").status_code == 404
    assert list(AccessRecord.objects.values_list("viewer", "client", "what")) == [
        (world.therapist.user.pk, plan.client.pk, "treatment_plan")
    ]


def test_the_preview_lists_each_sessions_time_or_that_weeks_alternatives(api_as, plan, therapist, service):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=1))

    response = api_as(plan.client).post(
        "/series/preview", {"plan": plan.pk, "first_start": iso(MONDAY_10), "sessions": 3}
    )

    assert response.status_code == 200
    sessions = response.json()["sessions"]
    assert [(s["session"], s["free"]) for s in sessions] == [(1, True), (2, False), (3, True)]
    assert sessions[0]["start"] == "2026-12-07T10:00:00+00:00" and sessions[0]["alternatives"] == []
    assert sessions[1]["reason"] == "Maya Patel isn't free then."
    assert "2026-12-14T11:15:00+00:00" in [a["start"] for a in sessions[1]["alternatives"]]
    assert not Series.objects.exists()


def test_booking_a_series_books_all_its_sessions(api_as, plan):
    response = api_as(plan.client).post(
        "/series",
        {"plan": plan.pk, "starts": [iso(s) for s in weekly(MONDAY_10, 3)], "red_flags": nothing_new()},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["plan"] == plan.pk
    assert [a["start"] for a in body["appointments"]] == [
        "2026-12-07T10:00:00+00:00",
        "2026-12-14T10:00:00+00:00",
        "2026-12-21T10:00:00+00:00",
    ]
    again = api_as(plan.client).get(f"/series/{body['id']}")
    assert again.json() == body


def test_a_taken_session_refuses_the_whole_series_with_409_naming_the_session_and_its_weeks_times(
    api_as, plan, therapist, service
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=1))

    response = api_as(plan.client).post(
        "/series",
        {"plan": plan.pk, "starts": [iso(s) for s in weekly(MONDAY_10, 3)], "red_flags": nothing_new()},
    )

    assert response.status_code == 409
    body = response.json()
    assert body["session"] == 2
    assert body["start"] == "2026-12-14T10:00:00+00:00"
    assert body["detail"].startswith("Session 2: Sorry, that time is no longer available")
    assert body["alternatives"] and all(a["start"].startswith("2026-12-1") for a in body["alternatives"])
    assert not Appointment.objects.filter(client=plan.client).exists()


def test_a_red_flagged_client_cannot_book_a_series_through_the_api(api_as, plan):
    submit_intake(plan.client, saddle_numbness=True)

    response = api_as(plan.client).post(
        "/series", {"plan": plan.pk, "starts": [iso(MONDAY_10)], "red_flags": nothing_new()}
    )

    assert response.status_code == 403
    assert response.json()["outcome"] == "EMERGENCY"
    assert not Appointment.objects.filter(client=plan.client, status="booked").exists()


def test_a_series_without_the_recheck_or_for_someone_elses_plan_is_a_422(api_as, plan, world):
    missing = api_as(plan.client).post("/series", {"plan": plan.pk, "starts": [iso(MONDAY_10)]})
    others = api_as(world.users["front_desk"]).post(
        "/series", {"plan": plan.pk, "starts": [iso(MONDAY_10)], "red_flags": nothing_new()}
    )

    assert missing.status_code == 422 and "red_flags" in missing.json()["errors"]
    assert others.status_code == 422 and "plan" in others.json()["errors"]


def test_cancelling_a_series_through_the_api_cancels_what_is_still_to_come(api_as, plan):
    series = series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=weekly(MONDAY_10, 2),
        plan=plan,
        booked_by=plan.client,
    )

    response = api_as(plan.client).post(f"/series/{series.pk}/cancel")

    assert response.status_code == 200
    assert len(response.json()["cancelled"]) == 2 and response.json()["kept"] == []
    assert {a["status"] for a in response.json()["series"]["appointments"]} == {"cancelled"}


def test_my_packages_say_how_many_sessions_remain(api_as, plan, front_desk_user):
    package_sell(
        client=plan.client,
        package=PackageFactory(service=plan.service, name="Five deep tissue", sessions=5),
        payment_method="card",
        amount_paid=Decimal("300"),
        by=front_desk_user,
    )
    AppointmentFactory(client=plan.client, therapist=plan.therapist, service=plan.service, start=MONDAY_10)

    [balance] = api_as(plan.client).get("/packages/mine").json()

    assert (balance["package"], balance["sessions"], balance["used"], balance["remaining"]) == (
        "Five deep tissue",
        5,
        1,
        4,
    )
    assert balance["expires_on"] == "2027-03-04" and balance["expired"] is False


def test_the_openapi_schema_describes_plans_series_and_packages(api_as, client_user):
    paths = api_as(client_user).get("/openapi.json").json()["paths"]

    assert {
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}",
        "/api/v1/series/preview",
        "/api/v1/series",
        "/api/v1/series/{series_id}",
        "/api/v1/series/{series_id}/cancel",
        "/api/v1/packages/mine",
    } <= set(paths)
