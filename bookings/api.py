"""Bookings in the JSON API v1: the catalogue, free slots and the client's own appointments.

The rules live in bookings.services and bookings.availability; these views only translate.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.security import django_auth

from accounts.api import ErrorOut, FieldErrorsOut
from accounts.models import User
from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT, rate_hit

from .availability import Slot, free_slots, free_times
from .cautions import caution_limits_of, slots_allowed
from .errors import BookingError, BookingRefused, CancellationWindowClosed, IntakeRequired, SlotUnavailable
from .models import Appointment, Service, Therapist
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    AvailabilityOut,
    AvailabilityQuery,
    ForbiddenOut,
    RescheduleIn,
    ServiceOut,
    SlotOut,
    SlotTakenOut,
    TherapistOut,
)
from .selectors import (
    appointments_of_client,
    clinic_get,
    service_and_therapist_found,
    services_bookable,
    therapists_bookable,
)
from .services import appointment_book, appointment_cancel, appointment_reschedule

router = Router(tags=["catalogue"])
# django_auth runs Django's CSRF check on unsafe methods before it looks at the session.
appointments_router = Router(tags=["appointments"], auth=django_auth)

M = TypeVar("M", bound=Model)

# Every way booking, cancelling or moving can fail; 403 is CSRF or the intake gate.
REFUSAL_RESPONSES: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ForbiddenOut,
    409: SlotTakenOut,
    422: FieldErrorsOut,
}


def _no_more(error: BookingError) -> dict[str, object]:
    return {}


def _alternatives(error: SlotUnavailable) -> dict[str, object]:
    tz = clinic_get().tz
    return {"alternatives": [slot_out(slot, tz).model_dump() for slot in error.alternatives]}


def _outcome(error: IntakeRequired) -> dict[str, object]:
    return {"outcome": error.outcome}


# How each refusal from bookings.services reaches the client: its status, and what the body
# carries beside `detail`. Looked up along the exception's MRO, so BookingError is the fallback.
REFUSALS: dict[type[BookingError], tuple[int, Callable[[Any], dict[str, object]]]] = {
    BookingRefused: (400, _no_more),
    SlotUnavailable: (409, _alternatives),
    CancellationWindowClosed: (409, _no_more),
    IntakeRequired: (403, _outcome),
    BookingError: (400, _no_more),
}


def refusal_response(error: BookingError) -> tuple[int, dict[str, object]]:
    """The status and JSON body for a refusal raised by bookings.services."""
    for cls in type(error).__mro__:
        if cls in REFUSALS:
            status, extra = REFUSALS[cls]
            return status, {"detail": error.message, **extra(error)}
    raise TypeError(f"{error!r} is not a BookingError")


def slot_out(slot: Slot, tz: ZoneInfo) -> SlotOut:
    return SlotOut(therapist=slot.therapist_id, start=slot.start.astimezone(tz), end=slot.end.astimezone(tz))


def appointment_out(appointment: Appointment, tz: ZoneInfo) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.pk,
        service=appointment.service_id,
        therapist=appointment.therapist_id,
        start=appointment.start.astimezone(tz),
        end=appointment.end.astimezone(tz),
        status=appointment.status,
    )


def _one_of(queryset: QuerySet[M], pk: int, *, loc: tuple[str, ...]) -> M:
    """The row with `pk`, or a 422 at `loc`, shaped like the input schemas' own errors."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise _not_found(queryset.model, pk, loc=loc)
    return found


def _not_found(model: type[Model], pk: int, *, loc: tuple[str, ...]) -> ValidationError:
    return ValidationError([{"loc": loc, "msg": f"There is no {model._meta.verbose_name} with id {pk}."}])


def _service_and_therapist(
    *, service_id: int, therapist_id: int | None, bookable_only: bool, loc: tuple[str, ...]
) -> tuple[Service, Therapist | None]:
    """The service, and the therapist named if any, or a 422 at `loc` + the field's name.

    The therapist is handed on by id alone: free_slots needs no more, and bookings.services
    reads the therapist's row under its lock.
    """
    service, therapist_found = service_and_therapist_found(
        service_id, therapist_id, bookable_only=bookable_only
    )
    if service is None:
        raise _not_found(Service, service_id, loc=(*loc, "service"))
    if therapist_id is None:
        return service, None
    if not therapist_found:
        raise _not_found(Therapist, therapist_id, loc=(*loc, "therapist"))
    return service, Therapist(pk=therapist_id)


def _client(request: HttpRequest) -> User:
    # Only for appointments_router's views: django_auth lets nobody else this far.
    return cast(User, request.user)


def _own_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    # Someone else's appointment is "not found", not "forbidden": ids reveal nothing.
    return get_object_or_404(appointments_of_client(_client(request).pk), pk=appointment_id)


@router.get("/services", response=list[ServiceOut], summary="Services that can be booked")
def services(request: HttpRequest) -> list[Service]:
    # Read here, not while the response is serialised, where a dropped connection would be a 500.
    return list(services_bookable())


@router.get("/therapists", response=list[TherapistOut], summary="Therapists who can be booked")
def therapists(request: HttpRequest) -> list[Therapist]:
    return list(therapists_bookable())


