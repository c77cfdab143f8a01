"""The "no longer available" refusal, with the free times nearby to offer instead."""

from datetime import datetime, timedelta

from .availability import Slot, free_slots, free_times
from .cautions import NO_LIMITS, CautionLimits, slots_with_therapists_allowed
from .errors import SlotUnavailable
from .models import Clinic, Service, Therapist

ALTERNATIVES_SHOWN = 5
ALTERNATIVES_SEARCH_DAYS = 7


def slot_taken(
    clinic: Clinic,
    therapist: Therapist | None,
    service: Service,
    start: datetime,
    ignore_appointment_id: int | None = None,
    limits: CautionLimits = NO_LIMITS,
) -> SlotUnavailable:
    """The refusal for a taken time, with free slots nearby (looked up when first read). For
    "anyone" (None): each time once, with the first therapist free then whom the client's
    cautions (`limits`) allow."""

    def nearby() -> list[Slot]:
        day = start.astimezone(clinic.tz).date()
        found = free_slots(
            service=service,
            therapist=therapist,
            start_date=day,
            end_date=day + timedelta(days=ALTERNATIVES_SEARCH_DAYS),
            clinic=clinic,
            ignore_appointment_id=ignore_appointment_id,
        )
        if therapist is None:
            found = [
                Slot(start=time.start, therapist_id=time.therapist_ids[0], end=time.end)
                for time in free_times(slots_with_therapists_allowed(limits, found))
            ]
        closest = sorted(found, key=lambda slot: abs(slot.start - start))[:ALTERNATIVES_SHOWN]
        return sorted(closest)

    return SlotUnavailable("Sorry, that time is no longer available. Here are other times nearby.", nearby)
