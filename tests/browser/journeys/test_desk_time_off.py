"""The front desk gives a therapist time off, and the times it covers leave online booking."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import FRONT_DESK_GROUP
from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory, UserFactory, submit_intake

from .conftest import Journey
from .steps import free_times, log_in, staff_member, weekday_ahead

pytestmark = pytest.mark.browser


def test_the_desk_adds_time_off_and_those_times_are_no_longer_offered_online(journey: Journey):
    clinic = ClinicFactory()
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    # The only therapist: when she is away, no one else can take "anyone" at that time.
    TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")
    sam = UserFactory(email="sam@example.com")
    submit_intake(sam)
    staff_member(FRONT_DESK_GROUP, email="desk@example.com", first_name="Frankie", last_name="Desk")
    day = weekday_ahead(clinic)
    book_that_day = f"/book/?service={service.pk}&therapist=any&date={day:%Y-%m-%d}"
    client, desk = journey.person(), journey.person()

    log_in(journey, client, sam.email, next_url=book_that_day, step="client-log-in")
    before = free_times(client, day)
    journey.step(client, "client-free-times")
    assert {"10:00", "11:00", "14:00"} <= set(before), before

    log_in(journey, desk, "desk@example.com", step="desk-log-in")
    expect(desk.get_by_role("heading", name=re.compile(r"^Today, "))).to_be_visible()  # the day schedule
    journey.step(desk, "desk-day-schedule")
    desk.get_by_role("navigation", name="Workspace").get_by_role("link", name="Hours & time off").click()
    expect(desk.get_by_role("heading", name="Therapists' hours and time off")).to_be_visible()
    journey.step(desk, "desk-hours-and-time-off")
    desk.get_by_role("link", name="Time off", exact=True).click()
    expect(desk.get_by_role("heading", name="Maya Patel's time off")).to_be_visible()
    journey.step(desk, "desk-time-off")
    desk.get_by_label("From (date)").fill(day.isoformat())
    desk.get_by_label("From (time)").fill("10:00")
    desk.get_by_label("Until (date)").fill(day.isoformat())
    desk.get_by_label("Until (time)").fill("12:00")
    desk.get_by_label("Reason").fill("Training course")
    desk.get_by_role("button", name="Add the time off").click()
    expect(desk.get_by_role("heading", name="Time off saved")).to_be_visible()
    expect(desk.get_by_role("main")).to_contain_text("Online booking no longer offers this time.")
    journey.step(desk, "desk-time-off-saved")

    client.reload()
    after = free_times(client, day)
    journey.step(client, "client-free-times-after")
    # A 60-minute massage starting after 09:00 and before 12:00 would run into the time off.
    assert not [time for time in after if "09:00" < time < "12:00"], after
    assert "14:00" in after
