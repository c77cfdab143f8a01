"""A course of care: a therapist's treatment plan for a client, the sessions booked as a series
for it, and the packages of sessions a clinic sells.

This app sits above bookings (it books through bookings.services) and below the workspace.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bookings.models import Appointment, Service, Therapist


class TreatmentPlan(models.Model):
    class Frequency(models.TextChoices):
        TWICE_WEEKLY = "twice_weekly", "Twice a week"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Every two weeks"

    class Status(models.TextChoices):
        ACTIVE = "active"
        COMPLETED = "completed"
        ENDED = "ended", "Ended early"

    # The usual gap between sessions; a client with no session booked within twice this has
    # dropped off (the therapist's follow-up list).
    INTERVALS = {
        Frequency.TWICE_WEEKLY: timedelta(days=3, hours=12),
        Frequency.WEEKLY: timedelta(weeks=1),
        Frequency.FORTNIGHTLY: timedelta(weeks=2),
    }

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="treatment_plans"
    )
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="treatment_plans")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="treatment_plans")
    # In the client's own words, e.g. "sit through a work meeting": a list of short strings.
    goals = models.JSONField(default=list)
    sessions_planned = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    # Re-assess (outcome questionnaires) after every this many sessions, and at the end.
    reassess_every_sessions = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    # Plain language, shown to the client.
    summary = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["therapist", "status"]), models.Index(fields=["client", "status"])]
        constraints = [
            # One course of care at a time: writing a new plan ends the active one (care.services).
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(status="active"), name="one_active_plan_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sessions_planned} x {self.service.name} for {self.client}"

    @property
    def interval(self) -> timedelta:
        return self.INTERVALS[self.Frequency(self.frequency)]


class Series(models.Model):
    """Sessions booked together in one step (all or none), usually for a plan."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="series"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    booked_at = models.DateTimeField()
    appointments = models.ManyToManyField(Appointment, through="SeriesAppointment", related_name="+")

    class Meta:
        verbose_name_plural = "series"
        ordering = ["-booked_at"]

    def __str__(self) -> str:
        return f"Series booked {self.booked_at:%Y-%m-%d}"


class SeriesAppointment(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="members")
    # An appointment belongs to at most one series.
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="series_member")

    def __str__(self) -> str:
        return f"{self.appointment} in series {self.series_id}"


class Package(models.Model):
    """What the clinic sells: `sessions` of `service` at `price`, used within `valid_days`."""

    name = models.CharField(max_length=120)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="packages")
    sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(2), MaxValueValidator(100)])
    price = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    valid_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1095)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service__display_order", "sessions"]

    def __str__(self) -> str:
        return self.name


class PackagePurchase(models.Model):
    """A package sold to a client and paid at the desk.

    Which sessions it pays for is computed, not stored (care.packages): each active appointment of
    the package's service that starts after the sale and on or before `expires_on`, oldest
    purchase first, whoever booked it and however (a single booking or a series).
    """

    class PaymentMethod(models.TextChoices):
        CARD = "card"
        CASH = "cash"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        OTHER = "other"

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="purchases")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="package_purchases"
    )
    # Copied from the package at sale, so later price or size changes don't rewrite history.
    sessions = models.PositiveSmallIntegerField()
    amount_paid = models.DecimalField(max_digits=8, decimal_places=2)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sold_at = models.DateTimeField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["sold_at"]

    def __str__(self) -> str:
        return f"{self.package} sold {self.sold_at:%Y-%m-%d}"