@router.get(
    "/availability",
    response={200: AvailabilityOut, 422: FieldErrorsOut},
    summary="Free slots for a service between two local dates",
    description=(
        "Open to everyone. For a signed-in client, only slots that booking would accept: when their "
        "health questionnaire rules out a service online (firm or deep pressure, for some cautions) "
        "the list is empty, and when it asks for a pregnancy-trained therapist, other therapists' "
        "slots are left out (an empty list if `therapist` is one of them). Booking a slot left out "
        "answers 400 with the reason in `detail`. `slots` has one entry per therapist per time; "
        "`times` has each time once with the therapists free then, for booking with anyone."
    ),
)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> HttpResponse:
    service, therapist = _service_and_therapist(
        service_id=query.service, therapist_id=query.therapist, bookable_only=True, loc=("query",)
    )
    clinic = clinic_get()
    slots = free_slots(
        service=service, therapist=therapist, start_date=query.start, end_date=query.end, clinic=clinic
    )
    slots = slots_allowed(caution_limits_of(request.user, clinic=clinic), slots, service=service)
    return _availability_response(slots, clinic.time_zone, clinic.tz)


def _availability_response(slots: list[Slot], time_zone: str, tz: ZoneInfo) -> JsonResponse:
    """AvailabilityOut, written out directly: a month for a clinic is thousands of slots, and
    building a schema object for each took three times as long as finding them. Each instant is
    formatted once (LocalDateTime's text), however many therapists are free then."""
    formatted: dict[datetime, str] = {}

    def local(moment: datetime) -> str:
        if moment not in formatted:
            formatted[moment] = moment.astimezone(tz).isoformat()
        return formatted[moment]

    return JsonResponse(
        {
            "time_zone": time_zone,
            "slots": [
                {"therapist": slot.therapist_id, "start": local(slot.start), "end": local(slot.end)}
                for slot in slots
            ],
            "times": [
                {"start": local(time.start), "end": local(time.end), "therapists": list(time.therapist_ids)}
                for time in free_times(slots)
            ],
        }
    )


@appointments_router.get(
    "", response={200: list[AppointmentOut], 401: ErrorOut}, summary="My appointments, by start time"
)
def appointments_list(request: HttpRequest) -> list[AppointmentOut]:
    tz = clinic_get().tz
    mine = appointments_of_client(_client(request).pk).order_by("start", "pk")
    return [appointment_out(appointment, tz) for appointment in mine]


@appointments_router.post(
    "",
    response={201: AppointmentOut, **REFUSAL_RESPONSES, 429: ErrorOut},
    summary="Book an appointment",
    description=(
        "`start` must be a slot from /availability. `therapist` null books anyone: the clinic picks "
        "a therapist free at `start`. 409 offers nearby free slots instead (for anyone, each time "
        "once). 400 (with the reason in `detail`) when the client's health questionnaire rules out "
        "the service or therapist online: only the clinic can book those."
    ),
)
def appointments_book(request: HttpRequest, booking: AppointmentIn) -> Status[AppointmentOut]:
    rate_hit(BOOKING_ATTEMPTS_PER_CLIENT, request.user.pk)
    service, therapist = _service_and_therapist(
        service_id=booking.service,
        therapist_id=booking.therapist,
        bookable_only=False,
        loc=("body", "booking"),
    )
    clinic = clinic_get()
    appointment = appointment_book(
        client=_client(request),
        service=service,
        therapist=therapist,
        start=booking.start,
        red_flags=booking.red_flags.model_dump(),
        clinic=clinic,
    )
    return Status(201, appointment_out(appointment, clinic.tz))


@appointments_router.get(
    "/{appointment_id}", response={200: AppointmentOut, 401: ErrorOut, 404: ErrorOut}, summary="One of mine"
)
def appointments_detail(request: HttpRequest, appointment_id: int) -> AppointmentOut:
    return appointment_out(_own_appointment(request, appointment_id), clinic_get().tz)


@appointments_router.post(
    "/{appointment_id}/cancel",
    response={200: AppointmentOut, 404: ErrorOut, **REFUSAL_RESPONSES},
    summary="Cancel an appointment",
)
def appointments_cancel(request: HttpRequest, appointment_id: int) -> AppointmentOut:
    appointment = appointment_cancel(
        appointment=_own_appointment(request, appointment_id), by=_client(request)
    )
    return appointment_out(appointment, clinic_get().tz)


@appointments_router.post(
    "/{appointment_id}/reschedule",
    response={200: AppointmentOut, 404: ErrorOut, **REFUSAL_RESPONSES, 429: ErrorOut},
    summary="Move an appointment",
)
def appointments_reschedule(request: HttpRequest, appointment_id: int, move: RescheduleIn) -> AppointmentOut:
    rate_hit(BOOKING_ATTEMPTS_PER_CLIENT, request.user.pk)
    appointment = _own_appointment(request, appointment_id)
    therapist = None
    if move.therapist is not None:
        therapist = _one_of(Therapist.objects.all(), move.therapist, loc=("body", "move", "therapist"))
    appointment = appointment_reschedule(
        appointment=appointment,
        start=move.start,
        therapist=therapist,
        by=_client(request),
        red_flags=move.red_flags.model_dump(),
    )
    return appointment_out(appointment, clinic_get().tz)
