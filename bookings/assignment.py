"""Who takes an "anyone" booking: the clinic picks a therapist who is free, spreading the work.

The rule: of the therapists free at that time (and allowed by the client's cautions), the one
with the fewest bookings that local day; ties go by the clinic's display order. The booking
service applies it inside its transaction, after locking every candidate (therapist_assign),
so two "anyone" bookings for the same time queue up and the second gets someone else.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.db.models import Count

from .availability import free_slots, local_day_bounds
from .cautions import CautionLimits
from .errors import BookingRefused, CautionRuledOut
from .models import Appointment, Clinic, Service, Therapist


def therapist_pick(
    free: Iterable[Therapist], bookings_that_day: Mapping[int, int], *, prefer: Therapist | None = None
) -> Therapist | None:
    """The free therapist with the fewest bookings that day, ties by display order; None if nobody.

    `prefer` wins whenever they are free (a client moving an appointment keeps their therapist).
    """
    free = list(free)
    if prefer is not None and prefer.pk in {each.pk for each in free}:
        return prefer
    return min(
        free,
        key=lambda each: (
            bookings_that_day.get(each.pk, 0),
            each.display_order,
            each.user.first_name,
            each.user.last_name,
            each.pk,
        ),
        default=None,
    )


def bookings_per_therapist(therapist_ids: Iterable[int], day: date, clinic: Clinic) -> dict[int, int]:
    """How many appointments (not cancelled) each therapist has on the clinic's local `day`."""
    day_start, day_end = local_day_bounds(day, clinic.tz)
    rows = (
        Appointment.objects.filter(
            therapist_id__in=list(therapist_ids),
            status__in=Appointment.ACTIVE_STATUSES,
            start__gte=day_start,
            start__lt=day_end,
        )
        .values("therapist_id")
        .annotate(count=Count("pk"))
    )
    return {row["therapist_id"]: row["count"] for row in rows}


def therapist_assign(
    *, clinic: Clinic, service: Service, start: datetime, limits: CautionLimits, now: datetime
) -> Therapist | None:
    """Lock every therapist offering `service` and pick one free at `start`; None if nobody is.

    Call inside transaction.atomic(), after locking the client: the candidates are locked in
    primary-key order, the same order for every booking, so concurrent bookings cannot deadlock.
    The schedule and the day's bookings are read after the locks, so they are current.
    """
    candidates = list(
        Therapist.objects.select_for_update(of=("self",))
        .filter(is_active=True, services=service)
        .select_related("user")
        .order_by("pk")
    )
    if not candidates:
        raise BookingRefused(f"{service.name} can't be booked at the moment.")
    allowed = [each for each in candidates if limits.allows_therapist(each)]
    if not allowed:
        raise CautionRuledOut(
            f"{limits.therapist_explanation} None of our pregnancy-trained therapists offers "
            f"{service.name}. Please call us{f' on {clinic.phone}' if clinic.phone else ''} to talk it through.",
            for_staff=(
                f"This client's intake rules out some therapists online, and none of those they can "
                f"book offers {service.name}. Choose a therapist to book it with a reason."
            ),
        )
    day = start.astimezone(clinic.tz).date()
    free_ids = {
        slot.therapist_id
        for slot in free_slots(service=service, start_date=day, end_date=day, clinic=clinic, now=now)
        if slot.start == start
    }
    free = [each for each in allowed if each.pk in free_ids]
    return therapist_pick(free, bookings_per_therapist([each.pk for each in free], day, clinic))
