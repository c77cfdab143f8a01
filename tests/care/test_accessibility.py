"""The plan, series and package pages have no serious accessibility violations (axe-core, in
Chromium, at phone and desktop size), as tests/browser/test_accessibility.py checks the others."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from accounts.roles import FRONT_DESK_GROUP
from bookings.forms import start_param
from tests.browser import axe
from tests.browser.test_accessibility import (
    a_clinic_in_use,
    at,
    browse_as,  # noqa: F401
    scan,
    scan_with_errors,
    staff_member,
)
from tests.factories import AppointmentFactory, PackageFactory, TreatmentPlanFactory

pytestmark = pytest.mark.browser


def test_the_plan_pages_have_no_serious_accessibility_violations(browse_as):  # noqa: F811
    world = a_clinic_in_use()
    plan = TreatmentPlanFactory(client=world.sam, therapist=world.maya, service=world.service)
    first = at(world.clinic, world.day, 15)
    # The second week's time is taken: the preview offers that week's free times instead.
    AppointmentFactory(therapist=world.maya, service=world.service, start=first + timedelta(weeks=1))
    PackageFactory(service=world.service, name="Five deep tissue")
    staff_member("desk@example.com", FRONT_DESK_GROUP)
    preview = urlencode({"start": start_param(first), "sessions": 3}, safe=":")

    client = browse_as(world.sam.email)
    found = scan(client, "/appointments/", "/plan/", f"/plan/{plan.pk}/book/?date={world.day:%Y-%m-%d}")
    found += scan(client, f"/plan/{plan.pk}/book/?{preview}")
    expect(client.get_by_text("Not free")).to_have_count(1)
    found += scan_with_errors(client, f"/plan/{plan.pk}/book/?{preview}", "Confirm and book these sessions")

    therapist = browse_as("maya@example.com")
    found += scan(therapist, "/staff/plans/", f"/staff/plans/{plan.pk}/", f"/staff/clients/{world.sam.pk}/")
    found += scan_with_errors(therapist, f"/staff/clients/{world.sam.pk}/plan/new/", "Save the plan")

    desk = browse_as("desk@example.com")
    found += scan(desk, f"/staff/plans/{plan.pk}/", f"/staff/plans/{plan.pk}/book/?{preview}")
    found += scan_with_errors(desk, f"/staff/clients/{world.sam.pk}/packages/sell/", "Record the sale")

    axe.assert_no_serious_violations(found)
