"""Referrals, progress letters and receipts.

Letters and receipts are issued documents: written once by documents.services and never changed
(no service updates them, the admin only shows them). A letter keeps the PDF it was issued as; a
receipt keeps a snapshot of what it says, rendered the same way on every download.
"""

from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bookings.models import Appointment, Clinic
from care.models import PackagePurchase, TreatmentPlan

from .storage import private_storage, scan_name


class Referral(models.Model):
    """A doctor's referral or prescription for massage, recorded against the client.

    Clinical: read by the client, their therapists and admins only (documents.access).
    """

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    doctor_name = models.CharField("doctor", max_length=120)
    practice = models.CharField(max_length=200, blank=True)
    written_on = models.DateField("date written")
    sessions = models.PositiveSmallIntegerField(
        "sessions prescribed", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # The period it covers: a number of weeks from the date written, or until a date.
    period_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    valid_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    scan = models.FileField(storage=private_storage, upload_to=scan_name, blank=True, max_length=100)
    # What the scan's content was found to be (documents.scans), not what the browser said.
    scan_content_type = models.CharField(max_length=32, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_weeks__isnull=False, valid_until__isnull=True)
                | Q(period_weeks__isnull=True, valid_until__isnull=False),
                name="referral_period_in_weeks_or_until_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"Referral from {self.doctor_name} ({self.written_on:%Y-%m-%d})"

    @property
    def ends_on(self) -> date:
        if self.valid_until is not None:
            return self.valid_until
        return self.written_on + timedelta(weeks=self.period_weeks or 0)

    @property
    def period_text(self) -> str:
        if self.valid_until is not None:
            return f"until {self.valid_until.day} {self.valid_until:%B %Y}"
        return f"over {self.period_weeks} week{'s' if self.period_weeks != 1 else ''}"

    @property
    def sessions_text(self) -> str:
        """What the doctor prescribed: "6 sessions over 6 weeks"."""
        return f"{self.sessions} session{'s' if self.sessions != 1 else ''} {self.period_text}"

    @property
    def doctor_text(self) -> str:
        return f"{self.doctor_name}, {self.practice}" if self.practice else self.doctor_name

    @property
    def scan_file_name(self) -> str:
        """The name the scan is downloaded and exported as: the stored name is random."""
        return f"referral-{self.pk}{PurePath(self.scan.name or '').suffix}"


class Letter(models.Model):
    """A progress letter to the client's doctor, as issued: the PDF is kept, so what was sent
    stays as sent."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="letters")
    addressed_to = models.CharField(max_length=200)
    summary = models.TextField("therapist's summary")
    pdf = models.BinaryField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Progress letter {self.pk} ({self.issued_at:%Y-%m-%d})"

    @property
    def file_name(self) -> str:
        return f"progress-letter-{self.pk}-{self.issued_at:%Y-%m-%d}.pdf"


def receipt_display_number(number: int) -> str:
    return f"R-{number:06d}"


class Receipt(models.Model):
    """A numbered receipt for a paid session or a package, never changed once issued.

    A correction is a new receipt whose `void_of` is the one it replaces; the old one then shows
    VOID. Each receipt is corrected at most once (one-to-one) and each appointment or package
    sale has one original (the unique constraints), so exactly one receipt of a chain is in force.
    """

    PaymentMethod = PackagePurchase.PaymentMethod

    number = models.PositiveIntegerField(unique=True)
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="receipts")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    package_purchase = models.ForeignKey(
        PackagePurchase, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    # What the receipt says, as it was when issued (documents.services.receipt_content).
    content = models.JSONField()
    void_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False, package_purchase__isnull=True)
                | Q(appointment__isnull=True, package_purchase__isnull=False),
                name="receipt_for_a_session_or_a_package",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="receipt_amount_not_negative"),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(void_of__isnull=True, appointment__isnull=False),
                name="receipt_one_original_per_appointment",
            ),
            models.UniqueConstraint(
                fields=["package_purchase"],
                condition=Q(void_of__isnull=True, package_purchase__isnull=False),
                name="receipt_one_original_per_package_purchase",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return receipt_display_number(self.number)

    @property
    def is_void(self) -> bool:
        try:
            self.corrected_by  # noqa: B018  (the reverse one-to-one raises when there is none)
        except Receipt.DoesNotExist:
            return False
        return True

    @property
    def file_name(self) -> str:
        return f"receipt-{self.display_number}.pdf"


class ReceiptCounter(models.Model):
    """The clinic's last receipt number. Taken under a row lock in the transaction that issues
    the receipt, so numbers run without gaps: a rolled-back receipt gives its number back."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Last receipt R-{self.last_number:06d}"
