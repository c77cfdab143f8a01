from django.db.models import Max

from accounts.models import User
from bookings.models import Appointment

from .models import Message, MessagingSettings, TipsOptOut


def messaging_settings_get() -> MessagingSettings:
    """The clinic's messaging settings; a fresh install gets the defaults (reminder 24 hours before)."""
    messaging, _ = MessagingSettings.objects.get_or_create(pk=1)
    return messaging


def tips_opted_out(user: User) -> bool:
    return TipsOptOut.objects.filter(user=user).exists()


def appointment_sequence(appointment: Appointment) -> int:
    """The appointment's calendar SEQUENCE: 0 when booked, one more for each move and the cancellation."""
    found = Message.objects.filter(appointment=appointment).aggregate(Max("sequence"))["sequence__max"]
    return found or 0
