"""The client's paperwork in their export: referrals with their scans, progress letters with
their PDFs (both inline, data_rights.export_format), and receipts with what each says as issued.

A receipt's PDF is drawn from its snapshot on each download, so the snapshot is the receipt: it
goes in as it is, and the PDF stays a download from "My documents".
"""

from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import User
from documents.models import Letter, Receipt, Referral
from documents.selectors import referral_scan_bytes

from .export_format import attached_file, iso_day, local_time, money, who

SCAN_UNREADABLE = "The clinic has this scan on record but could not read its file: ask the clinic for a copy."


def document_sections(client: User, *, tz: ZoneInfo) -> dict[str, Any]:
    referrals = Referral.objects.filter(client=client).order_by("written_on", "pk")
    letters = Letter.objects.filter(client=client).select_related("plan__service").order_by("issued_at", "pk")
    receipts = (
        Receipt.objects.filter(client=client).select_related("void_of", "corrected_by").order_by("number")
    )
    return {
        "referrals": [_referral(referral, client=client, tz=tz) for referral in referrals],
        "progress_letters": [_letter(letter, tz=tz) for letter in letters],
        "receipts": [_receipt(receipt, tz=tz) for receipt in receipts],
    }


def _referral(referral: Referral, *, client: User, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "doctor": referral.doctor_name,
        "practice": referral.practice,
        "written_on": iso_day(referral.written_on),
        "sessions_prescribed": referral.sessions,
        # One or the other, as the doctor wrote it; "ends_on" either way.
        "period_weeks": referral.period_weeks,
        "valid_until": iso_day(referral.valid_until),
        "ends_on": iso_day(referral.ends_on),
        "what_it_says": referral.notes,
        "recorded_at": local_time(referral.recorded_at, tz),
        "recorded_by": who(referral.recorded_by_id, client),
        "scan": _scan(referral),
    }


def _scan(referral: Referral) -> dict[str, Any] | None:
    if not referral.scan:
        return None
    body = referral_scan_bytes(referral)
    file_name, content_type = referral.scan_file_name, referral.scan_content_type
    if body is None:  # its file is lost (logged): the rest still exports
        return {"file_name": file_name, "content_type": content_type, "note": SCAN_UNREADABLE}
    return attached_file(body, file_name=file_name, content_type=content_type)


def _letter(letter: Letter, *, tz: ZoneInfo) -> dict[str, Any]:
    body = bytes(letter.pdf)
    return {
        "issued_at": local_time(letter.issued_at, tz),
        "addressed_to": letter.addressed_to,
        # The plan it reports on, found in "treatment_plans" by these two.
        "treatment_plan": {
            "service": letter.plan.service.name,
            "written_at": local_time(letter.plan.written_at, tz),
        },
        "summary": letter.summary,
        "pdf": attached_file(body, file_name=letter.file_name, content_type="application/pdf")
        if body
        else None,
    }


def _receipt(receipt: Receipt, *, tz: ZoneInfo) -> dict[str, Any]:
    corrected_by = receipt.corrected_by if receipt.is_void else None
    return {
        "number": receipt.display_number,
        "issued_at": local_time(receipt.issued_at, tz),
        "for": "a session" if receipt.appointment_id else "a package",
        "amount": money(receipt.amount),
        "payment_method": receipt.get_payment_method_display(),
        "void": corrected_by is not None,
        "replaced_by": corrected_by.display_number if corrected_by else None,
        "replaces": receipt.void_of.display_number if receipt.void_of else None,
        "correction_reason": receipt.correction_reason,
        "as_issued": receipt.content,
    }
