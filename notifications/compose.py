"""What each claimed message becomes when it goes: the email, a Skip (and why) or a Postpone.

Decided at sending time, from the appointment, the tip and the client's intake as they are then:
a cancelled appointment, a tip switched off, an unsubscribe or a red flag that came after the row
was written all stop the message. The dispatcher decides a claimed batch at once, so batch_load
reads what the decisions need for the whole batch in a fixed number of queries. Two reads stay
one per client, each at most once a batch: the outcome of the intake in force, for a tip
(intake.selectors.intake_standing reads one client, and the clinical rule lives there alone),
and the appointments a health check released (a rare message).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.mail import EmailMultiAlternatives

from bookings.models import Appointment, Clinic
from bookings.selectors import appointments_released_for_health_check
from intake.selectors import Standing, intake_standing

from . import tips
from .emails import (
    CALENDAR_KINDS,
    LINK_SUBJECTS,
    appointment_email,
    caution_booked_email,
    health_check_email,
    link_email,
    tip_email,
)
from .models import Message, MessagingSettings
from .schedule import daytime_from, is_quiet
from .selectors import appointment_sequences, tips_opted_out_among

Kind = Message.Kind

# What a claimed message's email is written from; select_related by the dispatcher's load.
MESSAGE_RELATED = (
    "recipient",
    "tip",
    "appointment__service",
    "appointment__therapist__user",
    "appointment__client",
)


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Postpone:
    until: datetime


@dataclass
class Batch:
    """What a claimed batch's messages are decided and written from, read once for the batch."""

    clinic: Clinic
    messaging: MessagingSettings
    sequences: dict[int, int]  # appointment id: its calendar SEQUENCE
    opted_out: set[int]  # recipients who unsubscribed from tips
    followed: set[int]  # sessions the client has had another since: their tips stop
    # Read on first use, once per client and batch.
    standings: dict[int, Standing] = field(default_factory=dict)
    released: dict[int, list[Appointment]] = field(default_factory=dict)


def batch_load(
    messages: list[Message], *, clinic: Clinic, messaging: MessagingSettings, now: datetime
) -> Batch:
    """Read what deciding and writing these messages needs (loaded with MESSAGE_RELATED)."""
    calendar = {m.appointment_id for m in messages if m.kind in CALENDAR_KINDS and m.appointment_id}
    tip_messages = [m for m in messages if m.kind == Kind.TIP]
    sessions = [m.appointment for m in tip_messages if m.appointment is not None]
    return Batch(
        clinic=clinic,
        messaging=messaging,
        sequences=appointment_sequences(calendar) if calendar else {},
        opted_out=tips_opted_out_among({m.recipient_id for m in tip_messages}) if tip_messages else set(),
        followed=tips.sessions_followed(sessions, now=now),
    )


def message_compose(
    message: Message, batch: Batch, *, now: datetime
) -> EmailMultiAlternatives | Skip | Postpone:
    """The email to send now, or why not (Skip), or when instead (Postpone)."""
    clinic = batch.clinic
    if not message.recipient.is_active:
        return Skip("The client's account is closed.")
    if message.kind == Kind.TIP:
        return _compose_tip(message, batch, now=now)
    if message.kind == Kind.CAUTION_BOOKED:
        return _compose_caution_booked(message, clinic=clinic, now=now)
    if message.kind == Kind.HEALTH_CHECK:
        if message.recipient_id not in batch.released:
            batch.released[message.recipient_id] = appointments_released_for_health_check(
                message.recipient, now=now
            )
        return health_check_email(message, clinic=clinic, released=batch.released[message.recipient_id])
    if message.kind in LINK_SUBJECTS:
        return link_email(message, clinic=clinic)
    appointment = message.appointment
    if appointment is None:
        return Skip("The appointment no longer exists.")
    if message.kind != Kind.CANCELLED:
        if appointment.status != Appointment.Status.BOOKED:
            return Skip("The appointment is no longer booked.")
        if appointment.start <= now:
            return Skip("The appointment has already started.")
    sequence = batch.sequences.get(appointment.pk, 0)
    return appointment_email(message, clinic=clinic, sequence=sequence, now=now)


def _compose_caution_booked(
    message: Message, *, clinic: Clinic, now: datetime
) -> EmailMultiAlternatives | Skip:
    appointment = message.appointment
    if appointment is None or appointment.status != Appointment.Status.BOOKED:
        return Skip("The appointment is no longer booked.")
    if appointment.therapist.user_id != message.recipient_id:
        return Skip("The appointment has moved to another therapist.")
    if appointment.start <= now:
        return Skip("The appointment has already started.")
    return caution_booked_email(message, clinic=clinic)


def _compose_tip(
    message: Message, batch: Batch, *, now: datetime
) -> EmailMultiAlternatives | Skip | Postpone:
    clinic, messaging = batch.clinic, batch.messaging
    if message.tip is None or not message.tip.is_active:
        return Skip("The tip has been switched off.")
    if message.recipient_id in batch.opted_out:
        return Skip("The client unsubscribed from tips.")
    if message.appointment_id in batch.followed:
        return Skip("The client's next session has come.")
    if is_quiet(now, messaging, clinic.tz):
        return Postpone(daytime_from(now, messaging, clinic.tz))
    if message.recipient_id not in batch.standings:
        batch.standings[message.recipient_id] = intake_standing(
            message.recipient, valid_days=clinic.intake_valid_days, now=now
        )
    standing = batch.standings[message.recipient_id]
    variant = tips.tip_variant(standing)
    if variant is None:
        if standing.outcome is None:
            return Skip("No current intake: no self-care tips.")
        return Skip("The client's red flag is in force: no exercise advice.")
    return tip_email(message, clinic=clinic, variant=variant)
