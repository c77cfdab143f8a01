"""An admin changes the clinic's phone number in Django admin, and every visitor sees the new one."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import ADMIN_GROUP
from bookings.models import Clinic
from tests.factories import ClinicFactory

from .conftest import Journey
from .steps import log_in, menu_link, staff_member

pytestmark = pytest.mark.browser

OLD_PHONE, NEW_PHONE = "020 7946 0000", "020 7946 0999"


def test_an_admin_changes_the_clinic_phone_and_the_public_footer_shows_it(journey: Journey):
    ClinicFactory(name="Riverside Massage", phone=OLD_PHONE)
    staff_member(ADMIN_GROUP, email="admin@example.com", is_superuser=True)
    admin, visitor = journey.person(), journey.person()

    log_in(journey, admin, "admin@example.com")
    expect(admin.get_by_role("heading", name=re.compile(r"^Today, "))).to_be_visible()  # the day schedule
    journey.step(admin, "day-schedule")
    menu_link(admin, "Django admin").click()
    expect(admin.get_by_role("heading", name="Site administration")).to_be_visible()
    journey.step(admin, "django-admin")
    admin.get_by_role("link", name="Clinics").click()
    expect(admin.get_by_role("heading", name="Select clinic to change")).to_be_visible()
    journey.step(admin, "clinics")
    admin.get_by_role("link", name="Riverside Massage").click()
    expect(admin.get_by_label("Phone")).to_have_value(OLD_PHONE)
    journey.step(admin, "clinic")
    admin.get_by_label("Phone").fill(NEW_PHONE)
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("was changed successfully")).to_be_visible()
    journey.step(admin, "clinic-saved")

    visitor.goto("/")
    footer = visitor.get_by_role("contentinfo")
    expect(footer).to_contain_text(NEW_PHONE)
    expect(footer).not_to_contain_text(OLD_PHONE)
    journey.step(visitor, "public-footer")
    assert Clinic.objects.get().phone == NEW_PHONE
