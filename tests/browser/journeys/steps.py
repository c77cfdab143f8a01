"""What people do in more than one journey, by the words on the page (labels, roles, questions)."""

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.utils import dateformat, timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from bookings.models import Clinic
from intake.recheck import RECHECK_KEYS, RECHECK_QUESTIONS
from intake.triage import QUESTIONS, YES_NO_KEYS
from tests.factories import PASSWORD, UserFactory, clear_answers

from .conftest import Journey

A_TIME = re.compile(r"^\d\d:\d\d")  # a free time's button: "10:00", or "10:00 with Maya Patel"


def weekday_ahead(clinic: Clinic, days: int = 2) -> date:
    """The first Monday to Friday at least `days` days from today, in the clinic's time zone."""
    day = timezone.localdate(timezone=clinic.tz) + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def at(clinic: Clinic, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clinic.tz)


def long_date(day: date) -> str:
    """As the pages write a day: "Wednesday 14 January"."""
    return dateformat.format(day, "l j F")


def staff_member(group: str, **fields: object) -> User:
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def log_in(journey: Journey, page: Page, email: str, *, next_url: str = "", step: str = "log-in") -> None:
    page.goto(f"/accounts/login/?{urlencode({'next': next_url})}" if next_url else "/accounts/login/")
    journey.step(page, step)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def menu_link(page: Page, name: str) -> Locator:
    """A link of the site menu, opening the menu first where it is folded away (on a phone)."""
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        toggler.click()
    return page.locator("#main-nav").get_by_role("link", name=name, exact=True)


def free_times_of(page: Page, day: date) -> Locator:
    """The section of the booking or moving page that lists the free times on `day`."""
    return page.get_by_role("region", name=dateformat.format(day, "D j M"))


def free_times(page: Page, day: date) -> list[str]:
    """The times offered on `day`, as the client reads them."""
    section = free_times_of(page, day)
    expect(section).to_be_visible()
    return [text.split()[0] for text in section.get_by_role("link", name=A_TIME).all_inner_texts()]


def answer_the_intake(page: Page, **overrides: object) -> None:
    """Every required question of the intake, as a client with typical one-sided sciatica
    answers it, with `overrides` (for example saddle_numbness=True); the optional details skipped."""
    for key, value in clear_answers(**overrides).items():
        question = page.get_by_role("group", name=QUESTIONS[key])
        if key in YES_NO_KEYS:
            question.get_by_label("Yes" if value else "No", exact=True).check()
        elif key in ("leg_weakness", "recent_surgery_weeks"):  # no weakness; no operation
            question.get_by_label("No", exact=True).check()
        else:
            page.get_by_label(QUESTIONS[key]).fill(str(value))
    page.get_by_label("I agree that my answers are shared").check()


def answer_nothing_new(check: Locator) -> None:
    """The re-check ("since your intake, have you had any of these?"): no to each, pain 3 out of 10."""
    for key in RECHECK_KEYS:
        if key == "pain_score":
            check.get_by_label(RECHECK_QUESTIONS[key]).fill("3")
        else:
            check.get_by_role("group", name=RECHECK_QUESTIONS[key]).get_by_label("No", exact=True).check()
