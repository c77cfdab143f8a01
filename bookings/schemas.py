"""The JSON shapes of the booking API (v1). Changing a field here changes the public contract."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AwareDatetime, PlainSerializer, ValidationInfo, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from accounts.api import ErrorOut
from bookings.models import Therapist
from intake.triage import RED_FLAG_KEYS

MAX_AVAILABILITY_DAYS = 62

# Prices travel as strings ("65.00") so no client ever rounds money through a float.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda price: f"{price:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["65.00"]}),
]

# Times leave the API in the clinic's own zone with an explicit offset ("2026-12-07T10:00:00+00:00"),
# never "Z": the views convert them with `astimezone(clinic.tz)` first.
LocalDateTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-12-07T10:00:00+00:00"]}),
]


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    duration_minutes: int
    price: Money = Field(description='A decimal string in the clinic\'s currency, e.g. "65.00".')


class TherapistOut(Schema):
    id: int
    name: str
    bio: str
    service_ids: list[int] = Field(description="The active services this therapist offers.")

    @staticmethod
    def resolve_service_ids(therapist: Therapist) -> list[int]:
        # .all() reads the prefetch from therapists_bookable(); filtering in SQL would not.
        return [service.pk for service in therapist.services.all() if service.is_active]


class AvailabilityQuery(Schema):
    service: int
    therapist: int | None = Field(None, description="Leave out for anyone who offers the service.")
    start: date = Field(description="First local date, YYYY-MM-DD.")
    end: date = Field(description=f"Last local date, inclusive; at most {MAX_AVAILABILITY_DAYS} days in all.")

    @field_validator("end")
    @classmethod
    def _end_within_range(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is None:
            return end
        if end < start:
            raise PydanticCustomError("date_range", "The end date must not be before the start date.")
        if (end - start).days + 1 > MAX_AVAILABILITY_DAYS:
            raise PydanticCustomError(
                "date_range", f"Ask for at most {MAX_AVAILABILITY_DAYS} days at a time."
            )
        return end


class SlotOut(Schema):
    therapist: int
    start: LocalDateTime
    end: LocalDateTime


class AvailabilityOut(Schema):
    time_zone: str = Field(description="The clinic's IANA time zone; slot times carry its offset.")
    slots: list[SlotOut]


# Passed to bookings.services untouched (intake.services validates it), so a yes/no answer
# must be a JSON boolean: pydantic would otherwise turn "true" or 1 into True.
RedFlags = Annotated[
    dict[str, Any] | None,
    Field(
        None,
        description=(
            'The short red-flag re-check asked at each booking ("since your intake, have you had any '
            'of these?"): every one of these keys, yes/no answers as JSON booleans, leg_weakness as '
            "none, mild or severe_or_worsening. A new red flag is recorded and may refuse the "
            "booking with 403. Leave out to skip the re-check."
        ),
        examples=[{key: "none" if key == "leg_weakness" else False for key in RED_FLAG_KEYS}],
    ),
]


class AppointmentIn(Schema):
    service: int
    therapist: int
    start: AwareDatetime = Field(description="ISO-8601 with its offset, as given by /availability.")
    red_flags: RedFlags


class RescheduleIn(Schema):
    start: AwareDatetime = Field(description="ISO-8601 with its offset, as given by /availability.")
    therapist: int | None = Field(None, description="Leave out to keep the same therapist.")
    red_flags: RedFlags


class AppointmentOut(Schema):
    id: int
    service: int
    therapist: int
    start: LocalDateTime
    end: LocalDateTime
    status: str = Field(description="booked, cancelled, completed or no_show.")


class SlotTakenOut(ErrorOut):
    alternatives: list[SlotOut] = Field(description="Free slots close to the one asked for.")


class ForbiddenOut(ErrorOut):
    outcome: str | None = Field(
        None,
        description="Present when booking needs an intake first: null when the client has none "
        "current, or the red-flag outcome (EMERGENCY, SEE_DOCTOR) that stops online booking.",
    )
