"""Pieces shared by the pages where someone picks a time: the client's and the front desk's."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest
from django.utils.formats import date_format

from .availability import Slot
from .cautions import NO_LIMITS, CautionLimits
from .forms import ANYONE, DaySearchForm, SlotChoiceForm
from .models import Appointment, Clinic
from .selectors import therapists_bookable


@dataclass(frozen=True)
class SlotButton:
    start: datetime
    therapist_name: str
    url: str


def slot_buttons(slots: list[Slot], url: Callable[[Slot], str]) -> list[SlotButton]:
    """A button per free slot, with the therapist's name, in one query for the names."""
    ids = {slot.therapist_id for slot in slots}
    names = {each.pk: each.name for each in therapists_bookable().filter(pk__in=ids)}
    return [
        SlotButton(start=slot.start, therapist_name=names[slot.therapist_id], url=url(slot)) for slot in slots
    ]


def when_text(start: datetime, clinic: Clinic) -> str:
    """ "Monday 7 December at 10:00", in the clinic's time zone."""
    return date_format(start.astimezone(clinic.tz), r"l j F \a\t H:i")


def move_forms(
    request: HttpRequest,
    appointment: Appointment,
    *,
    clinic: Clinic,
    today: date,
    limits: CautionLimits = NO_LIMITS,
) -> tuple[DaySearchForm, SlotChoiceForm | None]:
    """The day/therapist search for a new time, and the new time once one is chosen.

    The search starts on the appointment's own day and therapist (Anyone if the client's
    cautions, `limits`, rule that therapist out); the choice arrives as GET (to confirm) or
    POST (to move).
    """
    current_day = appointment.start.astimezone(clinic.tz).date()
    therapists = limits.therapists(therapists_bookable().filter(services=appointment.service))
    current = str(appointment.therapist_id) if limits.allows_therapist(appointment.therapist) else ANYONE
    defaults = {"therapist": current, "date": max(today, current_day).isoformat()}
    search = DaySearchForm(
        {**defaults, **request.GET.dict()}, clinic=clinic, today=today, therapists=therapists
    )
    slot_data = request.POST if request.method == "POST" else request.GET if "start" in request.GET else None
    return search, SlotChoiceForm(slot_data) if slot_data is not None else None
