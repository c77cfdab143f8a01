"""A course of care: after the assessment the therapist writes a treatment plan, the client books
its four weekly sessions in one step, answers the re-assessment link emailed after the second
session, and downloads the receipt of a session from My documents."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from accounts.models import User
from accounts.roles import FRONT_DESK_GROUP
from bookings.models import Appointment, Clinic
from care.models import Series, TreatmentPlan
from documents.models import Receipt
from documents.receipts import session_payment_record
from notifications.models import Message
from outcomes.models import OutcomeResponse
from outcomes.services import reassessments_queue
from tests.factories import (
    AppointmentFactory,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
)

from .conftest import Journey
from .steps import answer_nothing_new, at, log_in, long_date, menu_link, staff_member, weekday_ahead

pytestmark = pytest.mark.browser

GOALS = ["Sit through a work meeting", "Walk the dog for 30 minutes"]
SUMMARY = "Four weekly sessions to ease the pain down your left leg, then we look at how far you've come."


def sam_assessed_by_maya() -> tuple[Clinic, User]:
    """Sam filled in a clear intake three weeks ago and had his assessment with Maya then: a
    therapist sees the clients who have an appointment with her (privacy.access)."""
    clinic = ClinicFactory()
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    maya = TherapistFactory(
        services=[service], user__first_name="Maya", user__last_name="Patel", user__email="maya@example.com"
    )
    sam = UserFactory(first_name="Sam", last_name="Jones", email="sam@example.com")
    three_weeks_ago = timezone.localdate(timezone=clinic.tz) - timedelta(weeks=3)
    submit_intake(sam, at=at(clinic, three_weeks_ago, 9))
    AppointmentFactory(
        client=sam,
        therapist=maya,
        service=service,
        start=at(clinic, three_weeks_ago, 10),
        status=Appointment.Status.COMPLETED,
    )
    return clinic, sam


def maya_writes_the_plan(journey: Journey, page: Page) -> None:
    log_in(journey, page, "maya@example.com", step="therapist-log-in")
    expect(page.get_by_role("heading", name="My agenda")).to_be_visible()
    journey.step(page, "therapist-agenda")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Clients", exact=True).click()
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    journey.step(page, "therapist-clients")
    page.get_by_role("link", name=re.compile(r"^Sam Jones")).click()
    expect(page.get_by_role("heading", name="Sam Jones", exact=True)).to_be_visible()
    journey.step(page, "therapist-client")
    page.get_by_role("link", name="Write a treatment plan").click()

    expect(page.get_by_role("heading", name="Write a treatment plan for Sam Jones")).to_be_visible()
    journey.step(page, "write-plan")
    page.get_by_label("Treatment").select_option(label="Deep tissue (60 min)")
    page.get_by_label("Goals, in the client's words").fill("\n".join(GOALS))
    page.get_by_label("Number of sessions").fill("4")
    page.get_by_label("Weekly", exact=True).check()
    page.get_by_label("Re-assess every (sessions)").fill("2")
    page.get_by_label("Summary for the client").fill(SUMMARY)
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_role("alert")).to_contain_text("Plan saved for Sam Jones.")
    expect(page.get_by_role("main")).to_contain_text("4 × Deep tissue with Maya Patel, weekly")
    goals = page.get_by_role("region", name="Goals")
    for goal in GOALS:
        expect(goals.get_by_role("listitem").filter(has_text=goal)).to_be_visible()
    expect(goals).to_contain_text(SUMMARY)
    journey.step(page, "plan-saved")


def sam_books_the_sessions(journey: Journey, page: Page, day: date) -> None:
    """From My appointments to the plan, then the first session at 10:00 on `day` and the other
    three on the same weekday and time, each shown before anything is booked."""
    log_in(journey, page, "sam@example.com", next_url=reverse("my_appointments"), step="client-log-in")
    expect(page.get_by_role("heading", name="My appointments")).to_be_visible()
    journey.step(page, "my-appointments")
    page.get_by_role("link", name="My treatment plan").click()

    expect(page.get_by_role("heading", name="My treatment plan")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("4 sessions of Deep tissue with Maya Patel")
    expect(main).to_contain_text(SUMMARY)
    for goal in GOALS:
        expect(main.get_by_role("listitem").filter(has_text=goal)).to_be_visible()
    journey.step(page, "my-plan")
    page.get_by_role("link", name="Book my sessions").click()

    expect(page.get_by_role("heading", name="Book my sessions")).to_be_visible()
    journey.step(page, "first-session")
    page.get_by_label("Day of the first session").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", name=long_date(day))).to_be_visible()
    journey.step(page, "first-session-times")
    page.get_by_role("link", name="10:00", exact=True).click()

    for number in range(1, 5):
        when = dateformat.format(day + timedelta(weeks=number - 1), "D j M")
        expect(page.get_by_role("group", name=f"Session {number}: {when}, 10:00 Free")).to_be_visible()
    # The intake is three weeks old: the red-flag questions are asked again, once for the series.
    check = page.get_by_role("group", name="Since your intake, have you had any of these?")
    journey.step(page, "preview")
    answer_nothing_new(check)
    page.get_by_role("button", name="Confirm and book these sessions").click()

    expect(page.get_by_role("alert")).to_contain_text("Booked 4 sessions of Deep tissue with Maya Patel.")
    expect(main.get_by_role("listitem").filter(has_text="with Maya Patel")).to_have_count(4)
    journey.step(page, "sessions-booked")


def two_weeks_on(clinic: Clinic, sessions: list[Appointment]) -> None:
    """The live server keeps the real clock, so time passes in the data instead: the first two
    sessions move two weeks back, to days now past, and are completed."""
    for appointment in sessions[:2]:
        local = appointment.start.astimezone(clinic.tz)
        start = at(clinic, local.date() - timedelta(weeks=2), local.hour, local.minute)
        Appointment.objects.filter(pk=appointment.pk).update(
            start=start,
            end=start + appointment.service.duration,
            blocked_until=start + appointment.service.duration + appointment.service.buffer_after,
            status=Appointment.Status.COMPLETED,
        )


def rate(question: Locator, point: str) -> None:
    """Choose `point` on a questionnaire's scale: each radio is hidden behind its label, drawn as
    a button, so a finger or a mouse presses the label."""
    question.get_by_text(point, exact=True).click()
    expect(question.get_by_label(point, exact=True)).to_be_checked()


def sam_answers_the_reassessment(journey: Journey, link: str) -> None:
    """From the email's link, in a browser that is not logged in: the link is the key."""
    page = journey.person()
    page.goto(link)
    expect(page.get_by_role("heading", name="After 2 sessions: how are you doing?")).to_be_visible()
    journey.step(page, "reassessment")
    bothersomeness = page.get_by_role("region", name="Sciatica Bothersomeness Index")
    for question, answer in (
        ("Leg pain", "3"),
        ("Numbness or tingling in the leg or foot", "2"),
        ("Weakness in the leg or foot", "0"),
        ("Back or leg pain when sitting", "2"),
    ):
        rate(bothersomeness.get_by_role("group", name=question, exact=True), answer)
    activities = page.get_by_role("region", name="Patient-Specific Functional Scale")
    activities.get_by_label("Activity 1", exact=True).fill("Sit through a work meeting")
    rate(activities.get_by_role("group", name="Activity 1: how well can you do it today?"), "6")
    pain = page.get_by_role("region", name="Pain rating (0-10)")
    rate(pain.get_by_role("group", name="Your pain today"), "3")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Your therapist will go through your answers with you")
    journey.step(page, "reassessment-sent")


