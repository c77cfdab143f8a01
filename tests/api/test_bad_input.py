"""Bad input to the JSON API answers 4xx with `detail`, never 500, and stores nothing."""

import json
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from bookings.models import Appointment
from intake.models import Intake
from tests.factories import AppointmentFactory, clear_answers, nothing_new

from .conftest import ApiClient

FAR_FUTURE = "9999-12-31T23:30:00+00:00"
FAR_PAST = "0001-01-01T00:00:00+14:00"
UNSTORABLE = ["nul\x00byte", "lone\ud800surrogate"]
UNSTORABLE_IDS = ["nul", "lone-surrogate"]
SIGNUP = {
    "email": "new.client@example.com",
    "password": "a-long-unusual-passphrase",
    "first_name": "Ada",
    "last_name": "Byron",
    "phone": "07700 900456",
}
INTAKE_TEXT_FIELDS = [
    "pain_location",
    "health_history",
    "medications",
    "positioning",
    "areas_to_avoid",
    "goals",
]


def raw_post(api: ApiClient, path: str, body: bytes | str, content_type: str = "application/json"):
    headers = {"X-CSRFToken": api.browser.cookies["csrftoken"].value}
    return api.browser.post(f"/api/v1{path}", body, content_type=content_type, headers=headers)


def field_errors(response) -> dict[str, list[str]]:
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["detail"]
    return body["errors"]


# Request bodies


