from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from bookings.models import Appointment

PAIN_SCALE = [MinValueValidator(0), MaxValueValidator(10)]


class SessionNote(models.Model):
    """What happened in one appointment, written by its therapist.

    Saved only through workspace.services.session_note_save, which also writes a
    SessionNoteRevision with the same content in the same transaction.
    """

    class Technique(models.TextChoices):
        DEEP_TISSUE = "deep_tissue", "Deep tissue"
        TRIGGER_POINT = "trigger_point", "Trigger point"
        MYOFASCIAL_RELEASE = "myofascial_release", "Myofascial release"
        SWEDISH = "swedish", "Swedish"
        PIRIFORMIS = "piriformis", "Piriformis work"

    class Pressure(models.TextChoices):
        LIGHT = "light"
        MEDIUM = "medium"
        FIRM = "firm"

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="session_note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_reports = models.TextField("what the client reports", blank=True)
    findings = models.TextField("what was found", blank=True)
    techniques = models.JSONField(default=list, blank=True)  # Technique values
    pressure = models.CharField(max_length=16, choices=Pressure.choices, blank=True)
    positioning = models.CharField(max_length=200, blank=True)
    areas_treated = models.CharField(max_length=300, blank=True)
    pain_before = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    pain_after = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    plan = models.TextField(blank=True)
    home_care = models.TextField("home-care advice", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-appointment__start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_before__lte=10), name="session_note_pain_before_0_10"
            ),
            models.CheckConstraint(
                condition=models.Q(pain_after__lte=10), name="session_note_pain_after_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Session note for appointment #{self.appointment_id}"

    def technique_labels(self) -> list[str]:
        labels = dict(self.Technique.choices)
        return [labels.get(value, value) for value in self.techniques]


class SessionNoteRevision(models.Model):
    """The content of a session note as saved once: the note's history, never changed."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()  # the note's fields (NOTE_FIELDS) as they were saved
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="session_note_revision_unique")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of note #{self.note_id}"


class TherapistNotification(models.Model):
    """Tells a therapist that a client with a caution booked with them (spec §1: "the therapist
    is alerted"), on their agenda until they mark it read.

    Written by notifications.outbox in the booking's own transaction, like the email that goes
    with it; a move to another therapist tells the new one.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "appointment"], name="therapist_notification_once_per_appointment"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"Appointment #{self.appointment_id} for {self.recipient}"
