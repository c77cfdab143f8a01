"""A client fills in the sciatica intake with the keyboard alone, and errors are announced.

Tab moves from answer to answer in the order they are read, Space ticks a box or picks the first
answer of a question, the arrow keys pick another answer, Enter sends. When the form comes back
with errors, the keyboard is on the first answer to fix and each error is tied to its answer by
`aria-describedby`, so a screen reader reads it with the question.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from intake.forms import MASSAGE_SAFETY_KEYS, WARNING_SIGN_KEYS
from intake.models import Intake
from tests.factories import PASSWORD, ClinicFactory, UserFactory

pytestmark = pytest.mark.browser

# What the client answers, by field name: typical one-sided sciatica, no red flag, and the
# optional details filled in too. Radio answers by value; ticked boxes as a set of values.
ANSWERS: dict[str, object] = {
    "pain_radiates_below_knee": "yes",
    "numbness_tingling": "yes",
    "pain_score": "5",
    "symptom_weeks": "3",
    **{key: "no" for key in (*WARNING_SIGN_KEYS, *MASSAGE_SAFETY_KEYS)},
    "leg_weakness": "none",
    "recent_surgery": "no",
    "recent_surgery_weeks": "",
    "age": "41",
    "pain_location": "Left buttock and the back of the left thigh",
    "worse_with": {"sitting"},
    "health_history": "",
    "medications": "",
    "pressure_preference": "medium",
    "positioning": "Side-lying",
    "areas_to_avoid": "",
    "goals": "Sit through a working day",
    "consent": {"on"},
}
FOCUSED = """() => {
    const element = document.activeElement;
    const form = element.closest("form.intake-form");
    return {
        inForm: form !== null,
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        name: element.name || "",
        value: element.value || "",
        text: element.textContent.trim(),
        open: element.parentElement.open === true,
        group: element.type === "radio"
            ? [...form.querySelectorAll(`input[name="${element.name}"]`)].map(radio => radio.value)
            : [],
    };
}"""


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def answer_by_keyboard(page: Page, focused: dict, answers: dict[str, object]) -> None:
    """Answer the question that has the keyboard, as a keyboard user would."""
    wanted = answers.get(focused["name"], "")
    if focused["tag"] == "summary" and not focused["open"]:
        page.keyboard.press("Enter")  # open the optional details
    elif focused["type"] == "radio":
        # Tab lands on a question's first answer; Space picks it, each arrow the next one.
        steps = focused["group"].index(wanted) - focused["group"].index(focused["value"])
        if steps == 0:
            page.keyboard.press("Space")
        for _ in range(abs(steps)):
            page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
        expect(page.locator(f"input[name='{focused['name']}'][value='{wanted}']")).to_be_checked()
    elif focused["type"] == "checkbox":
        if focused["value"] in wanted:  # type: ignore[operator]
            page.keyboard.press("Space")
    elif wanted:
        page.keyboard.type(str(wanted))


def fill_in_the_intake_by_keyboard(page: Page, **overrides: object) -> None:
    """From the top of the page, Tab through the intake answering each question, then Enter."""
    answers = ANSWERS | overrides
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inForm"]:
            assert not reached, f"Tab left the form at {focused} before its button"
            continue  # the menu, above the form
        if focused["tag"] == "button":
            break
        reached.add(focused["name"] or focused["tag"])
        answer_by_keyboard(page, focused, answers)
    assert focused["text"] == "Send my answers"
    assert reached >= set(answers), f"never reached by Tab: {set(answers) - reached}"
    page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_a_client_fills_in_the_intake_with_the_keyboard_alone(page: Page):
    ClinicFactory(emergency_number="999")
    jo = UserFactory(email="jo@example.com")
    log_in(page, jo.email)
    page.goto("/intake/")

    fill_in_the_intake_by_keyboard(page)

    expect(page.get_by_role("main")).to_contain_text("Go to A&E or call 999 if you get")
    intake = Intake.objects.get(client=jo)
    assert intake.outcome == "CLEAR"
    answers = intake.answers
    assert (answers["pain_score"], answers["age"], answers["recent_surgery_weeks"]) == (5, 41, None)
    assert (intake.worse_with, intake.pressure_preference) == (["sitting"], "medium")


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_submit_the_keyboard_is_on_the_answer_to_fix_and_hears_why(page: Page):
    ClinicFactory()
    jo = UserFactory(email="jo@example.com")
    log_in(page, jo.email)
    page.goto("/intake/")

    fill_in_the_intake_by_keyboard(page, recent_surgery="yes")  # but not how long ago

    weeks = page.get_by_label("How many whole weeks ago?")
    expect(weeks).to_be_focused()
    expect(weeks).to_have_attribute("aria-invalid", "true")
    expect(weeks).to_have_accessible_description(
        re.compile("Please say how many whole weeks ago the operation was.")
    )
    expect(page.get_by_role("alert")).to_contain_text("Please check the answers marked in red below")
    page.keyboard.type("6")
    page.keyboard.press("Enter")  # sends the form from the field, answers kept
    expect(page).to_have_url(re.compile(r"/intake/result/$"))
    assert Intake.objects.get(client=jo).answers["recent_surgery_weeks"] == 6


@pytest.mark.django_db(transaction=True)
def test_every_error_on_the_intake_is_tied_to_its_question(page: Page):
    ClinicFactory()
    log_in(page, UserFactory(email="jo@example.com").email)
    page.goto("/intake/")

    # As sent by a browser that doesn't check `required`: every required answer missing.
    page.evaluate("document.querySelector('form.intake-form').noValidate = true")
    page.get_by_role("button", name="Send my answers").click()

    # The first question answered wrongly has the keyboard; its error is its description.
    first = page.locator("#id_pain_radiates_below_knee_0")
    expect(first).to_be_focused()
    question = page.get_by_role("group", name="Does the pain spread below your knee?")
    expect(question).to_have_accessible_description("Please answer yes or no.")
    untied = page.evaluate(
        """() => [...document.querySelectorAll("form [aria-invalid='true']")].filter(field => {
            const owner = field.type === "radio" ? field.closest("fieldset") : field;
            const ids = (owner.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
            return !ids.some(id => document.getElementById(id)?.classList.contains("invalid-feedback"));
        }).map(field => field.name)"""
    )
    assert page.locator("form [aria-invalid='true']").count() > 20
    assert untied == []


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_said_and_has_the_keyboard(page: Page):
    ClinicFactory()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("jo@example.com")
    page.get_by_label("Password").fill("not-my-password")
    page.keyboard.press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please enter a correct email address and password.")
    expect(alert).to_be_focused()
