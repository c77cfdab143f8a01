"""The JSON shapes of the booking API (v1). Changing a field here changes the public contract."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import (
    ConfigDict,
    PlainSerializer,
    StrictBool,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from accounts.api import ErrorOut
from bookings.models import Therapist
from clinic.validation import AwareDatetimeNearToday, DateNearToday
from intake.recheck import RECHECK_KEYS

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
    start: DateNearToday = Field(description="First local date, YYYY-MM-DD.")
    end: DateNearToday = Field(
        description=f"Last local date, inclusive; at most {MAX_AVAILABILITY_DAYS} days in all."
    )

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


class TimeOut(Schema):
    start: LocalDateTime
    end: LocalDateTime
    therapists: list[int] = Field(description="The ids of the therapists free at this time, ascending.")


class AvailabilityOut(Schema):
    time_zone: str = Field(description="The clinic's IANA time zone; slot times carry its offset.")
    slots: list[SlotOut] = Field(description="One entry per free time per therapist, sorted by start.")
    times: list[TimeOut] = Field(
        description='The same free slots, one entry per time with the therapists free then: what a "book '
        'with anyone" picker shows. Book one with `"therapist": null` and the clinic picks among them.'
    )


class RecheckIn(Schema):
    """The re-check before each booking or move: "since your intake, have you had any of these?"

    A "no" (false) means "nothing new", never "no longer": nothing answered here can lower an
    outcome on record. Every key is required.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    **{key: False for key in RECHECK_KEYS},
                    "leg_weakness": "none",
                    "recent_surgery_weeks": None,
                    "pain_score": 4,
                }
            ]
        },
    )

    bladder_bowel_change: StrictBool
    saddle_numbness: StrictBool
    leg_weakness: Literal["none", "mild", "severe_or_worsening"] = Field(
        description="Has either leg or foot become weak, or weaker? The worse of this and the intake's answer is kept."
    )
    both_legs: StrictBool
    recent_major_trauma: StrictBool
    cancer_history: StrictBool
    fever_or_unexplained_weight_loss: StrictBool
    iv_drug_use_or_immunosuppressed: StrictBool
    calf_swelling_redness_warmth: StrictBool
    known_blood_clot: StrictBool
    recent_fracture_unhealed: StrictBool
    recent_surgery_weeks: Annotated[int, Field(ge=0, strict=True)] | None = Field(
        description="Whole weeks since an operation had since the intake, or null for none."
    )
    pain_score: Annotated[int, Field(ge=0, le=10, strict=True)] = Field(description="The pain now, 0-10.")
    pain_radiates_below_knee: StrictBool = Field(description="New since the intake.")
    numbness_tingling: StrictBool = Field(description="New since the intake.")


RED_FLAGS_DESCRIPTION = (
    "The re-check, required: the gate runs first (403 if a red flag on record blocks), then any new "
    '"yes" is recorded and may refuse the booking with 403.'
)


class AppointmentIn(Schema):
    service: int
    therapist: int | None = Field(
        description="A therapist's id, or null for anyone: the clinic books the free therapist with the "
        "fewest appointments that day (among those the client's health questionnaire allows), and the "
        "response's `therapist` says who. Required: send null explicitly for anyone."
    )
    start: AwareDatetimeNearToday = Field(description="ISO-8601 with its offset, as given by /availability.")
    red_flags: RecheckIn = Field(description=RED_FLAGS_DESCRIPTION)


class RescheduleIn(Schema):
    start: AwareDatetimeNearToday = Field(description="ISO-8601 with its offset, as given by /availability.")
    therapist: int | None = Field(None, description="Leave out to keep the same therapist.")
    red_flags: RecheckIn = Field(description=RED_FLAGS_DESCRIPTION)


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
