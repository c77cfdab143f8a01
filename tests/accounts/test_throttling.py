"""The limits of clinic/throttle.py, as a visitor, a client or an attacker meets them."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT, Throttled, _window, client_ip, rate_hit
from tests.factories import PASSWORD, UserFactory, clear_answers, nothing_new

# Three minutes into a quarter hour: a 15-minute window has 12 minutes left, an hour's 57.
THREE_PAST_TEN = datetime(2026, 12, 7, 10, 3, tzinfo=UTC)
LOGIN = "/accounts/login/"
API_LOGIN = "/api/v1/auth/login"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(THREE_PAST_TEN, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def api_log_in(client, email, password):
    return client.post(API_LOGIN, {"email": email, "password": password}, content_type="application/json")


def test_the_sixth_wrong_password_for_an_account_is_refused_with_the_time_to_wait(client):
    UserFactory(email="sam@example.com")
    for _ in range(5):
        assert log_in(client, "sam@example.com", "not-my-password").status_code == 200

    refused = log_in(client, "sam@example.com", "not-my-password")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(12 * 60)
    assert "Too many failed attempts to log in to this account." in refused.text
    assert "Please try again in 12 minutes." in refused.text


def test_after_too_many_wrong_passwords_even_the_right_one_waits_until_the_time_is_up(client, _frozen_time):
    UserFactory(email="sam@example.com")
    for _ in range(5):
        log_in(client, "sam@example.com", "not-my-password")

    assert log_in(client, "sam@example.com", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    _frozen_time.shift(timedelta(minutes=12))
    assert log_in(client, "sam@example.com", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_the_limit_counts_an_account_however_its_address_is_typed(client):
    UserFactory(email="sam@example.com")
    for typed in (
        "sam@example.com",
        "SAM@example.com",
        " Sam@Example.com",
        "sam@EXAMPLE.COM",
        "sAm@example.com",
    ):
        log_in(client, typed, "not-my-password")

    assert log_in(client, "Sam@example.com", PASSWORD).status_code == 429


def test_a_right_password_starts_the_accounts_count_again(client):
    UserFactory(email="sam@example.com")
    for _ in range(4):
        log_in(client, "sam@example.com", "not-my-password")
    assert log_in(client, "sam@example.com", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    for _ in range(4):
        assert log_in(client, "sam@example.com", "not-my-password").status_code == 200
    assert log_in(client, "sam@example.com", PASSWORD).status_code == 302


def test_one_account_locked_leaves_other_accounts_on_the_same_network_alone(client):
    UserFactory(email="sam@example.com")
    UserFactory(email="kim@example.com")
    for _ in range(6):
        log_in(client, "sam@example.com", "not-my-password")

    assert log_in(client, "kim@example.com", PASSWORD).status_code == 302


def test_wrong_passwords_from_one_network_for_many_accounts_are_limited(client):
    UserFactory(email="kim@example.com")
    for n in range(30):
        assert (
            log_in(client, f"guess{n}@example.com", "password-123", REMOTE_ADDR="198.51.100.7").status_code
            == 200
        )

    refused = log_in(client, "kim@example.com", PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429
    assert "Too many failed log-in attempts from your network." in refused.text
    assert log_in(client, "kim@example.com", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_the_api_answers_429_with_retry_after_after_too_many_failed_logins(client):
    UserFactory(email="sam@example.com")
    for _ in range(5):
        assert api_log_in(client, "sam@example.com", "not-my-password").status_code == 401

    refused = api_log_in(client, "sam@example.com", PASSWORD)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(12 * 60)
    assert refused.json() == {
        "detail": "Too many failed attempts to log in to this account. Please try again in 12 minutes."
    }


def test_the_login_page_and_the_api_share_one_count(client):
    UserFactory(email="sam@example.com")
    for _ in range(3):
        log_in(client, "sam@example.com", "not-my-password")
    for _ in range(2):
        api_log_in(client, "sam@example.com", "not-my-password")

    assert api_log_in(client, "sam@example.com", PASSWORD).status_code == 429
    assert log_in(client, "sam@example.com", PASSWORD).status_code == 429


def test_the_admin_login_is_limited_too(client):
    UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin@example.com", "password": "not-my-password"})

    refused = client.post("/admin/login/", {"username": "admin@example.com", "password": PASSWORD})

    assert refused.status_code == 429
    assert "Please try again in 12 minutes." in refused.text


@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_sent_all_at_once_are_not_all_checked(clinic):
    UserFactory(email="sam@example.com")

    def guess(n):
        request = RequestFactory().post(LOGIN, REMOTE_ADDR=f"192.0.2.{n}")
        try:
            return authenticate(request, username="sam@example.com", password=f"guess-{n}")
        except Throttled:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(guess, range(40)))

    assert outcomes.count(None) == 5
    assert outcomes.count("refused") == 35


def test_reset_emails_for_one_address_are_limited(client):
    UserFactory(email="sam@example.com")
    pages = [
        client.post(reverse("password_reset"), {"email": "Sam@example.com"}, follow=True) for _ in range(5)
    ]

    assert len(mail.outbox) == 3
    assert all(page.status_code == 200 and "Check your email" in page.text for page in pages)


def test_reset_emails_to_one_address_leave_other_addresses_alone(client):
    UserFactory(email="sam@example.com")
    UserFactory(email="kim@example.com")
    for _ in range(5):
        client.post(reverse("password_reset"), {"email": "sam@example.com"})

    client.post(reverse("password_reset"), {"email": "kim@example.com"})

    assert [message.to for message in mail.outbox].count(["kim@example.com"]) == 1


def signup_details(n):
    password = "a-long-enough-secret"
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": f"ada{n}@example.com",
        "password": password,
        "password_again": password,
    }


def test_sign_ups_from_one_network_are_limited(client):
    for n in range(10):
        assert client.post(reverse("signup"), signup_details(n)).status_code == 302
        client.post(reverse("logout"))

    refused = client.post(reverse("signup"), signup_details(10))

    assert refused.status_code == 429
    assert "Too many sign-ups from your network. Please try again in 57 minutes." in refused.text
    assert User.objects.count() == 10
    assert client.post(reverse("signup"), signup_details(11), REMOTE_ADDR="198.51.100.8").status_code == 302


def test_sign_ups_that_fail_validation_do_not_count(client):
    for _ in range(12):
        weak = {**signup_details(0), "password": "short", "password_again": "short"}
        assert client.post(reverse("signup"), weak).status_code == 200

    assert client.post(reverse("signup"), signup_details(0)).status_code == 302


def test_the_api_refuses_sign_ups_past_the_limit_with_429(client):
    for n in range(10):
        details = {**signup_details(n)}
        details.pop("password_again")
        client.post("/api/v1/auth/signup", details, content_type="application/json")
        client.post("/api/v1/auth/logout")

    details = signup_details(10)
    details.pop("password_again")
    refused = client.post("/api/v1/auth/signup", details, content_type="application/json")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(57 * 60)
    assert refused.json()["detail"].startswith("Too many sign-ups from your network.")


def test_booking_attempts_are_limited_per_client_on_the_booking_page(client, client_user):
    client.force_login(client_user)
    for _ in range(30):
        assert client.post(reverse("book_confirm"), {}).status_code == 200

    refused = client.post(reverse("book_confirm"), {})

    assert refused.status_code == 429
    assert "Too many booking attempts. Please try again in 57 minutes." in refused.text
    assert client.get(reverse("book_confirm")).status_code == 200


def test_booking_attempts_are_limited_per_client_in_the_api(client, client_user):
    client.force_login(client_user)
    attempt = {
        "service": 999_999,
        "therapist": None,
        "start": "2026-12-08T10:00:00Z",
        "red_flags": nothing_new(),
    }
    for _ in range(30):
        assert (
            client.post("/api/v1/appointments", attempt, content_type="application/json").status_code == 422
        )

    refused = client.post("/api/v1/appointments", attempt, content_type="application/json")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(57 * 60)
    assert refused.json()["detail"] == "Too many booking attempts. Please try again in 57 minutes."


def test_one_clients_booking_attempts_do_not_hold_up_another(client, client_user):
    client.force_login(client_user)
    for _ in range(31):
        client.post(reverse("book_confirm"), {})

    client.force_login(UserFactory())
    assert client.post(reverse("book_confirm"), {}).status_code == 200


def test_intakes_are_limited_per_client_on_the_page_and_in_the_api(client, client_user):
    client.force_login(client_user)
    for _ in range(20):
        assert client.post(reverse("intake_start"), {}).status_code == 200

    assert client.post(reverse("intake_start"), {}).status_code == 429
    intake = {"answers": clear_answers(), "consent": True}
    refused = client.post("/api/v1/intake", intake, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["detail"] == "Too many health questionnaires sent. Please try again in 57 minutes."


def test_limits_lapse_rather_than_fail_when_the_cache_is_down(client, settings):
    UserFactory(email="sam@example.com")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    for _ in range(6):
        assert log_in(client, "sam@example.com", "not-my-password").status_code == 200
    assert log_in(client, "sam@example.com", PASSWORD).status_code == 302


def test_the_network_is_remote_addr_unless_proxies_are_trusted(settings):
    forwarded = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")

    assert client_ip(forwarded) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(forwarded) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer hops than proxies: the header was not built by them
    assert client_ip(forwarded) == "10.0.0.2"


def test_an_ipv6_client_counts_as_its_whole_slash_64():
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")

    assert client_ip(one) == client_ip(other) == "2001:db8:1:2::"


@pytest.mark.skipif(
    not isinstance(caches["default"], RedisCache), reason="Redis keeps the counts in production"
)
def test_a_count_is_kept_in_redis_until_a_minute_past_its_window_and_later_hits_do_not_extend_it(
    _frozen_time,
):
    rate_hit(BOOKING_ATTEMPTS_PER_CLIENT, "client-7")  # 57 minutes left in the hour's window
    _frozen_time.shift(timedelta(minutes=10))
    rate_hit(BOOKING_ATTEMPTS_PER_CLIENT, "client-7")

    cache_key, _ = _window(BOOKING_ATTEMPTS_PER_CLIENT, "client-7")
    key = cache.make_key(cache_key)
    assert cache.get(cache_key) == 2
    assert 57 * 60 < cache._cache.get_client(key).ttl(key) <= 58 * 60
