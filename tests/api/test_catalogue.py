from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ServiceFactory, TherapistFactory

API_PATHS = {
    "/api/v1/auth/csrf",
    "/api/v1/auth/signup",
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/services",
    "/api/v1/therapists",
    "/api/v1/availability",
    "/api/v1/appointments",
    "/api/v1/appointments/{appointment_id}",
    "/api/v1/appointments/{appointment_id}/cancel",
    "/api/v1/appointments/{appointment_id}/reschedule",
}


def test_services_lists_the_active_ones_with_prices_as_decimal_strings(anonymous_api, service):
    ServiceFactory(name="Retired treatment", is_active=False)
    ServiceFactory(name="Hot stones", duration_minutes=90, price=Decimal("90.5"))

    response = anonymous_api.get("/services")

    assert response.status_code == 200
    by_name = {entry["name"]: entry for entry in response.json()}
    assert set(by_name) == {"Deep tissue", "Hot stones"}
    assert by_name["Deep tissue"] == {
        "id": service.pk,
        "name": "Deep tissue",
        "description": service.description,
        "duration_minutes": 60,
        "price": "65.00",
    }
    assert by_name["Hot stones"]["price"] == "90.50"


def test_therapists_lists_the_active_ones_with_the_services_they_offer(anonymous_api, service, therapist):
    retired_service = ServiceFactory(is_active=False)
    therapist.services.add(retired_service)
    TherapistFactory(is_active=False, services=[service])

    response = anonymous_api.get("/therapists")

    assert response.status_code == 200
    assert response.json() == [
        {"id": therapist.pk, "name": "Maya Patel", "bio": therapist.bio, "service_ids": [service.pk]}
    ]


def test_therapists_takes_as_many_queries_for_five_therapists_as_for_one(anonymous_api, service, therapist):
    with CaptureQueriesContext(connection) as one:
        anonymous_api.get("/therapists")
    for _ in range(4):
        TherapistFactory(services=[service, ServiceFactory()])

    with CaptureQueriesContext(connection) as five:
        response = anonymous_api.get("/therapists")

    assert len(response.json()) == 5
    assert len(five) == len(one)


def test_openapi_schema_lists_every_path(anonymous_api):
    response = anonymous_api.browser.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert API_PATHS <= set(response.json()["paths"])  # other apps add their own paths


def test_openapi_schema_documents_prices_and_times_as_strings(anonymous_api):
    schemas = anonymous_api.browser.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert schemas["ServiceOut"]["properties"]["price"]["type"] == "string"
    assert schemas["SlotOut"]["properties"]["start"]["format"] == "date-time"


def test_an_unknown_path_is_a_json_404(anonymous_api):
    for path in ("/nothing-here", "/services/", "/"):
        response = anonymous_api.get(path)

        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_a_wrong_method_is_a_json_405_naming_the_allowed_one(anonymous_api):
    response = anonymous_api.post("/services")

    assert response.status_code == 405
    assert response.json()["detail"] == "Method POST is not allowed here; use GET."
    assert response["Allow"] == "GET"


def test_an_unexpected_failure_is_a_json_500(anonymous_api, monkeypatch):
    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr("bookings.api.services_bookable", broken)
    anonymous_api.browser.raise_request_exception = False  # the test client re-raises by default

    response = anonymous_api.get("/services")

    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side. Please try again."}
