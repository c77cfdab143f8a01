from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessRecord(models.Model):
    """A staff member opened a client's health information: who, what, whose, when.

    Written only through privacy.records (pages and the admin), never changed or deleted here.
    """

    class What(models.TextChoices):
        INTAKE = "intake", "Intake (answers and reasons)"
        INTAKE_OUTCOME = "intake_outcome", "Intake outcome only"
        SESSION_NOTES = "session_notes", "Session notes"
        PRE_VISIT_CHECK = "pre_visit_check", "Day-of health check answers"
        REFERRAL = "referral", "Referral from a doctor (details or scan)"
        LETTER = "letter", "Progress letter"
        OUTCOMES = "outcomes", "Outcome questionnaires and scores"
        TREATMENT_PLAN = "treatment_plan", "Treatment plan (goals and summary)"

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=32, choices=What.choices)
    appointment = models.ForeignKey(
        "bookings.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField("page", max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"]), models.Index(fields=["viewer", "-at"])]

    def __str__(self) -> str:
        return f"{self.viewer} opened {self.get_what_display()} of {self.client}"