def test_a_10_mb_json_body_is_refused_with_413(anonymous_api):
    body = json.dumps({**SIGNUP, "first_name": "A" * (10 * 1024 * 1024)})

    response = raw_post(anonymous_api, "/auth/signup", body)

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_a_10_mb_body_without_a_csrf_header_is_refused_with_413_too(anonymous_api):
    # Django's CSRF check reads a form body to look for the token; that read is refused too.
    response = anonymous_api.browser.post(
        "/api/v1/auth/login",
        b"a=" + b"b" * (10 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.json()["detail"]


def test_a_10_mb_booking_is_refused_with_413_and_books_nothing(client_api, service, therapist):
    booking = {"service": service.pk, "therapist": therapist.pk, "start": "2026-12-07T10:00:00+00:00"}
    body = json.dumps({**booking, "red_flags": nothing_new(), "padding": "x" * (10 * 1024 * 1024)})

    response = raw_post(client_api, "/appointments", body)

    assert response.status_code == 413
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("path", ["/auth/login", "/auth/signup"])
@pytest.mark.parametrize("with_csrf_header", [True, False], ids=["csrf-header", "no-csrf-header"])
def test_multipart_without_a_boundary_is_refused_with_400(anonymous_api, path, with_csrf_header):
    headers = {"X-CSRFToken": anonymous_api.browser.cookies["csrftoken"].value} if with_csrf_header else {}

    response = anonymous_api.browser.post(
        f"/api/v1{path}", b"email=a", content_type="multipart/form-data", headers=headers
    )

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not User.objects.exists()


def test_a_body_that_is_not_utf_8_is_refused_with_400(client_api):
    response = raw_post(client_api, "/intake", b'{"answers": {}, "goals": "\xff\xfe"}')

    assert response.status_code == 400
    assert response.json()["detail"]


# Text the database cannot store


@pytest.mark.parametrize("text", UNSTORABLE, ids=UNSTORABLE_IDS)
@pytest.mark.parametrize("field", INTAKE_TEXT_FIELDS)
def test_a_nul_byte_or_lone_surrogate_in_the_intake_is_a_field_error_and_stores_nothing(
    client_api, client_user, field, text
):
    cache.clear()  # the intake's rate limit counts every example
    before = Intake.objects.count()

    response = client_api.post("/intake", {"answers": clear_answers(), "consent": True, field: text})

    assert response.status_code == 422
    assert field_errors(response) == {
        field: ["This contains characters we can't store. Please remove them and try again."]
    }
    assert Intake.objects.count() == before


def test_a_lone_surrogate_escaped_in_raw_json_is_a_field_error(client_api, client_user):
    before = Intake.objects.count()
    # The escape exactly as a client sends it, not as the test client would encode a str.
    answers = json.dumps(clear_answers())
    body = '{"answers": ' + answers + ', "consent": true, "goals": "x\\ud800y"}'

    response = raw_post(client_api, "/intake", body)

    assert response.status_code == 422
    assert list(field_errors(response)) == ["goals"]
    assert Intake.objects.count() == before


@pytest.mark.parametrize("text", UNSTORABLE, ids=UNSTORABLE_IDS)
@pytest.mark.parametrize("field", ["email", "password", "first_name", "last_name", "phone"])
def test_a_nul_byte_or_lone_surrogate_in_sign_up_is_a_field_error_and_creates_no_account(
    anonymous_api, field, text
):
    response = anonymous_api.post("/auth/signup", {**SIGNUP, field: text})

    assert response.status_code == 422
    assert list(field_errors(response)) == [field]
    assert "can't store" in response.json()["detail"]
    assert not User.objects.exists()


@pytest.mark.parametrize("text", UNSTORABLE, ids=UNSTORABLE_IDS)
@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_or_lone_surrogate_in_the_login_is_a_field_error(anonymous_api, client_user, field, text):
    credentials = {"email": "client@example.com", "password": "whatever", field: text}

    response = anonymous_api.post("/auth/login", credentials)

    assert response.status_code == 422
    assert list(field_errors(response)) == [field]
    assert anonymous_api.get("/appointments").status_code == 401


@pytest.mark.parametrize(
    ("field", "length"),
    [("first_name", 151), ("last_name", 151), ("phone", 33), ("email", 255)],
)
def test_an_over_long_sign_up_field_is_a_field_error_and_creates_no_account(anonymous_api, field, length):
    value = "a" * (length - len("@example.com")) + "@example.com" if field == "email" else "7" * length

    response = anonymous_api.post("/auth/signup", {**SIGNUP, field: value})

    assert response.status_code == 422
    assert list(field_errors(response)) == [field]
    assert not User.objects.exists()


def test_sign_up_fields_at_their_longest_are_accepted(anonymous_api):
    longest = {"first_name": "A" * 150, "last_name": "B" * 150, "phone": "7" * 32}

    response = anonymous_api.post("/auth/signup", {**SIGNUP, **longest})

    assert response.status_code == 201
    assert User.objects.get(email=SIGNUP["email"]).phone == "7" * 32


# Any text at all, every code point; hypothesis seldom picks NUL or a lone surrogate by itself,
# so most examples get one of those put somewhere in the middle.
_SOME_TEXT = st.text(st.characters(exclude_categories=()), max_size=120)
ANY_TEXT = st.builds(
    lambda before, hazard, after: before + hazard + after,
    _SOME_TEXT,
    st.sampled_from(["", "\x00", "\ud800", "\udfff"]),
    _SOME_TEXT,
)
PROPERTY_SETTINGS = settings(
    max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@PROPERTY_SETTINGS
@given(field=st.sampled_from(INTAKE_TEXT_FIELDS), text=ANY_TEXT)
def test_any_text_in_an_intake_field_is_stored_as_sent_or_refused_as_that_fields_error(
    client_api, client_user, field, text
):
    cache.clear()  # the intake's rate limit counts every example
    before = Intake.objects.count()

    response = client_api.post("/intake", {"answers": clear_answers(), "consent": True, field: text})

    if response.status_code == 201:
        assert getattr(Intake.objects.latest("pk"), field) == text
    else:
        assert response.status_code == 422
        assert list(field_errors(response)) == [field]
        assert Intake.objects.count() == before


@PROPERTY_SETTINGS
@given(field=st.sampled_from(["first_name", "last_name", "phone"]), text=ANY_TEXT)
def test_any_text_in_a_sign_up_field_is_stored_or_refused_as_that_fields_error(anonymous_api, field, text):
    cache.clear()  # sign-ups are rate-limited per network
    User.objects.filter(email=SIGNUP["email"]).delete()

    response = anonymous_api.post("/auth/signup", {**SIGNUP, field: text})

    if response.status_code == 201:
        assert getattr(User.objects.get(email=SIGNUP["email"]), field) == text.strip()
    else:
        assert response.status_code in (400, 422)
        assert list(field_errors(response)) == [field]
        assert not User.objects.filter(email=SIGNUP["email"]).exists()
    anonymous_api.post("/auth/logout")


# Dates at the edges of the calendar


@pytest.mark.parametrize("start", [FAR_FUTURE, FAR_PAST], ids=["year-9999", "year-1"])
def test_a_booking_far_in_the_future_or_past_is_refused_not_a_crash(client_api, service, therapist, start):
    booking = {"service": service.pk, "therapist": therapist.pk, "start": start, "red_flags": nothing_new()}

    response = client_api.post("/appointments", booking)

    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == ["start"]
    assert errors["start"][0].startswith("Choose a date between ")
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("start", [FAR_FUTURE, FAR_PAST], ids=["year-9999", "year-1"])
def test_a_move_far_in_the_future_or_past_is_refused_and_the_appointment_stays(
    client_api, client_user, service, therapist, start
):
    appointment = AppointmentFactory(
        client=client_user, service=service, therapist=therapist, start=datetime(2026, 12, 7, 10, tzinfo=UTC)
    )

    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": start, "red_flags": nothing_new()}
    )

    assert response.status_code == 422
    assert list(field_errors(response)) == ["start"]
    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 12, 7, 10, tzinfo=UTC)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("bound", ["start", "end"])
def test_availability_far_in_the_future_or_past_is_refused_not_a_crash(anonymous_api, service, day, bound):
    query = {"service": service.pk, "start": "2026-12-07", "end": "2026-12-08", bound: day}

    response = anonymous_api.get("/availability", query)

    assert response.status_code == 422
    assert bound in field_errors(response)


def test_a_date_near_today_is_still_accepted(anonymous_api, service, therapist):
    response = anonymous_api.get(
        "/availability", {"service": service.pk, "start": "2026-12-07", "end": "2026-12-07"}
    )

    assert response.status_code == 200
    assert response.json()["slots"]


# The database going away


def test_a_database_error_mid_request_answers_503_with_retry_after(anonymous_api, monkeypatch):
    """Simulated: the catalogue's selector raises what Django raises when the connection drops."""

    def connection_lost():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("bookings.api.services_bookable", connection_lost)

    response = anonymous_api.get("/services")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "The service is briefly unavailable. Please try again in a minute."}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_answers_503_with_retry_after(clinic, service):
    """Real: the server ends this process's connection (pg_terminate_backend) between two requests."""

    browser = Client()
    assert browser.get("/api/v1/services").status_code == 200
    killer = connection.copy()
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])

        api_response = browser.get("/api/v1/services")
        page_response = browser.get("/")
    finally:
        killer.close()
        connection.close()  # the next use reconnects, as the next request would in production

    assert api_response.status_code == 503
    assert api_response["Retry-After"] == "30"
    assert api_response.json()["detail"]
    # The test client, unlike a server, does not reconnect between requests: the page meets it too.
    assert page_response.status_code == 503
    assert page_response["Retry-After"] == "30"
    assert b"briefly unavailable" in page_response.content
