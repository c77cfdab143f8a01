"""Property-based tests of the JSON API against its own OpenAPI schema (schemathesis).

For every operation in /api/v1/openapi.json, schemathesis generates requests that fit the schema
and requests that break it (wrong types, missing fields, NUL characters, huge numbers...), sends
them through the real WSGI application, anonymous and as a signed-in client, and checks that no
answer is a 5xx, that every status code is one the schema declares and that every body matches
the schema declared for it. Bounded and repeatable: a few examples per operation, derandomised.
"""

from datetime import UTC, datetime

import pytest
import schemathesis
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import AppointmentFactory

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 15
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # after the frozen "now" of tests/api/conftest.py
CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # any 32 letters: Django compares cookie and header
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Read when the module is collected (the pytest plugin's lazy loader does not work with pytest 9).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
)


@pytest.fixture(autouse=True)
def _one_connection_for_the_whole_test(clinic, service, therapist):
    # The app runs in this thread, inside the test's transaction: keep Django from closing the
    # connection at each request's start and end, as its own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def session_cookie(user) -> str:
    """A signed-in session for `user`, as django.contrib.auth.login stores it."""
    from importlib import import_module

    from django.conf import settings as django_settings

    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{django_settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={CSRF_TOKEN}"


def send(case, cookie: str) -> None:
    # Each example starts with no rate-limit counts, so the limits do not hide what is behind them.
    cache.clear()
    case.call_and_validate(headers={"Cookie": cookie, "X-CSRFToken": CSRF_TOKEN}, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_get_documented_answers_and_never_a_5xx(case):
    send(case, f"csrftoken={CSRF_TOKEN}")


@pytest.fixture
def own_appointment(client_user, service, therapist):
    """One of the client's appointments, so that some generated ids are found."""
    return AppointmentFactory(client=client_user, service=service, therapist=therapist, start=MONDAY_10)


@schema.parametrize()
@FUZZ_SETTINGS
def test_a_signed_in_clients_requests_get_documented_answers_and_never_a_5xx(
    case, client_user, own_appointment
):
    send(case, session_cookie(client_user))
