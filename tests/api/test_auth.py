from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

SIGNUP = {
    "email": "new.client@example.com",
    "password": "a-long-unusual-passphrase",
    "first_name": "Ada",
    "last_name": "Byron",
    "phone": "07700 900456",
}


def test_csrf_endpoint_sets_the_csrftoken_cookie():
    browser = Client(enforce_csrf_checks=True)
    response = browser.get("/api/v1/auth/csrf")

    assert response.status_code == 200
    assert browser.cookies["csrftoken"].value
    assert response.json()["csrf_token"]


def test_signing_up_creates_the_account_and_logs_it_in(anonymous_api):
    response = anonymous_api.post("/auth/signup", SIGNUP)

    assert response.status_code == 201
    user = User.objects.get(email="new.client@example.com")
    assert response.json() == {
        "id": user.pk,
        "email": "new.client@example.com",
        "first_name": "Ada",
        "last_name": "Byron",
        "phone": "07700 900456",
    }
    assert anonymous_api.get("/appointments").status_code == 200


def test_signing_up_with_an_existing_email_answers_check_your_email_and_emails_the_owner(anonymous_api):
    UserFactory(email="new.client@example.com")

    response = anonymous_api.post("/auth/signup", {**SIGNUP, "email": "New.Client@example.com"})

    assert response.status_code == 202
    assert response.json() == {
        "detail": "Check your email to continue: we've sent a message to that address."
    }
    assert User.objects.filter(email__iexact="new.client@example.com").count() == 1
    assert anonymous_api.get("/appointments").status_code == 401
    (notice,) = mail.outbox
    assert notice.to == ["new.client@example.com"]
    assert "You already have an account" in notice.body


def test_signing_up_with_a_weak_password_or_blank_names_lists_each_problem(anonymous_api):
    response = anonymous_api.post(
        "/auth/signup", {**SIGNUP, "password": "password", "first_name": " ", "last_name": ""}
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"password", "first_name", "last_name"}
    assert not User.objects.filter(email="new.client@example.com").exists()
    assert anonymous_api.get("/appointments").status_code == 401


def test_signing_up_with_something_that_is_not_an_email_address_names_the_field(anonymous_api):
    response = anonymous_api.post("/auth/signup", {**SIGNUP, "email": "not-an-address"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["Enter a valid email address."]}
    assert not User.objects.exists()


def test_signing_up_without_the_csrf_header_is_forbidden(anonymous_api):
    response = anonymous_api.post("/auth/signup", SIGNUP, csrf=False)

    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF check Failed"
    assert not User.objects.exists()


def test_logging_in_returns_the_user_and_starts_a_session(anonymous_api, client_user):
    response = anonymous_api.post("/auth/login", {"email": "client@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["id"] == client_user.pk
    assert response.json()["email"] == "client@example.com"
    assert anonymous_api.get("/appointments").status_code == 200


def test_logging_in_ignores_the_case_of_the_email_address(anonymous_api, client_user):
    response = anonymous_api.post("/auth/login", {"email": "  Client@Example.COM", "password": PASSWORD})

    assert response.status_code == 200


def test_logging_in_with_the_wrong_password_is_unauthorised(anonymous_api, client_user):
    response = anonymous_api.post("/auth/login", {"email": "client@example.com", "password": "wrong"})

    assert response.status_code == 401
    assert response.json()["detail"]
    assert anonymous_api.get("/appointments").status_code == 401


def test_logging_in_without_the_csrf_header_is_forbidden(anonymous_api, client_user):
    response = anonymous_api.post(
        "/auth/login", {"email": "client@example.com", "password": PASSWORD}, csrf=False
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_logging_in_with_a_missing_field_names_it(anonymous_api):
    response = anonymous_api.post("/auth/login", {"email": "client@example.com"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"password": ["Field required"]}


def test_logging_out_ends_the_session(client_api):
    response = client_api.post("/auth/logout")

    assert response.status_code == 204
    assert client_api.get("/appointments").status_code == 401


def test_logging_out_without_the_csrf_header_is_forbidden_and_keeps_the_session(client_api):
    response = client_api.post("/auth/logout", csrf=False)

    assert response.status_code == 403
    assert response.json()["detail"]
    assert client_api.get("/appointments").status_code == 200


def test_me_answers_who_is_signed_in_and_401_to_a_visitor(anonymous_api, client_user):
    assert anonymous_api.get("/auth/me").status_code == 401

    anonymous_api.post("/auth/login", {"email": "client@example.com", "password": PASSWORD})
    response = anonymous_api.get("/auth/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": client_user.pk,
        "email": "client@example.com",
        "first_name": "Sam",
        "last_name": "Jones",
        "phone": client_user.phone,
    }
