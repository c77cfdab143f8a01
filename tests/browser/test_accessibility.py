"""Every page of the journeys passes axe-core's checks, on a phone and on a desktop.

axe-core (the copy bundled by axe-playwright-python) runs in Chromium on each page a client,
a therapist, the front desk and an admin meet, at 390x844 and at 1280x800, and no violation of
impact "critical" or "serious" may remain (low colour contrast, a field without a name, a
button without text, a link that is only a colour...). One browser context per role, logged
in once; axe is loaded into every page of the context by an init script, which Chrome runs
outside the page's Content-Security-Policy.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
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

from .conftest import PHONE

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": {"width": 1280, "height": 800}}
FAILING_IMPACTS = {"critical", "serious"}


@dataclass
class Clinic_:
    clinic: Clinic
    service: Service
    maya: Therapist
    sam: User  # a client with a CLEAR intake from two days ago, so the re-check is asked
    upcoming: Appointment  # Sam's, with Maya, on `day`
    last_session: Appointment  # Sam's, a week ago, with a session note
    day: date  # a working day a few days ahead
    jo_intake: Intake  # SEE_DOCTOR: a blood clot
    kim: User  # EMERGENCY: saddle numbness


def working_day(clinic: Clinic, days_from_today: int) -> date:
    """The first day from `days_from_today` on that the therapists work (Monday to Saturday)."""
    day = timezone.localdate(timezone=clinic.tz) + timedelta(days=days_from_today)
    return day + timedelta(days=1) if day.weekday() == 6 else day


def at(clinic: Clinic, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clinic.tz)


def a_clinic_in_use() -> Clinic_:
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
    sessions = []
    for weeks_ago in (2, 1):
        appointment = AppointmentFactory(
            client=sam, therapist=maya, service=service, start=at(clinic, working_day(clinic, -7 * weeks_ago), 10)
        )
        session_note_save(appointment=appointment, author=maya.user, content=note_content(pain_before=7 - weeks_ago))
        sessions.append(appointment)
    submit_intake(sam, at=now - timedelta(days=2))
    day = working_day(clinic, 4)
    upcoming = AppointmentFactory(client=sam, therapist=maya, service=service, start=at(clinic, day, 10))

    jo = UserFactory(email="jo@example.com", first_name="Jo", last_name="Bloggs")
    AppointmentFactory(client=jo, therapist=maya, service=service, start=at(clinic, day, 14))
    jo_intake = submit_intake(jo, known_blood_clot=True)
    kim = UserFactory(email="kim@example.com", first_name="Kim", last_name="Lee")
    AppointmentFactory(client=kim, therapist=maya, service=service, start=at(clinic, day, 16))
    submit_intake(kim, saddle_numbness=True)
    return Clinic_(clinic, service, maya, sam, upcoming, sessions[-1], day, jo_intake, kim)


@pytest.fixture
def open_context(browser: Browser, live_server, transactional_db) -> Iterator:
    contexts: list[BrowserContext] = []

    def open_as(email: str | None) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(10_000)
        context.add_init_script(script=AXE_SCRIPT)
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto("/accounts/login/")
            page.locator("#id_username").fill(email)
            page.locator("#id_password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def serious_violations(page: Page) -> list[str]:
    """axe's critical and serious violations on the page as shown now, at each size, one line a node."""
    found = []
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        results = page.evaluate("axe.run({resultTypes: ['violations']})")
        for violation in results["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                found.append(
                    f"{page.url} [{size_name}] {violation['id']} ({violation['impact']}): "
                    f"{' '.join(map(str, node['target']))}\n    {node['html'][:200]}\n    "
                    f"{node['failureSummary'].replace(chr(10), ' ')}"
                )
    page.set_viewport_size(PHONE)
    return found


def scan(page: Page, url: str) -> list[str]:
    page.goto(url)
    return serious_violations(page)


def submit_without_browser_checks(page: Page, button: str) -> None:
    """Post the form as it is, so the page shows the server's field errors (as a browser that
    doesn't check `required` would)."""
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def assert_none(found: list[str]) -> None:
    assert not found, f"{len(found)} critical or serious accessibility violations:\n" + "\n".join(found)


