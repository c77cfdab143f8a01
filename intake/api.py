"""The sciatica intake in the JSON API v1: submit one, and read the current one.

`answers` arrives as a plain JSON object and goes to intake.services untouched, so a yes/no
answer must be a JSON boolean: pydantic would otherwise turn "true" or 1 into True.
"""

from typing import Any

from django.core.exceptions import ValidationError as ServiceValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool, field_validator
from pydantic_core import PydanticCustomError

from accounts.api import ErrorOut, FieldErrorsOut
from bookings.screening import client_standing, intake_record
from bookings.selectors import clinic_get
from clinic.throttle import INTAKES_PER_CLIENT, rate_hit
from clinic.validation import StorableStr

from .forms import WorseWith
from .models import Intake
from .selectors import Standing, standing_advice
from .services import DETAIL_FIELDS
from .triage import QUESTIONS

# django_auth runs Django's CSRF check on unsafe methods before it looks at the session.
router = Router(tags=["intake"], auth=django_auth)


ANSWERS_EXAMPLE: dict[str, object] = {
    **{key: False for key in QUESTIONS},
    "leg_weakness": "none",
    "recent_surgery_weeks": None,
    "age": 35,
    "pain_score": 5,
    "pain_radiates_below_knee": True,
    "numbness_tingling": True,
    "symptom_weeks": 3,
}


class IntakeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(
        description=(
            "All 20 questions, keyed as in the intake. Yes/no answers are JSON booleans; "
            "leg_weakness is none, mild or severe_or_worsening; recent_surgery_weeks is a whole "
            "number or null (no operation in the last 3 months); age 0-120, pain_score 0-10, "
            "symptom_weeks 0 or more."
        ),
        examples=[ANSWERS_EXAMPLE],
    )
    consent: StrictBool = Field(
        False, description="true: the client agrees that the answers are shared with the clinic's therapists."
    )
    pain_location: StorableStr = Field("", max_length=200)
    worse_with: list[WorseWith] = Field(default_factory=list)
    health_history: StorableStr = ""
    medications: StorableStr = ""
    pressure_preference: str = Field("", json_schema_extra={"enum": ["", *Intake.Pressure.values]})
    positioning: StorableStr = Field("", max_length=200)
    areas_to_avoid: StorableStr = Field("", max_length=200)
    goals: StorableStr = ""

    @field_validator("pressure_preference")
    @classmethod
    def _a_pressure_the_clinic_offers(cls, pressure: str) -> str:
        if pressure and pressure not in Intake.Pressure.values:
            raise PydanticCustomError("pressure", "Choose light, medium or firm, or leave it empty.")
        return pressure


class ReasonOut(Schema):
    code: str
    message: str


class IntakeOut(Schema):
    id: int = Field(description="The client's latest intake.")
    outcome: str = Field(
        description="The outcome in force: EMERGENCY, SEE_DOCTOR, CAUTION or CLEAR. A red flag on record "
        "stays in force until the clinic lifts it, whatever later intakes say."
    )
    can_book: bool
    reasons: list[ReasonOut] = Field(description="Every reason in force.")
    advice: list[str] = Field(description="Paragraphs to show the client, in order.")


def _intake_out(standing: Standing) -> IntakeOut:
    clinic = clinic_get()
    assert standing.newest is not None and standing.outcome is not None
    return IntakeOut(
        id=standing.newest.pk,
        outcome=standing.outcome,
        can_book=standing.can_book,
        reasons=[ReasonOut(code=reason.code, message=reason.message) for reason in standing.reasons],
        advice=standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
    )


def _field_loc(field: str) -> tuple[str, ...]:
    # Shaped like pydantic's own locations, so clinic.api reports "answers.age" or "consent".
    # The schema has already checked the details, so any other key is one of the answers.
    if field == "consent" or field in DETAIL_FIELDS:
        return ("body", "payload", field)
    return ("body", "payload", "answers", field)


@router.post(
    "",
    response={201: IntakeOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut, 429: ErrorOut},
    summary="Submit a sciatica intake",
    description="Stores nothing unless every answer is valid and consent is true.",
)
def intake_create(request: HttpRequest, payload: IntakeIn) -> Status[IntakeOut]:
    rate_hit(INTAKES_PER_CLIENT, request.user.pk)
    try:
        intake_record(
            client=request.user,  # type: ignore[arg-type]
            answers=payload.answers,
            consent=payload.consent,
            details=payload.model_dump(include=set(DETAIL_FIELDS)),
        )
    except ServiceValidationError as error:
        raise ValidationError(
            [
                {"loc": _field_loc(field), "msg": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        ) from error
    return Status(201, _intake_out(client_standing(request.user)))  # type: ignore[arg-type]


@router.get(
    "/current",
    response={200: IntakeOut, 401: ErrorOut, 404: ErrorOut},
    summary="My current intake",
    description="The outcome in force; 404 if there is no current intake and no red flag on record.",
)
def intake_current_get(request: HttpRequest) -> Status[object]:
    standing = client_standing(request.user)  # type: ignore[arg-type]
    if standing.outcome is None:
        return Status(404, {"detail": "There is no current intake. Please fill in the health questionnaire."})
    return Status(200, _intake_out(standing))
