from datetime import timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/London.")


class Clinic(models.Model):
    """The practice running this installation, and its booking rules. There is exactly one."""

    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])

    slot_step_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    min_notice_minutes = models.PositiveIntegerField(default=120)
    booking_horizon_days = models.PositiveSmallIntegerField(default=60, validators=[MinValueValidator(1)])
    cancellation_window_hours = models.PositiveSmallIntegerField(default=24)

    intake_valid_days = models.PositiveSmallIntegerField(
        default=90, help_text="A sciatica intake older than this must be filled in again before booking."
    )
    emergency_number = models.CharField(max_length=32, default="999")
    urgent_care_line = models.CharField(max_length=64, default="NHS 111")
    # The Records Management Code of Practice (NHS England, 2023) keeps adult health records
    # 8 years after the last treatment; a clinic may need longer (its insurer, another nation).
    record_retention_years = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Health records (intakes, session notes) are kept this many years after a client's "
        "last appointment, intake or login, then their free text is removed; a client inactive this "
        "long is anonymised.",
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="clinic_is_single_row")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def slot_step(self) -> timedelta:
        return timedelta(minutes=self.slot_step_minutes)


class Service(models.Model):
    class Pressure(models.TextChoices):
        """How much pressure the service uses: firm and deep are ruled out by cautions C1 and C3."""

        GENTLE = "gentle"
        MODERATE = "moderate"
        FIRM = "firm"
        DEEP = "deep"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5)])
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Time kept free after the session to reset the room."
    )
    price = models.DecimalField(max_digits=8, decimal_places=2)
    pressure = models.CharField(max_length=16, choices=Pressure.choices, default=Pressure.MODERATE)
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name", "duration_minutes"]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)


class Therapist(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist")
    bio = models.TextField(blank=True)
    services = models.ManyToManyField(Service, related_name="therapists", blank=True)
    # The professional body's registration number, printed on receipts for insurers.
    registration_number = models.CharField(max_length=64, blank=True)
    pregnancy_trained = models.BooleanField(
        default=False,
        help_text="Trained in pregnancy massage: the only therapists offered to a pregnant client.",
    )
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class WorkingHours(models.Model):
    """One interval of a therapist's week, in the clinic's local time; a day may have several."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["therapist", "weekday", "start_time"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="working_hours_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class TimeOff(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="time_off_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapist} away {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class Closure(models.Model):
    """A whole local day when the clinic is shut (bank holidays, training days)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Closed {self.date:%Y-%m-%d}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CANCELLED = "cancelled"
        COMPLETED = "completed"
        NO_SHOW = "no_show", "No-show"

    class CancellationReason(models.TextChoices):
        HEALTH_CHECK = "health_check", "Health check"  # the client reported a red flag
        ACCOUNT_ERASED = "account_erased", "Account erased"  # the client's data rights

    # Statuses that hold the therapist's time. The exclusion constraint in
    # migration 0002 lists the same values: keep them in step.
    ACTIVE_STATUSES = (Status.BOOKED, Status.COMPLETED, Status.NO_SHOW)

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(Therapist, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # end + the service's buffer: the therapist is busy until then.
    blocked_until = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(
        max_length=16, choices=CancellationReason.choices, blank=True, default=""
    )
    # Set when the front desk booked a service that the client's cautions rule out online.
    caution_override = models.TextField(blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["therapist", "start"]),
            models.Index(fields=["client", "start"]),
            # "What ends after X?" for a therapist or a client (the booking's recount, free slots):
            # the appointments still to come, a few months at most, where the indexes on start
            # read every earlier one, which grow for as long as the clinic runs.
            models.Index(fields=["therapist", "blocked_until"]),
            models.Index(fields=["client", "end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="appointment_start_before_end"
            ),
            models.CheckConstraint(
                condition=models.Q(end__lte=models.F("blocked_until")),
                name="appointment_end_before_blocked_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} with {self.therapist} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class PreVisitCheck(models.Model):
    """The red-flag questions asked again on the day of an appointment (spec §3, re-screening).

    Answered by the client from the reminder's signed link, or asked by the therapist before
    the session starts. A "yes" is recorded as a new intake (`intake`) and stops the session.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="pre_visit_checks")
    answers = models.JSONField()  # the re-check's answers (intake.recheck.RECHECK_KEYS)
    weakness_worse = models.BooleanField(null=True, blank=True)  # asked only of a C7 client
    # The intake recorded because of a "yes"; null when nothing new was reported.
    intake = models.ForeignKey(
        "intake.Intake", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stops_session = models.BooleanField(default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # null: the client, through the reminder's link
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at"]

    def __str__(self) -> str:
        return f"Pre-visit check for appointment #{self.appointment_id}"
