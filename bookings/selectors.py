from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User

from .models import Appointment, Clinic, Service, Therapist


def clinic_get() -> Clinic:
    """The clinic's settings row; a fresh install gets one with sensible defaults."""
    clinic, _ = Clinic.objects.get_or_create(pk=1, defaults={"name": "Massage clinic"})
    return clinic


def services_bookable() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def therapists_bookable() -> QuerySet[Therapist]:
    return Therapist.objects.filter(is_active=True).select_related("user").prefetch_related("services")


def appointments_of_client(client_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(client_id=client_id).select_related("service", "therapist__user")


def appointments_released_for_health_check(client: User, *, now: datetime) -> list[Appointment]:
    """The client's appointments still to come that the clinic cancelled for a health check."""
    return list(
        Appointment.objects.filter(
            client=client,
            status=Appointment.Status.CANCELLED,
            cancellation_reason=Appointment.CancellationReason.HEALTH_CHECK,
            start__gt=now,
        )
        .select_related("service", "therapist__user")
        .order_by("start")
    )
