"""Password rules and hashing: Argon2, and rules fit for accounts that hold health data."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from bookings.management.commands.seed_demo import DEMO_PASSWORD
from clinic.settings import PASSWORD_HASHERS as PRODUCTION_HASHERS
from tests.factories import PASSWORD, UserFactory

SPACES = " " * 12


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


def signup(client, password):
    details = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    return client.post(reverse("signup"), {**details, "password": password, "password_again": password})


def test_a_password_of_only_spaces_is_refused(client):
    response = signup(client, SPACES)

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["Your password can’t be only spaces."]
    assert not User.objects.exists()


def test_a_password_of_only_spaces_is_refused_by_the_api(client):
    details = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "password": SPACES}

    response = client.post("/api/v1/auth/signup", details, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["Your password can’t be only spaces."]}


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("brisk-owl", "too short. It must contain at least 10 characters"),
        ("password123", "too common"),
        ("40215937712", "entirely numeric"),
        ("lovelace-ada", "too similar to the"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, password, reason):
    response = signup(client, password)

    assert reason in " ".join(response.context["form"].errors["password"])
    assert not User.objects.exists()


def test_the_password_rules_run_when_a_password_is_reset(client):
    user = UserFactory(email="sam@example.com")
    client.post(reverse("password_reset"), {"email": "sam@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": SPACES, "new_password2": SPACES})

    assert "Your password can’t be only spaces." in response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_rules_run_when_a_password_is_changed(client):
    user = UserFactory(email="sam@example.com")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "brisk-owl", "new_password2": "brisk-owl"},
    )

    assert "too short" in " ".join(response.context["form"].errors["new_password2"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_demo_and_test_passwords_pass_the_rules():
    for email, first, last in [
        ("admin@clinic.example", "Alex", "Admin"),
        ("desk@clinic.example", "Frankie", "Front"),
        ("maya@clinic.example", "Maya", "Patel"),
        ("client@example.com", "Sam", "Jones"),
    ]:
        validate_password(DEMO_PASSWORD, user=User(email=email, first_name=first, last_name=last))
    validate_password(PASSWORD, user=User(email="sam@example.com", first_name="Sam", last_name="Jones"))
    with pytest.raises(ValidationError):
        validate_password(SPACES)


def test_new_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS

    signup(client, "a-long-enough-secret")

    assert User.objects.get().password.startswith("argon2$")


def test_a_pbkdf2_user_logging_in_ends_up_with_an_argon2_hash(client, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = UserFactory(email="sam@example.com")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(reverse("login"), {"username": "sam@example.com", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)
