"""Writes of the documents app: recording a referral, issuing a progress letter.

Receipts are issued in documents.receipts. Each issued document queues a "document ready" email
in the same transaction: it says only that a document is waiting behind the client's log-in.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from bookings.selectors import clinic_get
from care.models import TreatmentPlan
from clinic.validation import date_out_of_window
from notifications.models import Message
from notifications.outbox import link_message

from .letters import letter_content
from .models import Letter, Referral
from .pdf import letter_pdf
from .scans import scan_type

SUMMARY_MAX = 4000


@dataclass(frozen=True)
class Prescription:
    """What a referral prescribes: sessions over a number of weeks, or until a date."""

    sessions: int
    period_weeks: int | None = None
    valid_until: date | None = None


def referral_record(
    *,
    client: User,
    doctor_name: str,
    practice: str,
    written_on: date,
    prescribes: Prescription,
    notes: str = "",
    scan: UploadedFile | None = None,
    by: User,
    now: datetime,
) -> Referral:
    """Record a doctor's referral for `client`, with its scan if there is one. ValidationError,
    keyed by field, for anything refused; nothing is stored then."""
    errors = _referral_errors(doctor_name=doctor_name, written_on=written_on, prescribes=prescribes)
    content_type = ""
    if scan is not None:
        try:
            content_type = scan_type(scan)
        except ValidationError as error:
            errors["scan"] = error.messages
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        client=client,
        doctor_name=doctor_name.strip(),
        practice=practice.strip(),
        written_on=written_on,
        sessions=prescribes.sessions,
        period_weeks=prescribes.period_weeks,
        valid_until=prescribes.valid_until,
        notes=notes.strip(),
        scan_content_type=content_type,
        recorded_by=by,
        recorded_at=now,
    )
    if scan is not None:
        # Written before the row; if the row is not, the file goes too.
        referral.scan.save(scan.name or "scan", scan, save=False)
    try:
        with transaction.atomic():
            referral.save()
    except BaseException:
        if referral.scan:
            referral.scan.delete(save=False)
        raise
    return referral


def letter_issue(*, plan: TreatmentPlan, summary: str, addressed_to: str, by: User, now: datetime) -> Letter:
    """Write the plan's progress letter to the client's doctor, as a PDF kept as issued, and tell
    the client it is ready. Only the plan's therapist or an admin (documents.access) calls this."""
    errors: dict[str, list[str]] = {}
    if not summary.strip():
        errors["summary"] = ["Write a short summary for the doctor."]
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = [f"Keep the summary under {SUMMARY_MAX} characters."]
    if not addressed_to.strip():
        errors["addressed_to"] = ["Say who the letter is for, such as the client's GP."]
    if errors:
        raise ValidationError(errors)
    clinic = clinic_get()
    content = letter_content(
        plan=plan, summary=summary.strip(), addressed_to=addressed_to.strip(), clinic=clinic, now=now
    )
    pdf = letter_pdf(content, issued_at=now)
    with transaction.atomic():
        letter = Letter.objects.create(
            client=plan.client,
            plan=plan,
            addressed_to=addressed_to.strip(),
            summary=summary.strip(),
            pdf=pdf,
            written_by=by,
            issued_at=now,
        )
        link_message(
            recipient=plan.client,
            kind=Message.Kind.DOCUMENT_READY,
            link=reverse("documents:mine"),
            key=f"document-ready:letter:{letter.pk}",
            now=now,
        )
    return letter


def _referral_errors(*, doctor_name: str, written_on: date, prescribes: Prescription) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not doctor_name.strip():
        errors["doctor_name"] = ["Name the doctor who wrote it."]
    if message := date_out_of_window(written_on):
        errors["written_on"] = [message]
    if not 1 <= prescribes.sessions <= 100:
        errors["sessions"] = ["Enter the number of sessions prescribed, from 1 to 100."]
    if (prescribes.period_weeks is None) == (prescribes.valid_until is None):
        errors["period_weeks"] = ["Give the period in weeks or the date it runs until (one of them)."]
    elif prescribes.period_weeks is not None and not 1 <= prescribes.period_weeks <= 104:
        errors["period_weeks"] = ["Enter a period from 1 to 104 weeks."]
    elif prescribes.valid_until is not None:
        if prescribes.valid_until < written_on:
            errors["valid_until"] = ["The end date is before the date it was written."]
        elif message := date_out_of_window(prescribes.valid_until):
            errors["valid_until"] = [message]
    return errors
