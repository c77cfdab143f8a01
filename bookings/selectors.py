from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from clinic.rows import row_get, rows_select

from .models import Appointment, Clinic, Service, Therapist


def clinic_get() -> Clinic:
    """The clinic's settings row; a fresh install gets one with sensible defaults."""
    clinic = row_get(Clinic, 1)  # read on nearly every request
    if clinic is None:
        clinic, _ = Clinic.objects.get_or_create(pk=1, defaults={"name": "Massage clinic"})
    return clinic


def services_bookable() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def therapists_bookable() -> QuerySet[Therapist]:
    return Therapist.objects.filter(is_active=True).select_related("user").prefetch_related("services")


def service_and_therapist_found(
    service_id: int, therapist_id: int | None, *, bookable_only: bool
) -> tuple[Service | None, bool]:
    """The service (None if there is none with that id), and whether the therapist exists; with
    `bookable_only`, only active ones count, as services_bookable() and therapists_bookable().

    One round trip, so naming a therapist costs no more than "anyone". Written as SQL (see
    clinic.rows): every booking asks it before anything else.
    """
    service_active, therapist_active = (" AND t.is_active", " AND is_active") if bookable_only else ("", "")
    therapists = Therapist._meta.db_table
    found = rows_select(
        Service,
        f"t.id = %s{service_active}",
        [therapist_id or 0, service_id],  # no therapist has id 0
        annotations={
            "therapist_found": f"EXISTS (SELECT 1 FROM {therapists} WHERE id = %s{therapist_active})"
        },
    )
    service = found[0] if found else None
    return service, bool(service and service.therapist_found)  # type: ignore[attr-defined]


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
