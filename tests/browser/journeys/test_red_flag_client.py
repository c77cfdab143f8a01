"""A client with a red flag tries to book: the intake sends them for medical help, and the booking
pages then offer advice instead of times."""

import pytest
from playwright.sync_api import expect

from bookings.models import Appointment
from intake.models import Intake
from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory, UserFactory

from .conftest import Journey
from .steps import A_TIME, answer_the_intake, free_times, log_in, weekday_ahead

pytestmark = pytest.mark.browser


def test_a_client_with_a_red_flag_is_sent_for_medical_help_and_offered_no_times(journey: Journey):
    clinic = ClinicFactory(emergency_number="999")
    service = ServiceFactory(name="Deep tissue")
    TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")
    jo = UserFactory(email="jo@example.com", first_name="Jo")  # an account, no intake yet
    day = weekday_ahead(clinic)
    page = journey.person()

    log_in(journey, page, jo.email)
    expect(page.get_by_role("heading", name="Book a massage")).to_be_visible()
    journey.step(page, "home")
    page.goto(f"/book/?service={service.pk}&therapist=any&date={day:%Y-%m-%d}")
    assert "10:00" in free_times(page, day)
    journey.step(page, "free-times")
    page.get_by_role("link", name="10:00", exact=True).click()

    expect(page.get_by_role("heading", name="Your health questionnaire")).to_be_visible()
    journey.step(page, "intake")
    answer_the_intake(page, saddle_numbness=True)
    page.get_by_role("button", name="Send my answers").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Please get medical help now")).to_be_visible()
    expect(alert).to_contain_text("Go to A&E now or call 999")
    expect(alert.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.locator("a[href*='/book']")).to_have_count(0)  # no way on to a booking
    journey.step(page, "get-medical-help")

    page.goto(f"/book/?service={service.pk}&therapist=any&date={day:%Y-%m-%d}")
    expect(page.get_by_role("heading", name="Online booking is paused for you")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Go to A&E now or call 999")
    expect(page.get_by_role("link", name=A_TIME)).to_have_count(0)
    expect(page.get_by_role("button", name="Show free times")).to_have_count(0)
    journey.step(page, "book-paused")

    assert Intake.objects.get(client=jo).outcome == "EMERGENCY"
    assert not Appointment.objects.filter(client=jo).exists()
