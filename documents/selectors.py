"""Reads of the documents app: what a client may download, the referral in force on a day."""

import logging
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from bookings.models import Appointment
from care.packages import package_remaining

from .models import Letter, Receipt, Referral

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientDocuments:
    """A client's documents, newest first: what they may download from "My documents"."""

    letters: list[Letter]
    receipts: list[Receipt]
    referrals: list[Referral]

    def __bool__(self) -> bool:
        return bool(self.letters or self.receipts or self.referrals)


def client_documents(client: User) -> ClientDocuments:
    """Everything the client may download: their letters, receipts (void ones marked) and the
    referrals recorded for them (with the scan, if any)."""
    return ClientDocuments(
        letters=list(letters_of(client)),
        receipts=list(receipts_of(client)),
        referrals=list(Referral.objects.filter(client=client)),
    )


def letters_of(client: User) -> QuerySet[Letter]:
    # The PDF stays in the database until a download asks for it.
    return Letter.objects.filter(client=client).defer("pdf").select_related("plan__service")


def letter_issued(letter_id: int) -> Letter:
    """A letter to download, or Http404: also once its PDF was emptied by the client's erasure."""
    letter = get_object_or_404(Letter.objects.select_related("client"), pk=letter_id)
    if not letter.pdf:
        raise Http404
    return letter


def receipts_of(client: User) -> QuerySet[Receipt]:
    return Receipt.objects.filter(client=client).select_related("void_of", "corrected_by").order_by("-number")


def referral_scan_bytes(referral: Referral) -> bytes | None:
    """The content of the referral's scan (it has one), or None if its file is missing."""
    try:
        with referral.scan.open("rb") as scan:
            return scan.read()
    except FileNotFoundError:
        # PRIVATE_MEDIA_ROOT moved or lost: say which row, never the client.
        logger.error("The scan of referral %s is missing from the private storage.", referral.pk)
        return None


def referral_in_force(client: User, *, on: date) -> Referral | None:
    """The client's most recent referral that covers `on` (written on or before it, and not yet
    past its period), or None."""
    candidates = Referral.objects.filter(client=client, written_on__lte=on).filter(
        Q(valid_until__isnull=False, valid_until__gte=on) | Q(period_weeks__isnull=False)
    )
    return next((each for each in candidates if each.ends_on >= on), None)


def receipt_in_force(*, appointment: Appointment) -> Receipt | None:
    """The appointment's receipt that no correction has voided, if it has one."""
    return (
        Receipt.objects.filter(appointment=appointment, corrected_by__isnull=True).order_by("-number").first()
    )


def appointments_awaiting_receipt(client: User) -> QuerySet[Appointment]:
    """The client's sessions, booked or completed, with no receipt yet and not drawn from a
    package: what the desk may take payment for. Newest first."""
    receipted = Receipt.objects.filter(appointment=OuterRef("pk"))
    from_packages = [pk for balance in package_remaining(client) for pk in balance.appointment_ids]
    return (
        Appointment.objects.filter(
            client=client, status__in=[Appointment.Status.BOOKED, Appointment.Status.COMPLETED]
        )
        .exclude(Exists(receipted))
        .exclude(pk__in=from_packages)
        .select_related("service", "therapist__user")
        .order_by("-start")
    )
