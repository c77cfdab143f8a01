"""Every page of the journeys passes axe-core's checks, on a phone and on a desktop.

axe-core (the copy bundled by axe-playwright-python) runs in Chromium on the pages a visitor, a
client, a therapist, the front desk and an admin meet, at 390x844 and at 1280x800, and no
violation of impact "critical" or "serious" may remain: text below WCAG AA contrast, a field or
button without a name, a table that scrolls out of a keyboard's reach... One browser context
per role, logged in once; axe is added to each page of the context by an init script, which
Chromium runs outside the page's Content-Security-Policy.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from accounts.roles import ADMIN_GROUP, FRONT_DESK_GROUP
from bookings.forms import start_param
from bookings.models import Appointment, Clinic, Service, Therapist
from intake.models import Intake
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
)
from tests.workspace.data import note_content
from workspace.services import session_note_save

from . import axe
from .conftest import PHONE

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": {"width": 1280, "height": 800}}


@dataclass
class ClinicInUse:
    clinic: Clinic
    service: Service
    maya: Therapist
    sam: User  # a client whose CLEAR intake is two days old, so booking asks the re-check
    upcoming: Appointment  # Sam's, with Maya, on `day`
    last_session: Appointment  # Sam's, a week ago, with a session note (the pain chart has two)
    day: date  # a working day a few days ahead
    jo_intake: Intake  # SEE_DOCTOR (a blood clot): on the follow-up list, to be cleared


def working_day(clinic: Clinic, days_from_today: int) -> date:
    """That day, or the next if it is a Sunday: the therapists work Monday to Saturday."""
    day = timezone.localdate(timezone=clinic.tz) + timedelta(days=days_from_today)
    return day + timedelta(days=1) if day.weekday() == 6 else day


def at(clinic: Clinic, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clinic.tz)


def a_clinic_in_use() -> ClinicInUse:
    clinic = ClinicFactory(address="1 River Street, London", emergency_number="999")
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    ServiceFactory(name="Swedish", duration_minutes=45)
    maya = TherapistFactory(
        services=[service], user__first_name="Maya", user__last_name="Patel", user__email="maya@example.com"
    )
    TherapistFactory(services=[service], user__first_name="Tom", user__last_name="Reed")
    now = timezone.now()
    sam = UserFactory(email="sam@example.com", first_name="Sam", last_name="Jones")
    submit_intake(sam, at=now - timedelta(days=20))
    sessions = [
        AppointmentFactory(
            client=sam, therapist=maya, service=service, start=at(clinic, working_day(clinic, -days), 10)
        )
        for days in (14, 7)
    ]
    for pain, session in zip((7, 5), sessions, strict=True):
        session_note_save(appointment=session, author=maya.user, content=note_content(pain_before=pain))
    submit_intake(sam, at=now - timedelta(days=2))
    day = working_day(clinic, 4)
    upcoming = AppointmentFactory(client=sam, therapist=maya, service=service, start=at(clinic, day, 10))
    # Two clients with a red flag, whose appointments were released for a health check.
    jo = UserFactory(email="jo@example.com", first_name="Jo", last_name="Bloggs")
    AppointmentFactory(client=jo, therapist=maya, service=service, start=at(clinic, day, 14))
    jo_intake = submit_intake(jo, known_blood_clot=True)
    kim = UserFactory(email="kim@example.com", first_name="Kim", last_name="Lee")
    AppointmentFactory(client=kim, therapist=maya, service=service, start=at(clinic, day, 16))
    submit_intake(kim, saddle_numbness=True)
    return ClinicInUse(clinic, service, maya, sam, upcoming, sessions[-1], day, jo_intake)


def staff_member(email: str, group: str) -> User:
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def browse_as(browser: Browser, live_server, transactional_db) -> Iterator[Callable[[str | None], Page]]:
    """A page in a browser context of its own, logged in as `email` (None: a visitor)."""
    contexts = []

    def open_page(email: str | None) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(10_000)
        axe.axe_add(context)
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto("/accounts/login/")
            page.locator("#id_username").fill(email)
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def serious_violations(page: Page) -> list[str]:
    """axe's critical and serious violations on the page as it is now, at each size: one entry a node."""
    found = []
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        found += axe.serious_violations(page, where=f" at {size_name} size")
    page.set_viewport_size(PHONE)
    return found


