"""The JSON shapes of plans, series and packages in API v1. Changing a field changes the public contract."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from accounts.api import ErrorOut
from bookings.schemas import RED_FLAGS_DESCRIPTION, AppointmentOut, LocalDateTime, RecheckIn, SlotOut
from clinic.validation import AwareDatetimeNearToday

from .series import SERIES_MAX_SESSIONS

SessionCount = Annotated[int, Field(ge=1, le=SERIES_MAX_SESSIONS, strict=True)]


class ProgressOut(Schema):
    sessions_planned: int
    sessions_done: int = Field(description="Completed sessions of the plan's series.")
    sessions_booked_ahead: int = Field(description="Booked and still to come.")
    sessions_to_book: int = Field(description="Neither done nor booked: what a new series may book.")
    next_session: AppointmentOut | None
    is_finished: bool = Field(description="As many sessions completed as planned.")


class PlanOut(Schema):
    id: int
    client: int
    therapist: int
    service: int
    sessions_planned: int
    frequency: str = Field(description="weekly, fortnightly or twice_weekly.")
    reassess_every_sessions: int
    status: str = Field(description="active, completed or ended (ended early).")
    written_at: LocalDateTime
    ended_at: LocalDateTime | None
    goals: list[str] | None = Field(
        description="In the client's words. null for staff who may not read the client's clinical "
        "record (the front desk)."
    )
    summary: str | None = Field(description="Plain language, for the client; null as for `goals`.")
    progress: ProgressOut


class PlanDetailOut(PlanOut):
    sessions: list[AppointmentOut] = Field(description="Every appointment booked for the plan, by start.")


class SeriesPreviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    plan: int = Field(description="One of the caller's active plans: its therapist, service and frequency.")
    first_start: AwareDatetimeNearToday = Field(
        description="The first session, ISO-8601 with its offset, as given by /availability."
    )
    sessions: SessionCount | None = Field(
        None, description="How many sessions; leave out for all the plan has still to book."
    )


class ProposalOut(Schema):
    session: int = Field(description="1 for the first session.")
    start: LocalDateTime | None = Field(
        description="The proposed time: the first session's weekday and local time, stepped by the "
        "plan's frequency; null when the clocks skip that time that day."
    )
    free: bool
    reason: str = Field(description='Why it is not free ("" when free).')
    too_far_ahead: bool = Field(description="Beyond the booking horizon: book it nearer the time.")
    alternatives: list[SlotOut] = Field(
        description="When not free: the nearest free times with the same therapist that week "
        "(Monday to Sunday), never on the day of another session."
    )


class SeriesPreviewOut(Schema):
    time_zone: str
    sessions: list[ProposalOut]


class SeriesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    plan: int = Field(description="One of the caller's active plans.")
    starts: list[AwareDatetimeNearToday] = Field(
        min_length=1,
        max_length=SERIES_MAX_SESSIONS,
        description="Each session's start (from /series/preview: the proposed times or alternatives). "
        "All are booked, or none.",
    )
    red_flags: RecheckIn = Field(description=RED_FLAGS_DESCRIPTION + " Asked once for the whole series.")


class SeriesOut(Schema):
    id: int
    plan: int | None
    booked_at: LocalDateTime
    appointments: list[AppointmentOut] = Field(description="The series' appointments, by start.")


class SeriesCancelOut(Schema):
    series: SeriesOut
    cancelled: list[int] = Field(description="The ids of the appointments cancelled now.")
    kept: list[int] = Field(
        description="Sessions still to come inside the cancellation window: only the clinic can cancel "
        "them now (call the clinic)."
    )


class SeriesRefusalOut(ErrorOut):
    session: int | None = Field(
        None, description="Which session was refused (1 for the first); nothing was booked."
    )
    start: LocalDateTime | None = Field(None, description="That session's start.")
    alternatives: list[SlotOut] = Field(
        default_factory=list,
        description="For a time that is not free: the nearest free times in that session's week.",
    )
    outcome: str | None = Field(
        None, description="When the intake gate refuses (403): as for POST /appointments."
    )


class PackageBalanceOut(Schema):
    purchase: int
    package: str
    service: int
    sessions: int
    used: int = Field(description="Sessions drawn: attended, missed, or booked ahead.")
    booked_ahead: int
    remaining: int
    expires_on: date = Field(description="The last local date a session may be on to use the package.")
    expired: bool
