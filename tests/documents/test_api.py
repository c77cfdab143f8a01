"""Documents in the JSON API: the same rules and error shape as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Letter
from documents.receipts import receipt_correct
from privacy.models import AccessRecord
from tests.workspace.data import NOW

from .conftest import PDF_BYTES, pay, pdf_text, record_referral


@pytest.fixture
def letter(world, plan):
    from documents.services import letter_issue

    return letter_issue(
        plan=plan, summary="Going well.", addressed_to="Dr Lee", by=world.therapist.user, now=NOW
    )


def test_a_client_lists_their_letters_and_receipts_with_their_download_paths(
    client, world, letter, front_desk_user
):
    from decimal import Decimal

    old = pay(world.appointment, by=front_desk_user)
    correction = receipt_correct(
        receipt=old, amount=Decimal("60.00"), method="cash", reason="Discount", by=front_desk_user, now=NOW
    )
    client.force_login(world.client)

    listed = client.get("/api/v1/documents").json()

    assert listed["letters"] == [
        {
            "id": letter.pk,
            "issued_at": "2026-12-04T09:00:00Z",
            "addressed_to": "Dr Lee",
            "plan": letter.plan_id,
            "download": f"/api/v1/documents/letters/{letter.pk}.pdf",
        }
    ]
    assert [
        (r["number"], r["void"], r["replaced_by"], r["corrects"], r["amount"]) for r in listed["receipts"]
    ] == [
        ("R-000002", False, None, "R-000001", "60.00"),
        ("R-000001", True, "R-000002", None, "65.00"),
    ]
    assert listed["receipts"][0]["download"] == f"/api/v1/documents/receipts/{correction.pk}.pdf"


def test_the_api_downloads_are_the_pages_pdfs(client, world, letter, front_desk_user):
    receipt = pay(world.appointment, by=front_desk_user)
    client.force_login(world.client)

    letter_response = client.get(f"/api/v1/documents/letters/{letter.pk}.pdf")
    receipt_response = client.get(f"/api/v1/documents/receipts/{receipt.pk}.pdf")

    assert letter_response.status_code == receipt_response.status_code == 200
    assert letter_response.content == bytes(Letter.objects.get().pdf)
    assert letter_response["X-Content-Type-Options"] == "nosniff"
    assert receipt_response["Content-Disposition"] == 'attachment; filename="receipt-R-000001.pdf"'
    assert "R-000001" in pdf_text(receipt_response.content)


def test_a_therapist_reading_a_clients_letter_and_referrals_in_the_api_is_on_record(client, world, letter):
    record_referral(
        world.client,
        by=world.therapist.user,
        scan=SimpleUploadedFile("r.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    client.force_login(world.therapist.user)

    listed = client.get("/api/v1/documents", {"client": world.client.pk}).json()
    client.get(f"/api/v1/documents/letters/{letter.pk}.pdf")
    referrals = client.get("/api/v1/documents/referrals", {"client": world.client.pk}).json()

    assert [each["id"] for each in listed["letters"]] == [letter.pk]
    assert referrals == [
        {
            "id": referrals[0]["id"],
            "client": world.client.pk,
            "doctor_name": "Dr Amara Lee",
            "practice": "Riverside Surgery",
            "written_on": "2026-11-24",
            "sessions": 6,
            "period_weeks": 8,
            "valid_until": None,
            "ends_on": "2027-01-19",
            "notes": "L5 radiculopathy, please treat",
            "has_scan": True,
        }
    ]
    assert sorted(AccessRecord.objects.values_list("viewer", "client", "what")) == [
        (world.therapist.user.pk, world.client.pk, "letter"),
        (world.therapist.user.pk, world.client.pk, "letter"),
        (world.therapist.user.pk, world.client.pk, "referral"),
    ]


def test_a_clients_own_reads_in_the_api_are_not_staff_reads(client, world, letter):
    record_referral(world.client, by=world.therapist.user)
    client.force_login(world.client)

    assert client.get("/api/v1/documents").status_code == 200
    assert client.get(f"/api/v1/documents/letters/{letter.pk}.pdf").status_code == 200
    assert len(client.get("/api/v1/documents/referrals").json()) == 1
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/v1/documents?client=abc", 422, "client: Input should be a valid integer"),
        ("/api/v1/documents?client=0", 422, "client: Input should be greater than or equal to 1"),
        ("/api/v1/documents?client=99999999999999999999", 422, "client: Input should be less than or equal"),
        ("/api/v1/documents/letters/abc.pdf", 404, "Not found."),
        ("/api/v1/documents/receipts/12", 404, "Not found."),
    ],
)
def test_bad_input_is_json_with_a_detail(client, world, path, status, detail):
    client.force_login(world.client)

    response = client.get(path)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)


def test_signed_out_the_api_answers_401_in_json(client, world):
    response = client.get("/api/v1/documents")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_documents_api_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths) >= {
        "/api/v1/documents",
        "/api/v1/documents/letters/{letter_id}.pdf",
        "/api/v1/documents/receipts/{receipt_id}.pdf",
        "/api/v1/documents/referrals",
    }
    pdf = paths["/api/v1/documents/receipts/{receipt_id}.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
