from django.db.models import Max

from accounts.models import User
from bookings.models import Appointment

from .models import Message, MessagingSettings, TipsOptOut


def messaging_settings_get() -> MessagingSettings:
    """The clinic's messaging settings, or the defaults (reminder 24 hours before) until an admin saves them.

    Read-only on purpose: it runs inside the booking transaction, which should write only the
    appointment and its messages.
    """
    return MessagingSettings.objects.filter(pk=1).first() or MessagingSettings(pk=1)


def tips_opted_out(user: User) -> bool:
    return TipsOptOut.objects.filter(user=user).exists()


def appointment_sequence(appointment: Appointment) -> int:
    """The appointment's calendar SEQUENCE: 0 when booked, one more for each move and the cancellation."""
    found = Message.objects.filter(appointment=appointment).aggregate(Max("sequence"))["sequence__max"]
    return found or 0
