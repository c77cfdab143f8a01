from django.conf import settings
from django.db import models
from django.utils import timezone

from .triage import Outcome


class Intake(models.Model):
    """One sciatica intake as the client submitted it. Never edited: a new one supersedes it."""

    class Pressure(models.TextChoices):
        LIGHT = "light"
        MEDIUM = "medium"
        FIRM = "firm"

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when this intake came from the short red-flag check at booking time.
    rechecked_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The 20 answers of triage.QUESTIONS, and what triage made of them when submitted.
    answers = models.JSONField()
    outcome = models.CharField(max_length=16, choices=[(o.value, o.value) for o in Outcome])
    reasons = models.JSONField(default=list)  # [{"code", "message", "handling"}]

    pain_location = models.CharField(max_length=200, blank=True)
    worse_with = models.JSONField(default=list, blank=True)  # "sitting", "standing", "bending", "walking"
    health_history = models.TextField(blank=True)
    medications = models.TextField(blank=True)
    pressure_preference = models.CharField(max_length=16, choices=Pressure.choices, blank=True)
    positioning = models.CharField(max_length=200, blank=True, help_text="For example side-lying.")
    areas_to_avoid = models.CharField(max_length=200, blank=True)
    goals = models.TextField(blank=True)
    consent_given_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "-created_at"])]

    def __str__(self) -> str:
        return f"Intake #{self.pk} ({self.created_at:%Y-%m-%d})"

    @property
    def blocks_booking(self) -> bool:
        return self.outcome in (Outcome.EMERGENCY, Outcome.SEE_DOCTOR)


class Clearance(models.Model):
    """Staff lift a blocking intake (EMERGENCY or SEE_DOCTOR). Only staff can; answering again can't.

    Two kinds: a doctor has seen the client and cleared massage, or the answer was given in
    error and staff confirmed that with the client. Either is kept, with who recorded it, and
    shown wherever the intake is.
    """

    class Kind(models.TextChoices):
        DOCTOR = "doctor", "Cleared by a doctor"
        ANSWERED_IN_ERROR = "answered_in_error", "Answered in error, confirmed with the client"

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="clearances")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.DOCTOR)
    doctor_name = models.CharField("doctor", max_length=200, blank=True)
    practice = models.CharField("practice or hospital", max_length=200, blank=True)
    cleared_on = models.DateField("date seen")
    note = models.TextField(blank=True)
    # The EMERGENCY and SEE_DOCTOR questions, asked again by the staff member when recording.
    reasked_answers = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [models.UniqueConstraint(fields=["intake"], name="clearance_one_per_intake")]

    def __str__(self) -> str:
        if self.kind == self.Kind.ANSWERED_IN_ERROR:
            return f"Answered in error (recorded {self.recorded_at:%Y-%m-%d})"
        return f"Cleared by {self.doctor_name} on {self.cleared_on:%Y-%m-%d}"
