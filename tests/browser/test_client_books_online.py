"""A new client books a massage on a phone, from the home page to the confirmation.

The journey is a list of small steps: choose, sign up, fill the sciatica intake, confirm (with
the intake's safety advice above the button), see the confirmation. The client books "anyone",
as the booking page offers by default: each time is shown once and the clinic picks the therapist.
tests/browser/test_booking_funnel.py counts its screens and inputs.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from bookings.models import Appointment
from intake.models import Intake
from intake.triage import RED_FLAG_KEYS
from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory

NEW_CLIENT = {
    "first_name": "Priya",
    "last_name": "Shah",
    "email": "priya@example.com",
    "phone": "07700 900789",
    "password": "a-long-enough-secret",
}


def a_clinic_with_two_therapists() -> None:
    ClinicFactory(address="1 River Street, London")
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    # Equally free and equally busy: "anyone" goes to the first in the clinic's order, Maya.
    TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")
    TherapistFactory(services=[service], user__first_name="Tom", user__last_name="Reed")


def open_home_and_choose(page: Page, service_name: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=f"Book {service_name}").click()
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()


def pick_the_first_free_time_with_anyone(page: Page) -> str:
    """Click the first free time shown, moving on to the next day with free times if need be.

    With two therapists free all day, each time is still shown once, with no name on it.
    """
    expect(page.get_by_label("Therapist")).to_have_value("any")
    slots = page.locator(".slot-grid a")
    if slots.count() == 0:
        page.get_by_role("link", name=re.compile(r"^Next day with free times")).click()
    expect(slots.first).to_be_visible()
    times = slots.locator(".fw-semibold").all_inner_texts()
    assert len(times) == len(set(times))
    expect(page.locator(".slot-grid")).not_to_contain_text("Maya Patel")
    time_shown = times[0]
    slots.first.click()
    return time_shown


def sign_up_when_asked(page: Page, client: dict[str, str]) -> None:
    """A visitor who picked a time is asked to create an account, with a link to log in instead."""
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_role("link", name="Log in").last).to_be_visible()
    for field in ("first_name", "last_name", "email", "phone", "password"):
        page.locator(f"#id_{field}").fill(client[field])
    page.get_by_role("button", name="Show password").click()
    expect(page.locator("#id_password")).to_have_attribute("type", "text")
    page.get_by_role("button", name="Create account").click()


def answer_no(page: Page, key: str) -> None:
    value = "none" if key == "leg_weakness" else "no"
    page.locator(f"input[name='{key}'][value='{value}']").check()


def fill_in_a_clear_intake(page: Page) -> None:
    """Typical one-sided sciatica and no red flags: every safety question answered no."""
    expect(page.get_by_role("heading", name=re.compile("questionnaire|intake", re.I))).to_be_visible()
    expect(page.get_by_text("Welcome, Priya: two minutes of health questions")).to_be_visible()
    expect(page.locator("#id_pain_location")).to_be_hidden()  # optional, behind a closed <details>
    page.get_by_text("Optional: tell your therapist more").click()
    page.locator("#id_pain_location").fill("Left buttock and the back of the left thigh")
    page.locator("input[name='pain_radiates_below_knee'][value='yes']").check()
    page.locator("input[name='numbness_tingling'][value='yes']").check()
    page.locator("#id_pain_score").fill("5")
    page.locator("#id_symptom_weeks").fill("3")
    for key in (*RED_FLAG_KEYS, "anticoagulants", "pregnant", "osteoporosis", "recent_surgery"):
        answer_no(page, key)
    page.locator("#id_age").fill("41")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send my answers").click()


def confirm_right_after_the_intake(page: Page) -> None:
    """Straight back to the chosen time, with the safety net the result page would have shown;
    minutes after the full intake the same questions are not asked again."""
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    expect(page.locator(".safety-advice")).to_contain_text("Go to A&E or call 999 if you get")
    expect(page.locator(".appointment-summary")).to_contain_text("The first free therapist")
    # Said before confirming; which of the two depends on how soon the first free time is.
    expect(page.locator(".change-window")).to_contain_text(
        re.compile("You can change or cancel online until|inside our 24-hour window")
    )
    expect(page.get_by_text("Since your intake, have you had any of these?")).to_have_count(0)
    page.get_by_role("button", name="Confirm booking").click()


@pytest.mark.browser
def test_a_new_client_books_a_massage_from_the_home_page(page: Page):
    a_clinic_with_two_therapists()

    open_home_and_choose(page, "Deep tissue")
    time_shown = pick_the_first_free_time_with_anyone(page)
    sign_up_when_asked(page, NEW_CLIENT)
    fill_in_a_clear_intake(page)
    confirm_right_after_the_intake(page)

    expect(page.get_by_role("heading", name="You're booked in")).to_be_visible()
    summary = page.locator(".appointment-summary")
    expect(summary).to_contain_text("Deep tissue, 60 minutes")
    expect(summary).to_contain_text("Maya Patel")  # the confirmation names who the clinic picked
    expect(summary).to_contain_text(f"at {time_shown}")
    expect(summary).to_contain_text("£65.00")
    expect(page.get_by_role("main")).to_contain_text("1 River Street, London")
    expect(page.get_by_role("heading", name="What to expect at your first visit")).to_be_visible()
    assert Appointment.objects.filter(client__email=NEW_CLIENT["email"]).count() == 1
    assert Intake.objects.get(client__email=NEW_CLIENT["email"]).outcome == "CLEAR"
