"""A therapist starts the day on their agenda, reads the client's intake, asks the day-of health
check, writes the session note and marks the session completed."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Appointment, Clinic, PreVisitCheck
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
)
from workspace.models import SessionNote

from .conftest import Journey
from .steps import answer_nothing_new, log_in

pytestmark = pytest.mark.browser


def half_an_hour_ago_today(clinic: Clinic) -> datetime:
    """Half an hour ago, or midnight if that was yesterday: on today's agenda either way."""
    now = timezone.now().astimezone(clinic.tz).replace(second=0, microsecond=0)
    return max(now - timedelta(minutes=30), now.replace(hour=0, minute=0))


def test_a_therapist_reads_the_intake_asks_the_day_of_check_and_writes_the_note(journey: Journey):
    clinic = ClinicFactory()
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    maya = TherapistFactory(
        services=[service], user__first_name="Maya", user__last_name="Patel", user__email="maya@example.com"
    )
    sam = UserFactory(first_name="Sam", last_name="Jones")
    submit_intake(sam, anticoagulants=True, at=timezone.now() - timedelta(days=7))  # CAUTION: C1
    appointment = AppointmentFactory(
        client=sam, therapist=maya, service=service, start=half_an_hour_ago_today(clinic)
    )
    page = journey.person()

    log_in(journey, page, "maya@example.com")
    expect(page.get_by_role("heading", name="My agenda")).to_be_visible()
    journey.step(page, "agenda")
    page.get_by_role("link", name="Sam Jones").first.click()

    expect(page.get_by_role("heading", name="Sam Jones")).to_be_visible()
    intake = page.get_by_role("region", name="Intake")
    expect(intake).to_contain_text("Takes blood thinners")
    expect(intake).to_contain_text("No forceful or deep-tissue pressure; watch for bruising.")
    day_of_check = page.get_by_role("region", name="Day-of health check")
    expect(day_of_check).to_contain_text("Not answered today. Ask the client before the session.")
    expect(day_of_check).to_contain_text("Ask the client the day-of health check before the session")
    expect(page.get_by_role("button", name="Mark completed")).to_have_count(0)
    journey.step(page, "appointment")
    answer_nothing_new(day_of_check)
    day_of_check.get_by_role("button", name="Record the answers").click()

    expect(page.get_by_role("alert")).to_contain_text("Day-of health check recorded.")
    expect(day_of_check).to_contain_text("with Maya Patel: nothing new.")
    journey.step(page, "day-of-check-answered")
    note = page.get_by_role("region", name="Session note")
    note.get_by_label("What the client reports").fill("Left leg pain after long drives.")
    note.get_by_label("What you found").fill("Tight left piriformis.")
    note.get_by_label("Piriformis work").check()
    note.get_by_label("Pain before (0 to 10)").fill("6")
    note.get_by_label("Pain after (0 to 10)").fill("3")
    note.get_by_label("Home-care advice").fill("Piriformis stretch twice a day.")
    note.get_by_role("button", name="Save the session note").click()

    expect(page.get_by_role("alert")).to_contain_text("Session note saved.")
    expect(note).to_contain_text("6/10 before → 3/10 after")
    journey.step(page, "note-saved")
    page.get_by_role("button", name="Mark completed").click()

    expect(page.get_by_role("alert")).to_contain_text("Sam Jones marked as completed.")
    expect(page.get_by_role("main").get_by_text("Completed", exact=True)).to_be_visible()
    journey.step(page, "completed")

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    assert not PreVisitCheck.objects.get(appointment=appointment).stops_session
    assert SessionNote.objects.get(appointment=appointment).pain_after == 3
