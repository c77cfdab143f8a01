from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from bookings.models import Appointment
from bookings.screening import intake_record
from bookings.services import appointment_book
from care.models import PackagePurchase, Series, SeriesAppointment, TreatmentPlan
from care.services import package_sell
from documents.models import Letter, Receipt, Referral
from documents.receipts import receipt_correct, receipt_for_package, session_payment_record
from documents.services import Prescription, letter_issue, referral_record
from notifications.dispatch import messages_dispatch_due
from tests.factories import (
    AppointmentFactory,
    PackageFactory,
    TreatmentPlanFactory,
    UserFactory,
    answer_pre_visit_check,
    clear_answers,
    nothing_new,
)
from workspace.services import session_note_save

# Friday morning (London is on UTC in December); yesterday's session; today 14:00, inside the
# 24-hour cancellation window; Monday 10:00.
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
THURSDAY_10 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
FRIDAY_14 = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

INTAKE_DETAILS = {
    "pain_location": "Left buttock down to the calf",
    "health_history": "Slipped disc in 2019",
    "medications": "Ibuprofen when needed",
    "pressure_preference": "medium",
    "positioning": "side-lying",
    "areas_to_avoid": "Right knee",
    "goals": "Sit through a working day",
}
NOTE = {
    "client_reports": "Pain down the left leg after long drives.",
    "findings": "Tight left piriformis and glutes.",
    "techniques": ["trigger_point", "piriformis"],
    "pressure": "medium",
    "positioning": "side-lying",
    "areas_treated": "Left glutes, lower back",
    "pain_before": 6,
    "pain_after": 3,
    "plan": "Weekly for three weeks.",
    "home_care": "Piriformis stretch twice a day.",
}


@dataclass
class History:
    client: User
    past: Appointment  # completed yesterday, with a day-of check and a session note
    today: Appointment  # booked for 14:00 today, inside the cancellation window
    monday: Appointment  # booked for Monday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def client_with_history(therapist, service, *, later_by=timedelta(0), **user_fields) -> History:
    """A client with an intake, a session yesterday (day-of check, session note), two appointments
    to come, and their confirmations sent. Their appointments are `later_by` after the usual
    times, so that several clients fit one therapist's days. Call with the clock frozen at NOW."""
    client = UserFactory(phone="07700 900123", **user_fields)
    client.date_joined = client.last_login = NOW - timedelta(days=30)
    client.save()
    intake_record(
        client=client,
        answers=clear_answers(),
        consent=True,
        details=INTAKE_DETAILS,
        now=NOW - timedelta(days=10),
    )
    past = AppointmentFactory(
        client=client, therapist=therapist, service=service, start=THURSDAY_10 + later_by
    )
    answer_pre_visit_check(past)
    Appointment.objects.filter(pk=past.pk).update(status=Appointment.Status.COMPLETED)
    session_note_save(appointment=past, author=therapist.user, content=NOTE, now=NOW - timedelta(hours=20))
    today, monday = (
        appointment_book(
            client=client, therapist=therapist, service=service, start=start, red_flags=nothing_new()
        )
        for start in (FRIDAY_14 + later_by, MONDAY_10 + later_by)
    )
    messages_dispatch_due()
    return History(client=client, past=past, today=today, monday=monday)


@pytest.fixture
def history(clinic, therapist, service, frozen):
    return client_with_history(
        therapist, service, email="sam@example.com", first_name="Sam", last_name="Jones"
    )


@pytest.fixture
def signed_in(history):
    """The client's own browser, logged in."""
    browser = Client()
    browser.force_login(history.client)
    return browser


# --- A course of care and its paperwork (care, documents) -----------------------------------------

GOALS = ["Sit through a working day", "Walk the dog for 30 minutes"]
PLAN_SUMMARY = "Six weekly sessions to ease the pain down your left leg."
REFERRAL_NOTES = "L5 radiculopathy, please treat"
LETTER_SUMMARY = "Sam has responded well to deep tissue work; three more sessions recommended."


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Scans go to a folder of the test's own, never the project's var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def png_scan(width: int = 8) -> SimpleUploadedFile:
    """A PNG, a PNG by its content too (documents.scans); `width` tells one client's from another's."""
    out = BytesIO()
    Image.new("RGB", (width, 8), (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile("my-referral.png", out.getvalue(), content_type="image/png")


@dataclass
class CourseOfCare:
    plan: TreatmentPlan  # the client's active plan; its series holds their three appointments
    series: Series
    referral: Referral  # with a PNG scan in the private storage
    scan_bytes: bytes
    letter: Letter
    purchase: PackagePurchase  # sold today: it pays for today's and Monday's sessions
    session_receipt: Receipt  # for yesterday's session, void: corrected by `correction`
    correction: Receipt
    package_receipt: Receipt


def course_of_care(history: History, *, therapist, service, desk, scan_width: int = 8) -> CourseOfCare:
    """Give `history`'s client a plan with their appointments as its series, a referral with a
    scan, a progress letter, a package and receipts. Call with the clock frozen at NOW."""
    client = history.client
    plan = TreatmentPlanFactory(
        client=client,
        therapist=therapist,
        service=service,
        goals=GOALS,
        summary=PLAN_SUMMARY,
        written_at=NOW - timedelta(days=9),
    )
    series = Series.objects.create(client=client, plan=plan, booked_by=client, booked_at=plan.written_at)
    for appointment in (history.past, history.today, history.monday):
        SeriesAppointment.objects.create(series=series, appointment=appointment)
    scan = png_scan(scan_width)
    scan_bytes = scan.read()
    scan.seek(0)
    referral = referral_record(
        client=client,
        doctor_name="Dr Amara Lee",
        practice="Riverside Surgery",
        written_on=date(2026, 11, 20),
        prescribes=Prescription(sessions=6, period_weeks=8),
        notes=REFERRAL_NOTES,
        scan=scan,
        by=therapist.user,
        now=NOW - timedelta(days=8),
    )
    letter = letter_issue(
        plan=plan,
        summary=LETTER_SUMMARY,
        addressed_to="Dr Amara Lee, Riverside Surgery",
        by=therapist.user,
        now=NOW,
    )
    session_receipt = session_payment_record(
        appointment=history.past, amount=Decimal("60.00"), method="cash", by=desk, now=NOW
    )
    correction = receipt_correct(
        receipt=session_receipt,
        amount=Decimal("65.00"),
        method="card",
        reason="Wrong amount",
        by=desk,
        now=NOW,
    )
    package = PackageFactory(name="Five deep tissue", service=service, sessions=5, price=Decimal("300.00"))
    purchase = package_sell(
        client=client, package=package, payment_method="card", amount_paid=Decimal("300.00"), by=desk, now=NOW
    )
    package_receipt = receipt_for_package(purchase=purchase, by=desk, now=NOW)
    return CourseOfCare(
        plan=plan,
        series=series,
        referral=referral,
        scan_bytes=scan_bytes,
        letter=letter,
        purchase=purchase,
        session_receipt=session_receipt,
        correction=correction,
        package_receipt=package_receipt,
    )


@pytest.fixture
def care(history, therapist, service, front_desk_user):
    return course_of_care(history, therapist=therapist, service=service, desk=front_desk_user)
