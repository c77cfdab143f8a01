"""A client with a red flag fills in the sciatica intake on a phone and is sent to A&E, not to booking."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from intake.models import Intake
from intake.triage import QUESTIONS, YES_NO_KEYS
from tests.factories import (
    PASSWORD,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    clear_answers,
)


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def answer_the_intake(page: Page, **overrides: object) -> None:
    """Answer every question as a client would, by its wording on the page."""
    if page.get_by_label("Where is the pain?").is_hidden():  # a page kept by "back" stays open
        page.get_by_text("Optional: tell your therapist more").click()
    page.get_by_label("Where is the pain?").fill("Right buttock and the back of my right leg")
    for key, value in clear_answers(**overrides).items():
        question = page.get_by_role("group", name=QUESTIONS[key])
        if key in YES_NO_KEYS:
            question.get_by_label("Yes" if value else "No", exact=True).check()
        elif key == "leg_weakness":
            question.get_by_label("No", exact=True).check()
        elif key == "recent_surgery_weeks":
            question.get_by_label("No", exact=True).check()
        else:
            page.get_by_label(QUESTIONS[key]).fill(str(value))
    page.get_by_label("Sitting").check()
    page.get_by_label("I agree that my answers are shared").check()


@pytest.mark.browser
def test_a_client_with_saddle_numbness_is_sent_to_emergency_with_no_way_to_book(page: Page):
    ClinicFactory(emergency_number="999")
    jo = UserFactory(email="jo@example.com")

    log_in(page, jo.email)
    page.goto("/intake/")
    expect(page.get_by_role("heading", name="Your health questionnaire")).to_be_visible()
    answer_the_intake(page, saddle_numbness=True)
    page.get_by_role("button", name="Send my answers").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Please get medical help now")).to_be_visible()
    expect(alert).to_contain_text("Go to A&E now or call 999")
    expect(alert.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_text("Continue to booking")).to_have_count(0)
    expect(page.locator('a[href^="/book"]')).to_have_count(0)
    assert Intake.objects.get(client=jo).outcome == "EMERGENCY"


@pytest.mark.browser
def test_a_client_sent_to_a_and_e_who_goes_back_and_answers_no_still_cannot_book(page: Page):
    ClinicFactory(emergency_number="999")
    jo = UserFactory(email="jo@example.com")
    log_in(page, jo.email)
    page.goto("/intake/")
    answer_the_intake(page, saddle_numbness=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Please get medical help now")).to_be_visible()

    page.go_back()
    if not page.get_by_role("button", name="Send my answers").is_visible():
        page.goto("/intake/")  # a browser that does not keep the form: open it again
    answer_the_intake(page, saddle_numbness=False)
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Please get medical help now")).to_be_visible()
    expect(page.get_by_text("answering the questionnaire again doesn't change this")).to_be_visible()
    expect(page.get_by_text("Continue to booking")).to_have_count(0)
    assert [intake.outcome for intake in Intake.objects.filter(client=jo)] == ["CLEAR", "EMERGENCY"]

    # Straight to a booking page: the gate sends the client back to the advice.
    service = ServiceFactory()
    therapist = TherapistFactory(services=[service])
    next_month = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT10:00Z")
    page.goto(f"/book/confirm/?service={service.pk}&therapist={therapist.pk}&start={next_month}")
    expect(page).to_have_url(re.compile(r"/intake/result/$"))
    expect(page.get_by_role("heading", name="Please get medical help now")).to_be_visible()
