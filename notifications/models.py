from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class MessagingSettings(models.Model):
    """When the clinic's messages go out. There is exactly one row (like bookings.Clinic)."""

    reminder_hours_before = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="The reminder goes this many hours before the appointment starts.",
    )
    tip_time = models.TimeField(
        default=time(10), help_text="Self-care tips are due at this local time on their day."
    )
    quiet_hours_start = models.TimeField(
        default=time(21), help_text="No tips from this local time until the end of quiet hours."
    )
    quiet_hours_end = models.TimeField(
        default=time(8), help_text="A tip due in quiet hours goes at this local time instead."
    )

    class Meta:
        verbose_name = "messaging settings"
        verbose_name_plural = "messaging settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="messaging_settings_is_single_row"),
            models.CheckConstraint(
                condition=~models.Q(quiet_hours_start=models.F("quiet_hours_end")),
                name="messaging_settings_quiet_hours_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return "Messaging settings"

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Tip(models.Model):
    """One self-care tip of the between-sessions programme, sent `day` days after a session."""

    day = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    title = models.CharField(max_length=120)
    body_text = models.TextField(help_text="Plain-text version of the tip.")
    body_html = models.TextField(help_text="HTML version of the tip (paragraphs, no styles).")
    safe_text = models.TextField(
        help_text="Sent instead to clients whose intake has a caution: must ask them to check with "
        "their therapist or doctor first."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"Day {self.day}: {self.title}"


class TipsOptOut(models.Model):
    """The client has unsubscribed from self-care tips (appointment messages still go)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tips opt-out"

    def __str__(self) -> str:
        return f"{self.user} opted out of tips"


class Message(models.Model):
    """One email to send: the outbox row, written in the transaction that causes it.

    The content is rendered when it is sent, from the appointment as it is then; the row
    holds only what is needed to decide whether and when to send it.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation"
        REMINDER = "reminder"
        MOVED = "moved"
        CANCELLED = "cancelled"
        TIP = "tip", "Self-care tip"

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        CANCELLED = "cancelled"
        SKIPPED = "skipped"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(
        "bookings.Appointment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tip = models.ForeignKey(Tip, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The appointment's calendar SEQUENCE when this message was written: bumped on each move.
    sequence = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    # Counted when a worker claims the row; also the fencing token that stops a worker whose
    # claim was reclaimed from recording over the next worker's result.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text="The last error, or why the message was skipped.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # One row per message that should exist: a second copy of the same message cannot be written.
    dedupe_key = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="message_pending_due_at",
            ),
            models.Index(fields=["appointment", "status"], name="message_appointment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.status})"