def confirm_url(world: Clinic_, hour: int = 11) -> str:
    query = {"service": world.service.pk, "therapist": "any", "start": start_param(at(world.clinic, world.day, hour))}
    return f"{reverse('book_confirm')}?{urlencode(query, safe=':')}"


def test_public_pages_have_no_serious_accessibility_violations(open_context):
    world = a_clinic_in_use()
    page = open_context(None)
    found = []
    for url in (
        "/",
        "/therapists/",
        f"/book/?service={world.service.pk}&therapist=any&date={world.day:%Y-%m-%d}",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password-reset/",
    ):
        found += scan(page, url)
    page.goto("/accounts/signup/")
    submit_without_browser_checks(page, "Create account")
    found += serious_violations(page)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("nobody@example.com")
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    found += serious_violations(page)
    assert_none(found)


def test_client_pages_have_no_serious_accessibility_violations(open_context):
    world = a_clinic_in_use()
    page = open_context(world.sam.email)
    found = []
    for url in (
        f"/book/?service={world.service.pk}&therapist=any&date={world.day:%Y-%m-%d}",
        confirm_url(world),
        "/appointments/",
        f"/appointments/{world.upcoming.pk}/booked/",
        f"/appointments/{world.upcoming.pk}/reschedule/?date={world.day:%Y-%m-%d}",
        f"/appointments/{world.upcoming.pk}/cancel/",
        "/accounts/",
        "/accounts/password/",
        "/accounts/delete/",
        "/intake/",
    ):
        found += scan(page, url)
    page.goto(confirm_url(world))
    submit_without_browser_checks(page, "Confirm booking")
    found += serious_violations(page)
    page.goto("/intake/")
    submit_without_browser_checks(page, "Send my answers")
    found += serious_violations(page)
    # The result page for each outcome: each new intake is more urgent, so it is the one in force.
    found += scan(page, "/intake/result/")  # CLEAR
    for flag in ({"anticoagulants": True}, {"known_blood_clot": True}, {"saddle_numbness": True}):
        submit_intake(world.sam, **flag)
        found += scan(page, "/intake/result/")
    found += scan(page, "/appointments/")  # with the appointment released for a health check
    assert_none(found)


def test_therapist_pages_have_no_serious_accessibility_violations(open_context):
    world = a_clinic_in_use()
    page = open_context(world.maya.user.email)
    found = []
    for url in (
        "/staff/",
        f"/staff/agenda/?date={world.day:%Y-%m-%d}",
        f"/staff/appointments/{world.last_session.pk}/",
        f"/staff/appointments/{world.upcoming.pk}/",
        f"/staff/clients/{world.sam.pk}/",
        "/staff/clients/",
        "/intake/blocked/",
        f"/intake/{world.jo_intake.pk}/clearance/",
    ):
        found += scan(page, url)
    page.goto(f"/intake/{world.jo_intake.pk}/clearance/")
    submit_without_browser_checks(page, re.compile("^Record"))
    found += serious_violations(page)
    assert_none(found)


def test_front_desk_pages_have_no_serious_accessibility_violations(open_context):
    world = a_clinic_in_use()
    desk = UserFactory(email="desk@example.com", is_staff=True)
    from django.contrib.auth.models import Group

    from accounts.roles import FRONT_DESK_GROUP

    desk.groups.add(Group.objects.get_or_create(name=FRONT_DESK_GROUP)[0])
    page = open_context(desk.email)
    book = f"/staff/clients/{world.sam.pk}/book/"
    query = {"service": world.service.pk, "therapist": "any", "start": start_param(at(world.clinic, world.day, 11))}
    found = []
    for url in (
        f"/staff/schedule/?date={world.day:%Y-%m-%d}",
        f"/staff/schedule/week/?date={world.day:%Y-%m-%d}",
        f"{book}?service={world.service.pk}&therapist=any&date={world.day:%Y-%m-%d}",
        f"{book}confirm/?{urlencode(query, safe=':')}",
        f"/staff/clients/{world.kim.pk}/",
        "/staff/clients/new/",
        "/intake/blocked/",
        "/staff/therapists/",
        f"/staff/therapists/{world.maya.pk}/hours/",
        f"/staff/therapists/{world.maya.pk}/time-off/",
        "/staff/closures/",
        "/staff/report/",
        f"/staff/appointments/{world.upcoming.pk}/move/",
    ):
        found += scan(page, url)
    assert_none(found)
