"""Pieces shared by the pages where someone picks a time: the client's and the front desk's."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.formats import date_format

from .assignment import bookings_per_therapist, therapist_pick
from .availability import FreeTime, Slot, free_slots, free_times
from .cautions import NO_LIMITS, CautionLimits, slots_allowed
from .forms import ANYONE, DaySearchForm, SlotChoiceForm
from .models import Appointment, Clinic, Service, Therapist
from .selectors import therapists_bookable


@dataclass(frozen=True)
class SlotButton:
    start: datetime
    therapist_name: str  # "" for "anyone": the clinic picks the therapist when it books
    url: str


def slot_buttons(
    slots: list[Slot], url: Callable[[Slot], str], *, therapists: Mapping[int, Therapist] | None = None
) -> list[SlotButton]:
    """A button per free slot, with the therapist's name: from `therapists` (by id), else one query."""
    if therapists is None:
        therapists = _therapists_by_id({slot.therapist_id for slot in slots})
    return [
        SlotButton(start=slot.start, therapist_name=therapists[slot.therapist_id].name, url=url(slot))
        for slot in slots
    ]


def _therapists_by_id(ids: Iterable[int]) -> dict[int, Therapist]:
    # Names and display order are all the buttons need: not the services therapists_bookable() prefetches.
    return {each.pk: each for each in therapists_bookable().filter(pk__in=ids).prefetch_related(None)}


def free_time_buttons(
    slots: list[Slot],
    *,
    anyone: bool,
    slot_url: Callable[[Slot], str],
    anyone_url: Callable[[datetime], str] | None = None,
    clinic: Clinic,
    prefer: Therapist | None = None,
) -> list[SlotButton]:
    """The buttons for free `slots`: one per slot for a chosen therapist, one per time for "anyone".

    Booking "anyone" (`anyone_url`) leaves the therapist to the booking service, which picks
    under its locks. A move has no "anyone" in its service: each time names the therapist it
    would be with (`prefer`, the appointment's own, when free; else the least busy that day).
    """
    if not anyone:
        return slot_buttons(slots, slot_url)
    times = free_times(slots)
    if anyone_url is not None:
        return [SlotButton(start=time.start, therapist_name="", url=anyone_url(time.start)) for time in times]
    therapists = _therapists_by_id({therapist_id for time in times for therapist_id in time.therapist_ids})
    picked = _with_therapist_picked(times, therapists, clinic=clinic, prefer=prefer)
    return slot_buttons(picked, slot_url, therapists=therapists)


def _with_therapist_picked(
    times: list[FreeTime], therapists: Mapping[int, Therapist], *, clinic: Clinic, prefer: Therapist | None
) -> list[Slot]:
    ids = set(therapists)
    counts: dict[date, dict[int, int]] = {}
    picked = []
    for time in times:
        day = time.start.astimezone(clinic.tz).date()
        if day not in counts:
            counts[day] = bookings_per_therapist(ids, day, clinic)
        free = [therapists[each] for each in time.therapist_ids if each in therapists]
        chosen = therapist_pick(free, counts[day], prefer=prefer)
        if chosen is not None:
            picked.append(Slot(start=time.start, therapist_id=chosen.pk, end=time.end))
    return picked


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


def free_times_context(
    clinic: Clinic,
    form: DaySearchForm,
    service: Service,
    *,
    slot_url: Callable[[Slot], str],
    base_query: dict[str, object],
    anyone_url: Callable[[datetime], str] | None = None,
    ignore_appointment_id: int | None = None,
    limits: CautionLimits = NO_LIMITS,
    prefer: Therapist | None = None,
    first_free_day: bool = False,
) -> dict[str, object]:
    """The free times of the chosen day as buttons, and links to move between days.

    Only slots that booking would accept under the client's cautions (`limits`) are offered;
    "anyone" shows each time once (slot_pages.free_time_buttons: `anyone_url`, `prefer`).
    With `first_free_day` (no day chosen yet), a day with nothing free gives way to the next
    day that has a free time, rather than a page to click past.
    """
    therapist: Therapist | None = form.cleaned_data["therapist"]
    day: date = form.cleaned_data["date"]
    query = {**base_query, "therapist": therapist.pk if therapist else ANYONE}

    def day_url(other: date) -> str:
        return "?" + urlencode({**query, "date": other.isoformat()})

    def slots_between(first: date, last: date) -> list[Slot]:
        slots = free_slots(
            service=service,
            therapist=therapist,
            start_date=first,
            end_date=last,
            clinic=clinic,
            ignore_appointment_id=ignore_appointment_id,
        )
        return slots_allowed(limits, slots, service=service)

    def local_day(slot: Slot) -> date:
        return slot.start.astimezone(clinic.tz).date()

    on_the_day = slots_between(day, day)
    later = slots_between(day + timedelta(days=1), form.last_day)
    nothing_free_on: date | None = None
    if first_free_day and not on_the_day and later:
        nothing_free_on, day = day, local_day(later[0])
        on_the_day = [slot for slot in later if local_day(slot) == day]
        later = [slot for slot in later if local_day(slot) > day]
    next_free_day = local_day(later[0]) if later else None
    return {
        "service": service,
        "day": day,
        "nothing_free_on": nothing_free_on,
        "slots": free_time_buttons(
            on_the_day,
            anyone=therapist is None,
            slot_url=slot_url,
            anyone_url=anyone_url,
            clinic=clinic,
            prefer=prefer,
        ),
        "anyone": therapist is None,
        "previous_day_url": day_url(day - timedelta(days=1)) if day > form.today else None,
        "next_day_url": day_url(day + timedelta(days=1)) if day < form.last_day else None,
        "next_free_day": next_free_day,
        "next_free_day_url": day_url(next_free_day) if next_free_day else None,
        "service_ruled_out": "" if limits.allows_service(service) else limits.pressure_explanation,
    }
