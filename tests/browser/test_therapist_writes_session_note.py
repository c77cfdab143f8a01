"""A therapist, on a phone, reads a client's intake before the session and writes the session note."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Appointment
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
)
from workspace.models import SessionNote


def an_appointment_that_has_just_started() -> tuple[Appointment, date]:
    """Sam Jones (CAUTION: blood thinners) with Maya Patel, started 30 minutes ago; and its local date."""
    clinic = ClinicFactory()
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    therapist = TherapistFactory(
        services=[service], user__first_name="Maya", user__last_name="Patel", user__email="maya@example.com"
    )
    client = UserFactory(first_name="Sam", last_name="Jones")
    submit_intake(client, anticoagulants=True)  # CAUTION: C1, blood thinners
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    appointment = AppointmentFactory(client=client, therapist=therapist, service=service, start=start)
    return appointment, start.astimezone(clinic.tz).date()


def log_in(page: Page, email: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?{urlencode({'next': next_url})}")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def open_the_appointment_from_the_agenda(page: Page, client_name: str) -> None:
    expect(page.get_by_role("heading", name="My agenda")).to_be_visible()
    page.get_by_role("link", name=client_name).first.click()
    expect(page.get_by_role("heading", name=client_name)).to_be_visible()


def write_the_session_note(page: Page) -> None:
    form = page.locator("#session-note-form")
    form.get_by_label("What the client reports").fill("Left leg pain after long drives.")
    form.get_by_label("What you found").fill("Tight left piriformis.")
    form.get_by_label("Trigger point").check()
    form.get_by_label("Piriformis work").check()
    form.get_by_label("Areas treated").fill("Left glutes")
    form.get_by_label("Pain before (0 to 10)").fill("6")
    form.get_by_label("Pain after (0 to 10)").fill("3")
    form.get_by_label("Home-care advice").fill("Piriformis stretch twice a day.")
    form.get_by_role("button", name="Save the session note").click()


@pytest.mark.browser
def test_a_therapist_reads_the_intake_and_writes_a_session_note(page: Page):
    appointment, day = an_appointment_that_has_just_started()

    log_in(page, "maya@example.com", f"/staff/agenda/?date={day:%Y-%m-%d}")
    open_the_appointment_from_the_agenda(page, "Sam Jones")

    intake = page.locator("#intake")
    expect(intake).to_contain_text("Caution: see reasons")
    expect(intake).to_contain_text("Takes blood thinners")
    expect(intake).to_contain_text("No forceful or deep-tissue pressure; watch for bruising.")

    write_the_session_note(page)

    expect(page.get_by_text("Session note saved.")).to_be_visible()
    saved = page.locator(".saved-note")
    expect(saved).to_contain_text("Tight left piriformis.")
    expect(saved).to_contain_text("Trigger point, Piriformis work")
    expect(saved).to_contain_text("6/10 before → 3/10 after")
    note = SessionNote.objects.get(appointment=appointment)
    assert (note.pain_before, note.pain_after, note.revisions.count()) == (6, 3, 1)
