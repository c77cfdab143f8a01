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
    """One self-care tip of the between-sessions programme, sent `day` days after a session.

    Each tip has a text per variant (notifications.tips.Variant says who gets which). Every
    email also carries the tip's stop rule, the stop signs and the safety net: the code adds
    them, so no edit here can leave them out.
    """

    day = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    title = models.CharField(max_length=120)
    standard_text = models.TextField(
        help_text="For everyone without one of the cautions below. Plain text: a blank line between "
        "paragraphs."
    )
    gentle_text = models.TextField(
        help_text="For clients who take blood thinners or have osteoporosis: gentle only, no forceful "
        "stretching, twisting or bending, no self-massage tools."
    )
    pregnancy_text = models.TextField(
        help_text="For pregnant clients: asks them to check with their midwife first."
    )
    after_surgery_text = models.TextField(
        help_text="For clients who had an operation in the last 12 weeks: no stretching or exercise "
        "programme until their surgeon agrees."
    )
    stop_rule = models.TextField(
        help_text="When to stop, for this tip. Every email adds after it: stop if pain or numbness "
        "spreads down the leg or the leg feels weaker, and the A&E safety net."
    )
    sources = models.TextField(
        help_text="Where each piece of advice comes from (the clinics' articles, the red-flag "
        "specification), and what is general knowledge for the clinical lead to confirm."
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
        # To the client: the clinic needs to hear from them; their appointments were released.
        HEALTH_CHECK = "health_check", "Health check: please contact us"
        # To the therapist: a client with a caution booked with them (no clinical detail).
        CAUTION_BOOKED = "caution_booked", "Caution: client booked"
        # To the client: a short questionnaire at a treatment plan's re-assessment (signed link).
        REASSESSMENT = "reassessment", "Re-assessment questionnaire"
        # To the client: a letter or receipt is ready behind log-in.
        DOCUMENT_READY = "document_ready", "Document ready"

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
    # For the kinds that are not about an appointment or a tip: the path the email links to.
    # Never anything clinical: a signed token or a page behind log-in.
    link = models.CharField(max_length=300, blank=True)
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
            # In the dispatcher's claiming order (due_at, then id), so that a claim reads its
            # batch and stops, however many messages are due.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="message_pending_due_at_id",
            ),
            models.Index(fields=["appointment", "status"], name="message_appointment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.status})"
