"""In Chromium, at phone size: a therapist records a referral with its scan, the front desk takes
a payment, and the client downloads the receipt from "My documents". Every page is checked with
axe-core (tests/browser/axe.py)."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from documents.models import Receipt, Referral
from tests.browser.axe import assert_no_serious_violations, axe_add, serious_violations
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    ClinicFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
)

from .conftest import PDF_BYTES, pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture
def _frozen_time():
    """The live server runs on the real clock here (this replaces tests/documents' frozen one)."""
    yield


def log_in(tab: Page, email: str, next_url: str) -> None:
    tab.goto(f"/accounts/login/?{urlencode({'next': next_url})}")
    tab.locator("#id_username").fill(email)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


def log_out(tab: Page) -> None:
    tab.context.clear_cookies()


def checked(tab: Page, found: list[str]) -> None:
    found += serious_violations(tab)


def test_a_referral_a_payment_and_the_receipt_downloaded_by_the_client(page: Page, tmp_path):  # noqa: F811
    axe_add(page.context)
    ClinicFactory(address="12 River Lane\nLondon")
    service = ServiceFactory(name="Deep tissue", duration_minutes=60)
    therapist = TherapistFactory(
        services=[service],
        user__first_name="Maya",
        user__last_name="Patel",
        user__email="maya@example.com",
        registration_number="CNHC 012345",
    )
    sam = UserFactory(first_name="Sam", last_name="Jones", email="sam@example.com")
    submit_intake(sam)
    AppointmentFactory(
        client=sam,
        therapist=therapist,
        service=service,
        start=timezone.now().replace(microsecond=0) - timedelta(days=1),
    )
    UserFactory(email="desk@example.com", first_name="Frankie", is_staff=True).groups.create(
        name="Front desk"
    )
    scan = tmp_path / "referral.pdf"
    scan.write_bytes(PDF_BYTES)
    violations: list[str] = []

    # The therapist records the referral from the client's page.
    log_in(page, "maya@example.com", f"/staff/clients/{sam.pk}/")
    expect(page.get_by_role("heading", name="Sam Jones", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record a referral").click()
    checked(page, violations)
    page.get_by_label("Doctor").fill("Dr Amara Lee")
    page.get_by_label("Practice or hospital").fill("Riverside Surgery")
    page.get_by_label("Date written").fill(f"{timezone.localdate() - timedelta(days=7):%Y-%m-%d}")
    page.get_by_label("Sessions prescribed").fill("6")
    page.get_by_label("Over how many weeks").fill("8")
    page.get_by_label("Scan or photo of the referral").set_input_files(str(scan))
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_text("Referral recorded.")).to_be_visible()
    checked(page, violations)
    assert Referral.objects.get().scan_content_type == "application/pdf"
    log_out(page)

    # The front desk takes the payment.
    log_in(page, "desk@example.com", f"/staff/clients/{sam.pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", name="Documents: Sam Jones")).to_be_visible()
    expect(page.get_by_text("Dr Amara Lee")).to_have_count(0)  # clinical: not for the desk
    checked(page, violations)
    page.get_by_role("link", name="Record payment for").click()
    checked(page, violations)
    page.get_by_label("Card").check()
    page.get_by_role("button", name="Record payment and issue receipt").click()
    expect(page.get_by_text("Payment recorded: receipt R-000001 issued.")).to_be_visible()
    log_out(page)

    # The client downloads it from My documents.
    log_in(page, "sam@example.com", "/appointments/")
    page.get_by_role("link", name="My documents").click()
    expect(page.get_by_role("heading", name="My documents")).to_be_visible()
    checked(page, violations)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download receipt R-000001 (PDF)").click()
    body = download.value.path().read_bytes()

    assert download.value.suggested_filename == "receipt-R-000001.pdf"
    text = pdf_text(body)
    for expected in ("Receipt R-000001", "Sam Jones", "Maya Patel", "CNHC 012345", "Dr Amara Lee", "£65.00"):
        assert expected in text, expected
    assert Receipt.objects.count() == 1
    assert_no_serious_violations(violations)
