"""Documents in the JSON API v1: list a client's letters and receipts, download them, and the
staff's list of a client's referrals.

The same rules as the pages (documents.access): a client reads their own; staff name the client
with `?client=` and get what their role may see (the front desk: receipts only); anything else
is 404. A staff member's read of a letter or a referral is kept on record, as on the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from accounts.api import ErrorOut, FieldErrorsOut
from accounts.models import User
from privacy.access import clients_visible_to
from privacy.models import AccessRecord
from privacy.services import ClinicalRead, access_records_write

from .access import is_the_client, sees_clinical_documents, sees_receipts
from .models import Receipt, Referral
from .selectors import letter_issued, letters_of, receipts_of
from .views import attachment
from .views.downloads import receipt_download_response

router = Router(tags=["documents"], auth=django_auth)

PDF_ANSWER = {
    "responses": {
        200: {
            "description": "The PDF, as a file to save (Content-Disposition: attachment).",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
MAX_ID = 2**63 - 1  # the largest primary key: a bigger number names nothing


class ClientQuery(Schema):
    client: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Staff only: the client whose documents to list. A client leaves it out (or "
        "gives their own id).",
    )


class LetterOut(Schema):
    id: int
    issued_at: datetime
    addressed_to: str
    plan: int = Field(description="The treatment plan the letter reports on.")
    download: str = Field(description="The path of the PDF.")


class ReceiptOut(Schema):
    id: int
    number: str = Field(examples=["R-000123"])
    issued_at: datetime
    amount: Decimal
    payment_method: str
    appointment: int | None = Field(description="The paid session, or null for a package.")
    package_purchase: int | None
    void: bool = Field(description="true: a correction replaced it (`replaced_by`).")
    replaced_by: str | None
    corrects: str | None = Field(description="The receipt this one voids, if it is a correction.")
    download: str


class DocumentsOut(Schema):
    letters: list[LetterOut] = Field(description="Empty for staff who may not read clinical documents.")
    receipts: list[ReceiptOut]


class ReferralOut(Schema):
    id: int
    client: int
    doctor_name: str
    practice: str
    written_on: date
    sessions: int
    period_weeks: int | None
    valid_until: date | None
    ends_on: date
    notes: str
    has_scan: bool


@router.get(
    "",
    response={200: DocumentsOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Letters and receipts",
)
def documents_list(request: HttpRequest, query: Query[ClientQuery]) -> DocumentsOut:
    """The signed-in client's own letters and receipts, newest first; or, for staff, those of
    `?client=` that their role may see."""
    client = _client_for(request, query.client)
    mine = is_the_client(request.user, client)
    letters = list(letters_of(client)) if mine or sees_clinical_documents(request.user, client) else []
    # _client_for answered sees_receipts: the caller, or a client whose page the caller may open.
    receipts = list(receipts_of(client))
    if letters and not mine:
        _keep_read(request, client, AccessRecord.What.LETTER)
    return DocumentsOut(
        letters=[
            LetterOut(
                id=letter.pk,
                issued_at=letter.issued_at,
                addressed_to=letter.addressed_to,
                plan=letter.plan_id,
                download=reverse("api-v1:letter_pdf", args=[letter.pk]),
            )
            for letter in letters
        ],
        receipts=[_receipt_out(receipt) for receipt in receipts],
    )


@router.get(
    "/letters/{int:letter_id}.pdf",
    response={401: ErrorOut, 404: ErrorOut},
    summary="Download a progress letter",
    openapi_extra=PDF_ANSWER,
    url_name="letter_pdf",
)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_issued(letter_id)
    _clinical_read_or_404(request, letter.client, AccessRecord.What.LETTER)
    return attachment(bytes(letter.pdf), content_type="application/pdf", file_name=letter.file_name)


@router.get(
    "/receipts/{int:receipt_id}.pdf",
    response={401: ErrorOut, 404: ErrorOut},
    summary="Download a receipt",
    openapi_extra=PDF_ANSWER,
    url_name="receipt_pdf",
)
def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt.objects.select_related("client"), pk=receipt_id)
    if not (is_the_client(request.user, receipt.client) or sees_receipts(request.user, receipt.client)):
        raise Http404
    return receipt_download_response(receipt)


@router.get(
    "/referrals",
    response={200: list[ReferralOut], 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Referrals from doctors",
)
def referrals_list(request: HttpRequest, query: Query[ClientQuery]) -> list[ReferralOut]:
    """For staff who may read the client's clinical record (their therapists, admins), the
    referrals of `?client=`, newest first; a client gets their own."""
    client = _client_for(request, query.client)
    _clinical_read_or_404(request, client, AccessRecord.What.REFERRAL)
    return [
        ReferralOut(
            id=referral.pk,
            client=referral.client_id,
            doctor_name=referral.doctor_name,
            practice=referral.practice,
            written_on=referral.written_on,
            sessions=referral.sessions,
            period_weeks=referral.period_weeks,
            valid_until=referral.valid_until,
            ends_on=referral.ends_on,
            notes=referral.notes,
            has_scan=bool(referral.scan),
        )
        for referral in Referral.objects.filter(client=client)
    ]


def _client_for(request: HttpRequest, client_id: int | None) -> User:
    """The caller, or the client `client_id` names if the caller may open their record at all."""
    user = cast(User, request.user)  # django_auth lets nobody else this far
    if client_id is None or client_id == user.pk:
        return user
    found = clients_visible_to(user).filter(pk=client_id).first()
    if found is None:
        raise Http404
    return found


def _clinical_read_or_404(request: HttpRequest, client: User, what: str) -> None:
    if is_the_client(request.user, client):
        return
    if not sees_clinical_documents(request.user, client):
        raise Http404
    _keep_read(request, client, what)


def _keep_read(request: HttpRequest, client: User, what: str) -> None:
    access_records_write(
        viewer=cast(User, request.user),
        reads=[ClinicalRead(client_id=client.pk, what=(what,))],
        path=request.get_full_path(),
    )


def _receipt_out(receipt: Receipt) -> ReceiptOut:
    return ReceiptOut(
        id=receipt.pk,
        number=receipt.display_number,
        issued_at=receipt.issued_at,
        amount=receipt.amount,
        payment_method=receipt.payment_method,
        appointment=receipt.appointment_id,
        package_purchase=receipt.package_purchase_id,
        void=receipt.is_void,
        replaced_by=receipt.corrected_by.display_number if receipt.is_void else None,
        corrects=receipt.void_of.display_number if receipt.void_of else None,
        download=reverse("api-v1:receipt_pdf", args=[receipt.pk]),
    )
