from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from bookings.models import Appointment
from intake.models import Intake


def clients_inactive_since(cutoff: datetime) -> QuerySet[User]:
    """Clients (never staff) with no login, booking, appointment or intake since `cutoff`.

    A cancelled appointment counts from when it was booked, not from its date, so that the
    appointments cancelled by an erasure do not push the retention period months ahead.
    """
    appointments = Appointment.objects.filter(client=OuterRef("pk"))
    return (
        User.objects.filter(
            is_staff=False,
            is_superuser=False,
            therapist__isnull=True,
            groups__isnull=True,
            date_joined__lt=cutoff,
        )
        .exclude(last_login__gte=cutoff)
        .exclude(Exists(appointments.filter(created_at__gte=cutoff)))
        .exclude(Exists(appointments.filter(start__gte=cutoff).exclude(status=Appointment.Status.CANCELLED)))
        .exclude(Exists(Intake.objects.filter(client=OuterRef("pk"), created_at__gte=cutoff)))
    )