def sam_downloads_the_receipt(journey: Journey, page: Page, receipt: Receipt) -> bytes:
    menu_link(page, "My appointments").click()
    expect(page.get_by_role("heading", name="My appointments")).to_be_visible()
    journey.step(page, "my-appointments-later")
    page.get_by_role("main").get_by_role("link", name="My documents").click()

    expect(page.get_by_role("heading", name="My documents")).to_be_visible()
    expect(page.get_by_role("region", name="Receipts")).to_contain_text(f"{receipt.display_number} · £65.00")
    journey.step(page, "my-documents")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download receipt {receipt.display_number} (PDF)").click()
    return Path(download.value.path()).read_bytes()


def test_a_therapist_writes_a_plan_the_client_books_it_is_reassessed_and_gets_a_receipt(journey: Journey):
    clinic, sam = sam_assessed_by_maya()
    day = weekday_ahead(clinic, days=3)
    therapist, client = journey.person(), journey.person()

    maya_writes_the_plan(journey, therapist)
    plan = TreatmentPlan.objects.get(client=sam)
    assert (plan.sessions_planned, plan.frequency, plan.reassess_every_sessions) == (4, "weekly", 2)
    assert plan.goals == GOALS

    sam_books_the_sessions(journey, client, day)
    (series,) = Series.objects.filter(plan=plan)
    sessions = list(series.appointments.order_by("start"))
    assert [s.start for s in sessions] == [at(clinic, day + timedelta(weeks=n), 10) for n in range(4)]
    assert {s.status for s in sessions} == {Appointment.Status.BOOKED}

    two_weeks_on(clinic, sessions)
    assert reassessments_queue() == 1  # what beat runs: the plan's point after 2 of its 4 sessions
    reassessment = Message.objects.get(recipient=sam, kind=Message.Kind.REASSESSMENT)
    sam_answers_the_reassessment(journey, reassessment.link)
    answered = OutcomeResponse.objects.filter(client=sam, plan=plan, occasion="reassessment")
    assert {(r.measure, r.score) for r in answered} == {("sbi", 7), ("psfs", 6), ("pain", 3)}

    # Paid at the desk: the desk's "Record payment" page issues the receipt through this service.
    desk = staff_member(FRONT_DESK_GROUP, email="desk@example.com")
    receipt = session_payment_record(
        appointment=sessions[0],
        amount=Decimal("65.00"),
        method=Receipt.PaymentMethod.CARD,
        by=desk,
        now=timezone.now(),
    )
    pdf = sam_downloads_the_receipt(journey, client, receipt)
    assert pdf.startswith(b"%PDF")
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(BytesIO(pdf)).pages)
    assert receipt.display_number in text
    assert clinic.name in text
