from django.conf import settings
from django.db import models


class Erasure(models.Model):
    """A client's account was anonymised: when, why and on whose word. Nothing that identifies them.

    The row is also how the retention job knows an account is done, and when the free text of
    the client's health records was removed at the end of the retention period.
    """

    class Reason(models.TextChoices):
        CLIENT = "client", "The client deleted their account"
        CLINIC = "clinic", "The clinic erased the account"
        RETENTION = "retention", "No activity for the retention period"

    client = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    # The admin who erased the account; empty when the client did, or the retention job.
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField()
    health_text_removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention period ended and the free text of the client's intakes, session "
        "notes and clearances was removed.",
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Account #{self.client_id} erased {self.erased_at:%Y-%m-%d}"
