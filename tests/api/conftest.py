from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

# A Monday in winter (UTC+0 in London), seen from the Friday morning before.
MONDAY = date(2026, 12, 7)
FRIDAY_MORNING = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class ApiClient:
    """A widget's view of the API: JSON bodies, and the csrftoken cookie sent back as X-CSRFToken."""

    def __init__(self) -> None:
        self.browser = Client(enforce_csrf_checks=True)
        self.browser.get("/api/v1/auth/csrf")

    def get(self, path, params=None):
        return self.browser.get(f"/api/v1{path}", params or {})

    def post(self, path, body=None, *, csrf=True):
        # Logging in rotates the token, so read the cookie afresh each time, as a widget would.
        headers = {"X-CSRFToken": self.browser.cookies["csrftoken"].value} if csrf else {}
        return self.browser.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=headers
        )


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        yield


@pytest.fixture
def anonymous_api(clinic):
    return ApiClient()


@pytest.fixture
def api_as(clinic):
    def logged_in(user):
        api = ApiClient()
        api.browser.force_login(user)
        return api

    return logged_in


@pytest.fixture
def client_api(api_as, client_user):
    return api_as(client_user)
