"""Bad input to the HTML pages is a form error or a 400 page, never a 500, and stores nothing."""

from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.utils.html import strip_tags

from accounts.models import User
from bookings.models import Appointment, Closure, TimeOff
from intake.models import Intake
from tests.factories import AppointmentFactory, UserFactory
from tests.workspace.data import intake_form_data, note_data
from workspace.models import SessionNote

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
UNSTORABLE_MESSAGE = "This contains characters we can't store. Please remove them and try again."
WINDOW_MESSAGE = "Choose a date between 4 December 2021 and 4 December 2028."
EDGE_DATES = ["9999-12-31", "0001-01-01"]
SIGNUP = {
    "first_name": "Ada",
    "last_name": "Byron",
    "email": "ada@example.com",
    "password": "a-long-unusual-passphrase",
    "password_again": "a-long-unusual-passphrase",
}


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def browser(clinic):
    # A 500 must show as a status here, as a visitor would see it, not as a raised exception.
    return Client(raise_request_exception=False)


def text(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


# Request bodies


def test_a_10_mb_form_post_to_a_page_answers_400(browser):
    body = b"username=a%40example.com&password=" + b"x" * (10 * 1024 * 1024)

    response = browser.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400


def test_multipart_without_a_boundary_to_a_page_answers_400(browser):
    response = browser.post("/accounts/signup/", b"first_name=Ada", content_type="multipart/form-data")

    assert response.status_code == 400
    assert not User.objects.exists()


# Text the database cannot store


@pytest.mark.parametrize("field", ["pain_location", "health_history", "medications", "goals"])
def test_a_nul_byte_in_the_intake_is_a_field_error_and_stores_nothing(browser, field):
    client = UserFactory(email="alex@example.com")
    browser.force_login(client)

    response = browser.post("/intake/", intake_form_data() | {field: "left\x00leg"})

    assert response.status_code == 200
    assert UNSTORABLE_MESSAGE in text(response)
    assert "Null characters are not allowed" not in text(response)
    assert not Intake.objects.filter(client=client).exists()


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone"])
def test_a_nul_byte_in_sign_up_is_a_field_error_and_creates_no_account(browser, field):
    response = browser.post("/accounts/signup/", SIGNUP | {field: "ada\x00@example.com"})

    assert response.status_code == 200
    assert UNSTORABLE_MESSAGE in text(response)
    assert not User.objects.exists()


def test_a_nul_byte_in_the_login_email_is_a_form_error(browser, client_user):
    response = browser.post("/accounts/login/", {"username": "client@example.com\x00", "password": "x"})

    assert response.status_code == 200
    assert UNSTORABLE_MESSAGE in text(response)
    assert "_auth_user_id" not in browser.session


def test_a_nul_byte_in_a_session_note_is_a_field_error_and_saves_nothing(
    browser, therapist, service, client_user
):
    yesterday = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=datetime(2026, 12, 3, 10, tzinfo=UTC)
    )
    browser.force_login(therapist.user)

    response = browser.post(f"/staff/appointments/{yesterday.pk}/", note_data(findings="tight\x00piriformis"))

    assert response.status_code == 200
    assert UNSTORABLE_MESSAGE in text(response)
    assert not SessionNote.objects.exists()


# Dates at the edges of the calendar


@pytest.mark.parametrize("start", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:00:00+14:00"])
def test_a_booking_page_for_a_date_far_in_the_future_or_past_is_refused_not_a_crash(
    browser, client_user, service, therapist, start
):
    browser.force_login(client_user)
    query = {"service": service.pk, "therapist": therapist.pk, "start": start}

    shown = browser.get("/book/confirm/", query)
    posted = browser.post(f"/book/confirm/?service={service.pk}", query)

    assert shown.status_code == posted.status_code == 200
    assert "That time isn't available" in text(shown)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", EDGE_DATES)
def test_the_free_times_for_a_date_far_in_the_future_or_past_are_refused_not_a_crash(browser, service, day):
    response = browser.get("/book/", {"service": service.pk, "date": day})

    assert response.status_code == 200
    assert "Please choose a date between today and" in text(response)


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize("page", ["/staff/schedule/", "/staff/schedule/week/"])
def test_the_desk_schedule_for_a_date_far_in_the_future_or_past_is_refused_not_a_crash(
    browser, front_desk_user, page, day
):
    browser.force_login(front_desk_user)

    response = browser.get(page, {"date": day})

    assert response.status_code == 200
    assert WINDOW_MESSAGE in text(response)


@pytest.mark.parametrize("day", EDGE_DATES)
def test_the_report_for_a_date_far_in_the_future_or_past_is_refused_not_a_crash(
    browser, front_desk_user, day
):
    browser.force_login(front_desk_user)

    response = browser.get("/staff/report/", {"first": day, "last": day})

    assert response.status_code == 200
    assert WINDOW_MESSAGE in text(response)


@pytest.mark.parametrize("day", EDGE_DATES)
def test_time_off_or_a_closure_far_in_the_future_or_past_is_refused_and_stores_nothing(
    browser, front_desk_user, therapist, day
):
    browser.force_login(front_desk_user)

    time_off = browser.post(
        f"/staff/therapists/{therapist.pk}/time-off/",
        {"start_date": "2026-12-07", "end_date": day, "reason": "Holiday"},
    )
    closure = browser.post("/staff/closures/", {"date": day, "reason": "Bank holiday"})

    assert time_off.status_code == closure.status_code == 200
    assert WINDOW_MESSAGE in text(time_off)
    assert WINDOW_MESSAGE in text(closure)
    assert not TimeOff.objects.exists()
    assert not Closure.objects.exists()


# The database going away


def test_a_database_error_during_a_page_answers_503_with_retry_after(browser, monkeypatch):
    """Simulated: the home page's selector raises what Django raises when the connection drops."""

    def connection_lost():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("bookings.views.services_bookable", connection_lost)

    response = browser.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in text(response)
