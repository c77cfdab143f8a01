from collections.abc import Collection

from django.db.models import Max

from accounts.models import User
from bookings.models import Appointment
from clinic.rows import row_get

from .models import Message, MessagingSettings, TipsOptOut


def messaging_settings_get() -> MessagingSettings:
    """The clinic's messaging settings, or the defaults (reminder 24 hours before) until an admin saves them.

    Read-only on purpose: it runs inside the booking transaction, which should write only the
    appointment and its messages.
    """
    return row_get(MessagingSettings, 1) or MessagingSettings(pk=1)


def tips_opted_out(user: User) -> bool:
    return TipsOptOut.objects.filter(user=user).exists()


def tips_opted_out_among(user_ids: Collection[int]) -> set[int]:
    """Which of these users have unsubscribed from tips, in one query (a dispatcher's batch)."""
    return set(TipsOptOut.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))


def appointment_sequence(appointment: Appointment) -> int:
    """The appointment's calendar SEQUENCE: 0 when booked, one more for each move and the cancellation."""
    return appointment_sequences([appointment.pk]).get(appointment.pk, 0)


def appointment_sequences(appointment_ids: Collection[int]) -> dict[int, int]:
    """appointment_sequence for each of these appointments, in one query."""
    found = (
        Message.objects.filter(appointment_id__in=appointment_ids)
        .values("appointment_id")
        .annotate(sequence=Max("sequence"))
        .values_list("appointment_id", "sequence")
    )
    return {appointment_id: sequence or 0 for appointment_id, sequence in found}
