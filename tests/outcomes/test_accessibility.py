"""The questionnaire pages and the outcome scores pass axe-core's checks, at phone and desktop size
(the same checks as tests/browser/test_accessibility.py)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Message
from outcomes.models import OutcomeResponse
from outcomes.services import reassessments_queue
from tests.browser import axe
from tests.browser.test_accessibility import (  # noqa: F401  the people and the checks
    a_clinic_in_use,
    browse_as,
    scan,
)
from tests.browser.test_accessibility import serious_violations as axe_serious

from .conftest import plan_with_sessions

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _frozen_time():
    """The browser tests run on the real clock (the workspace tests' frozen time is not used here)."""
    yield


def test_the_questionnaire_pages_have_no_serious_accessibility_violations(browse_as):  # noqa: F811
    world = a_clinic_in_use()
    page = browse_as(world.sam.email)

    found = scan(page, "/outcomes/?next=/appointments/")
    # An activity rated but not named, and half the index answered: a field error and a questionnaire's.
    page.goto("/outcomes/")
    page.locator("label[for='id_psfs-score-0_3']").click()
    page.locator("label[for='id_sbi-leg_pain_2']").click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_text("Please answer all 4 questions").first).to_be_visible()
    found += axe_serious(page)
    plan_with_sessions(
        client=world.sam, therapist=world.maya, service=world.service, completed=3, last_end=timezone.now()
    )
    reassessments_queue()
    link = Message.objects.get(kind=Message.Kind.REASSESSMENT).link
    found += scan(browse_as(None), link)

    axe.assert_no_serious_violations(found)


def test_the_outcomes_on_the_client_page_have_no_serious_accessibility_violations(browse_as):  # noqa: F811
    world = a_clinic_in_use()
    now = timezone.now()
    for days_ago, pain in ((30, 8), (3, 5)):
        OutcomeResponse.objects.create(
            client=world.sam,
            measure="pain",
            answers={"pain": pain},
            score=pain,
            taken_at=now - timedelta(days=days_ago),
            occasion="intake",
        )
    page = browse_as(world.maya.user.email)

    found = scan(page, f"/staff/clients/{world.sam.pk}/")
    expect(page.get_by_role("img", name=re.compile("^Pain rating"))).to_be_visible()

    axe.assert_no_serious_violations(found)
