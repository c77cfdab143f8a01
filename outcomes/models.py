"""Outcome questionnaires answered by clients, and the re-assessment points of their plans.

The questionnaires themselves are data files (outcomes.definitions), so a response names its
measure by key and keeps the answers as given; the score is computed by outcomes.scoring when
the response is stored, and can be computed again (outcomes.services.scores_recompute).
"""

from django.conf import settings
from django.db import models

from care.models import TreatmentPlan


class ReassessmentInvite(models.Model):
    """A plan reached a re-assessment point: the client was sent one link to the questionnaires.

    One row per plan and point (the database refuses a second), so the beat task can run any
    number of times, on any number of workers, and the client gets one email per point.
    """

    class Occasion(models.TextChoices):
        REASSESSMENT = "reassessment", "Re-assessment"
        DISCHARGE = "discharge", "End of the plan"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="reassessment_invites")
    # Completed sessions of the plan when the point was reached: a multiple of the plan's
    # reassess_every_sessions, or its last session.
    after_sessions = models.PositiveSmallIntegerField()
    occasion = models.CharField(max_length=16, choices=Occasion.choices)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "after_sessions"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "after_sessions"], name="reassessment_once_per_point"),
        ]

    def __str__(self) -> str:
        return f"Re-assessment after {self.after_sessions} sessions of plan {self.plan_id}"


class OutcomeResponse(models.Model):
    """One questionnaire answered once: its answers as given and the score computed from them."""

    class Occasion(models.TextChoices):
        INTAKE = "intake"
        REASSESSMENT = "reassessment", "Re-assessment"
        DISCHARGE = "discharge", "End of the plan"

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcome_responses"
    )
    measure = models.CharField(max_length=40, help_text="The key of the measure's definition.")
    answers = models.JSONField()
    # None only if the definition changed since and these answers no longer give a score.
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    taken_at = models.DateTimeField()
    occasion = models.CharField(max_length=16, choices=Occasion.choices)
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="outcome_responses"
    )
    invite = models.ForeignKey(
        ReassessmentInvite, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )

    class Meta:
        ordering = ["taken_at", "pk"]
        indexes = [models.Index(fields=["client", "measure", "taken_at"], name="outcome_client_measure")]

    def __str__(self) -> str:
        return f"{self.measure} {self.score} ({self.get_occasion_display()}, {self.taken_at:%Y-%m-%d})"
