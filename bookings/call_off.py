"""The clinic calls off a client's appointments still to come (a health check, an erased account).

Shared by bookings.screening (a client who becomes blocked) and bookings.services (erasure).
"""

from datetime import datetime

from accounts.models import User

from .models import Appointment


def appointments_call_off(*, client: User, reason: str, now: datetime) -> list[Appointment]:
    """The clinic cancels every appointment `client` has still to come, for `reason`.

    No messages: the caller says what the client is told. Call inside a transaction.
    """
    upcoming = list(
        Appointment.objects.select_for_update()
        .filter(client=client, status=Appointment.Status.BOOKED, start__gt=now)
        .order_by("start")
    )
    for appointment in upcoming:
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancellation_reason = reason
        appointment.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    return upcoming
