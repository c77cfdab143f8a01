"""Receipts: numbered without gaps, a snapshot of what insurers ask for, never changed.

Every receipt is issued here, in the transaction that records what it is for: the number is
taken from the clinic's counter under a row lock in that same transaction, so two desks issuing
at once get consecutive numbers and a rolled-back receipt gives its number back. Nothing here
updates a receipt: a correction (`receipt_correct`) is a new receipt that voids the old one.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat

from accounts.models import User
from bookings.models import Appointment, Clinic
from bookings.selectors import clinic_get
from care.models import PackagePurchase
from care.packages import package_paying_for
from notifications.models import Message
from notifications.outbox import link_message

from .models import Receipt, ReceiptCounter, Referral, receipt_display_number
from .pdf import day_text
from .selectors import referral_in_force

MAX_AMOUNT = Decimal("99999.99")
PAYABLE = (Appointment.Status.BOOKED, Appointment.Status.COMPLETED)
# The row naming the client: an erasure renames them there (data_rights.services).
CLIENT_LABEL = "Client"


def session_payment_record(
    *, appointment: Appointment, amount: Decimal, method: str, by: User, now: datetime
) -> Receipt:
    """The desk took payment for a booked or completed session: issue its receipt.

    One receipt per appointment; a second payment for the same session is refused (correct the
    receipt instead). ValidationError, keyed by field, for a refusal.
    """
    _check_payment(amount=amount, method=method)
    with transaction.atomic():
        # The appointment's row lock serialises two desks taking the same payment.
        locked = Appointment.objects.select_for_update().select_related(
            "client", "service", "therapist__user"
        )
        appointment = locked.get(pk=appointment.pk)
        if appointment.status not in PAYABLE:
            raise ValidationError("Only a booked or completed session can be paid for.")
        if package_paying_for(appointment) is not None:
            raise ValidationError("This session is paid from a package: the package's receipt covers it.")
        if Receipt.objects.filter(appointment=appointment).exists():
            raise ValidationError("This session already has a receipt. Correct that receipt instead.")
        return _issue(
            client=appointment.client,
            appointment=appointment,
            amount=amount,
            method=method,
            by=by,
            now=now,
        )


def receipt_for_package(*, purchase: PackagePurchase, by: User, now: datetime) -> Receipt:
    """The receipt for a package sold at the desk, for what was paid and how. Call it in the
    transaction that records the sale, so a sale never lacks its receipt."""
    refusal = ValidationError("This package sale already has a receipt.")
    if Receipt.objects.filter(package_purchase=purchase).exists():
        raise refusal
    try:
        with transaction.atomic():
            return _issue(
                client=purchase.client,
                package_purchase=purchase,
                amount=purchase.amount_paid,
                method=purchase.payment_method,
                by=by,
                now=now,
            )
    except IntegrityError as error:  # issued at the same moment: the unique constraint decides
        raise refusal from error


def receipt_correct(
    *, receipt: Receipt, amount: Decimal, method: str, reason: str, by: User, now: datetime
) -> Receipt:
    """Void `receipt` by issuing its correction: a new number, for the same session or package,
    with what it says taken afresh (the amount and method given, the therapist's details now)."""
    _check_payment(amount=amount, method=method)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the receipt is corrected."]})
    with transaction.atomic():
        old = Receipt.objects.select_for_update().select_related("client").get(pk=receipt.pk)
        if old.is_void:
            raise ValidationError("This receipt is already void: correct the receipt that replaced it.")
        try:
            # The one-to-one on void_of is the backstop if two corrections race.
            with transaction.atomic():
                return _issue(
                    client=old.client,
                    appointment=old.appointment,
                    package_purchase=old.package_purchase,
                    amount=amount,
                    method=method,
                    by=by,
                    now=now,
                    void_of=old,
                    reason=reason.strip(),
                )
        except IntegrityError as error:
            raise ValidationError("This receipt has just been corrected by someone else.") from error


def receipt_content(
    *,
    number: int,
    clinic: Clinic,
    client: User,
    appointment: Appointment | None,
    purchase: PackagePurchase | None,
    referral: Referral | None,
    amount: Decimal,
    method: str,
    issued_at: datetime,
    void_of: Receipt | None,
    reason: str,
) -> dict[str, object]:
    """What the receipt says (the insurer's list: the clinic's name and address, the therapist's
    name and registration number, the client, the date, the service and its duration, the
    amount, the referral), as it is when issued."""
    tz = clinic.tz
    rows: list[tuple[str, str]] = [
        ("Receipt number", receipt_display_number(number)),
        ("Date issued", day_text(issued_at.astimezone(tz))),
        (CLIENT_LABEL, str(client)),
    ]
    if appointment is not None:
        start = appointment.start.astimezone(tz)
        therapist = appointment.therapist
        rows += [
            ("Therapist", therapist.name),
            ("Registration number", therapist.registration_number or "not recorded"),
            ("Date of session", f"{day_text(start)}, {dateformat.format(start, 'H:i')}"),
            ("Service", appointment.service.name),
            ("Duration", f"{appointment.service.duration_minutes} minutes"),
        ]
    elif purchase is not None:
        service = purchase.package.service
        rows += [
            ("Date of sale", day_text(purchase.sold_at.astimezone(tz))),
            ("Package", f"{purchase.package.name}: {purchase.sessions} sessions"),
            ("Service", service.name),
            ("Duration", f"{service.duration_minutes} minutes per session"),
            ("Valid until", f"{purchase.expires_on.day} {purchase.expires_on:%B %Y}"),
        ]
    rows += [
        ("Amount paid", f"£{amount:,.2f}"),
        ("Payment method", Receipt.PaymentMethod(method).label),
        ("Referral", _referral_text(referral) if referral else "none on record"),
    ]
    return {
        "number": receipt_display_number(number),
        "clinic_name": clinic.name,
        "clinic_address": clinic.address,
        "clinic_contact": " · ".join(part for part in (clinic.phone, clinic.email) if part),
        "rows": [[label, value] for label, value in rows],  # as JSON will give it back
        "corrects": void_of.display_number if void_of else "",
        "correction_reason": reason,
    }


def _issue(
    *,
    client: User,
    amount: Decimal,
    method: str,
    by: User,
    now: datetime,
    appointment: Appointment | None = None,
    package_purchase: PackagePurchase | None = None,
    void_of: Receipt | None = None,
    reason: str = "",
) -> Receipt:
    clinic = clinic_get()
    number = _next_number(clinic)
    tz = clinic.tz
    on = appointment.start if appointment else package_purchase.sold_at if package_purchase else now
    referral = referral_in_force(client, on=on.astimezone(tz).date())
    receipt = Receipt.objects.create(
        number=number,
        client=client,
        appointment=appointment,
        package_purchase=package_purchase,
        referral=referral,
        amount=amount,
        payment_method=method,
        content=receipt_content(
            number=number,
            clinic=clinic,
            client=client,
            appointment=appointment,
            purchase=package_purchase,
            referral=referral,
            amount=amount,
            method=method,
            issued_at=now,
            void_of=void_of,
            reason=reason,
        ),
        void_of=void_of,
        correction_reason=reason,
        issued_by=by,
        issued_at=now,
    )
    link_message(
        recipient=client,
        kind=Message.Kind.DOCUMENT_READY,
        link=reverse("documents:mine"),
        key=f"document-ready:receipt:{receipt.pk}",
        now=now,
    )
    return receipt


def _next_number(clinic: Clinic) -> int:
    # Create the counter if this is the clinic's first receipt, without a race: a second
    # creator's insert does nothing. Then lock it until the receipt's transaction ends.
    ReceiptCounter.objects.bulk_create([ReceiptCounter(clinic=clinic)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(clinic=clinic)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_payment(*, amount: Decimal, method: str) -> None:
    errors: dict[str, list[str]] = {}
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors["amount"] = [f"Enter an amount between £0.00 and £{MAX_AMOUNT:,}."]
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = ["Enter the amount in pounds and pence, such as 65.00."]
    if method not in Receipt.PaymentMethod.values:
        errors["method"] = ["Choose how the client paid."]
    if errors:
        raise ValidationError(errors)


def _referral_text(referral: Referral) -> str:
    written = f"{referral.written_on.day} {referral.written_on:%B %Y}"
    return f"{referral.doctor_text}, written {written} ({referral.sessions_text})"
