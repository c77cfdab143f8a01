"""Downloads of a letter, a receipt or a referral's scan, for the client and the staff alike.

Each asks the privacy rules (documents.access) about the document's client: the client
themself, or staff allowed to see it; anyone else gets 404, whatever the id. A staff member's
download of a letter or a scan is a read of clinical data, kept on record (privacy.records).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.models import User
from privacy.models import AccessRecord
from privacy.records import clinical_page, clinical_read

from ..access import is_the_client, sees_clinical_documents, sees_receipts
from ..models import Receipt, Referral
from ..pdf import receipt_pdf
from ..selectors import letter_issued, referral_scan_bytes
from . import attachment


@login_required
@clinical_page
@require_GET
def letter_download(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_issued(letter_id)
    _clinical_read_or_404(request, letter.client, AccessRecord.What.LETTER)
    return attachment(bytes(letter.pdf), content_type="application/pdf", file_name=letter.file_name)


@login_required
@clinical_page
@require_GET
def referral_scan(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.select_related("client"), pk=referral_id)
    if not referral.scan:
        raise Http404
    _clinical_read_or_404(request, referral.client, AccessRecord.What.REFERRAL)
    body = referral_scan_bytes(referral)
    if body is None:
        raise Http404
    return attachment(body, content_type=referral.scan_content_type, file_name=referral.scan_file_name)


@login_required
@require_GET
def receipt_download(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt.objects.select_related("client"), pk=receipt_id)
    if not (is_the_client(request.user, receipt.client) or sees_receipts(request.user, receipt.client)):
        raise Http404
    return receipt_download_response(receipt)


def receipt_download_response(receipt: Receipt) -> HttpResponse:
    """The receipt's PDF, drawn from its snapshot (the page and the API answer the same)."""
    corrected_by = receipt.corrected_by.display_number if receipt.is_void else ""
    body = receipt_pdf(receipt.content, voided_by=corrected_by, issued_at=receipt.issued_at)
    return attachment(body, content_type="application/pdf", file_name=receipt.file_name)


def _clinical_read_or_404(request: HttpRequest, client: User, what: str) -> None:
    if is_the_client(request.user, client):
        clinical_read(request, clients=[], what=[what])  # the client's own: not a staff read
    elif sees_clinical_documents(request.user, client):
        clinical_read(request, clients=[client], what=[what])
    else:
        raise Http404