def scan(page: Page, *urls: str) -> list[str]:
    found = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        found += serious_violations(page)
    return found


def scan_with_errors(page: Page, url: str, button: str | re.Pattern[str]) -> list[str]:
    """The page after its form is sent with nothing filled in, showing the server's field errors
    (as a browser that doesn't check `required` would send it)."""
    page.goto(url)
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    page.get_by_role("button", name=button).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    return serious_violations(page)


def test_the_public_pages_have_no_serious_accessibility_violations(browse_as):
    world = a_clinic_in_use()
    page = browse_as(None)

    found = scan(page, f"/book/?service={world.service.pk}&therapist=any&date={world.day:%Y-%m-%d}")
    expect(page.locator(".slot-grid a").first).to_be_visible()
    found += scan(page, "/", "/therapists/", "/accounts/signup/", "/accounts/login/")
    found += scan_with_errors(page, "/accounts/signup/", "Create account")

    axe.assert_no_serious_violations(found)


def test_the_client_pages_have_no_serious_accessibility_violations(browse_as):
    world = a_clinic_in_use()
    page = browse_as(world.sam.email)
    eleven = {
        "service": world.service.pk,
        "therapist": "any",
        "start": start_param(at(world.clinic, world.day, 11)),
    }
    confirm = f"/book/confirm/?{urlencode(eleven, safe=':')}"

    found = scan(page, confirm)
    expect(page.get_by_text("Since your intake, have you had any of these?")).to_be_visible()
    found += scan(page, f"/appointments/{world.upcoming.pk}/reschedule/?date={world.day:%Y-%m-%d}")
    expect(page.locator(".slot-grid a").first).to_be_visible()
    found += scan(page, "/appointments/", "/accounts/", "/intake/", "/intake/result/")  # CLEAR
    found += scan_with_errors(page, confirm, "Confirm booking")
    found += scan_with_errors(page, "/intake/", "Send my answers")
    # Each new intake is more urgent than the last, so it is the outcome in force.
    for red_flag, says in (
        ({"anticoagulants": True}, "Your therapist will read your answers and adapt the massage"),
        ({"known_blood_clot": True}, "Please see a doctor before booking"),
        ({"saddle_numbness": True}, "Please get medical help now"),
    ):
        submit_intake(world.sam, **red_flag)
        found += scan(page, "/intake/result/")
        expect(page.get_by_role("main")).to_contain_text(says)

    axe.assert_no_serious_violations(found)


def test_the_therapist_pages_have_no_serious_accessibility_violations(browse_as):
    world = a_clinic_in_use()
    page = browse_as(world.maya.user.email)

    found = scan(page, f"/staff/clients/{world.sam.pk}/")
    expect(page.get_by_role("img", name=re.compile("^Pain score before and after"))).to_be_visible()
    found += scan(
        page, f"/staff/agenda/?date={world.day:%Y-%m-%d}", f"/staff/appointments/{world.last_session.pk}/"
    )

    axe.assert_no_serious_violations(found)


def test_the_front_desk_pages_have_no_serious_accessibility_violations(browse_as):
    world = a_clinic_in_use()
    page = browse_as(staff_member("desk@example.com", FRONT_DESK_GROUP).email)

    book = f"/staff/clients/{world.sam.pk}/book/?service={world.service.pk}&therapist=any&date={world.day:%Y-%m-%d}"

    found = scan(page, book)
    expect(page.locator(".slot-grid a").first).to_be_visible()
    found += scan(
        page,
        f"/staff/schedule/?date={world.day:%Y-%m-%d}",
        f"/staff/schedule/week/?date={world.day:%Y-%m-%d}",
        "/intake/blocked/",
        f"/staff/therapists/{world.maya.pk}/hours/",
        "/staff/report/",
    )

    axe.assert_no_serious_violations(found)


def test_the_admin_pages_have_no_serious_accessibility_violations(browse_as):
    world = a_clinic_in_use()
    page = browse_as(staff_member("admin@example.com", ADMIN_GROUP).email)
    clearance = f"/intake/{world.jo_intake.pk}/clearance/"

    found = scan(page, "/intake/blocked/", clearance)
    found += scan_with_errors(page, clearance, "Record and lift the block")

    axe.assert_no_serious_violations(found)
