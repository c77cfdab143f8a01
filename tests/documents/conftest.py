from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader

from documents.receipts import session_payment_record
from documents.services import Prescription, referral_record
from tests import factories
from tests.workspace.conftest import (  # noqa: F401  the role matrix's people and rows
    _frozen_time,
    clinic_admin,
    other_therapist,
    past_appointment,
    world,
)
from tests.workspace.data import NOW


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Scans go to a folder of the test's own, never the project's var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def pdf_text(body: bytes) -> str:
    """The PDF's words, one space between each, wherever its lines happened to wrap."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(body)).pages)


def png_bytes(size=(8, 8)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


# The smallest well-formed PDF: one empty page.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def record_referral(client, *, by, scan=None, written_on=None, weeks=8, **overrides):
    fields = {
        "doctor_name": "Dr Amara Lee",
        "practice": "Riverside Surgery",
        "written_on": written_on or (NOW - timedelta(days=10)).date(),
        "prescribes": Prescription(sessions=6, period_weeks=weeks),
        "notes": "L5 radiculopathy, please treat",
        "scan": scan,
    }
    fields.update(overrides)
    return referral_record(client=client, by=by, now=NOW, **fields)


def pay(appointment, *, by, amount="65.00", method="card"):
    return session_payment_record(
        appointment=appointment, amount=Decimal(amount), method=method, by=by, now=NOW
    )


def plan_with_sessions(**arguments):
    """A weekly plan (tests.factories.plan_with_sessions), its last session ending an hour ago."""
    return factories.plan_with_sessions(last_end=NOW - timedelta(hours=1), **arguments)


@pytest.fixture
def plan(world):  # noqa: F811  (the fixture imported above)
    """Sam Jones's plan with Maya Patel: 3 of 6 sessions done, 1 booked ahead."""
    return plan_with_sessions(
        client=world.client, therapist=world.therapist, service=world.service, completed=3, booked=1
    )
