import os

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

from .factories import ClinicFactory, ServiceFactory, TherapistFactory, UserFactory, submit_intake


@pytest.fixture(autouse=True)
def _no_rate_limit_counts_from_other_tests():
    """The limits of clinic/throttle.py count in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def service(db):
    return ServiceFactory(name="Deep tissue", duration_minutes=60, buffer_after_minutes=15)


@pytest.fixture
def therapist(db, service):
    return TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")


@pytest.fixture
def client_user(db):
    """A client who can book: their sciatica intake is current and CLEAR."""
    user = UserFactory(email="client@example.com", first_name="Sam", last_name="Jones")
    submit_intake(user)
    return user


@pytest.fixture
def front_desk_user(db):
    from django.contrib.auth.models import Group

    from accounts.roles import FRONT_DESK_GROUP

    user = UserFactory(email="desk@example.com", first_name="Frankie", last_name="Desk", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=FRONT_DESK_GROUP)[0])
    return user


# One Chromium for the whole session, shared by tests/browser and the apps' browser tests: a
# second Playwright instance in the same process cannot start while the first runs.
# Playwright's sync API runs an event loop in the test thread, and Django refuses database
# access from a thread with a running loop unless told it is safe (it is: the loop is idle).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Chromium reports each thing the Content-Security-Policy blocked on the console: every
    # journey then also checks that the policy blocks nothing the pages need.
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not refused, refused
