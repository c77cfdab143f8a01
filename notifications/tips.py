"""Which self-care tip a client may receive, decided when it is due (their intake may have changed).

The tips' wording is the clinic's own advice (stretching, heat or ice, posture, staying active,
core strength), seeded in migration 0002 and editable in the admin. This module adds no advice:
it only chooses between the standard text, the "check with your therapist or doctor first"
variant, and no tip at all.
"""

import enum
from datetime import datetime

from accounts.models import User
from bookings.models import Appointment
from intake.selectors import intake_is_cleared, intake_latest
from intake.triage import Outcome


class Variant(enum.StrEnum):
    STANDARD = "standard"
    SAFE = "safe"  # the tip's safe_text: check with your therapist or doctor first


def tip_variant(client: User) -> Variant | None:
    """The variant for the client's latest intake; None while a red flag is open (no exercise advice).

    An open red flag is an EMERGENCY intake, or a SEE_DOCTOR one without a doctor's clearance
    (the same test as the booking gate). Every caution (pregnancy C2, surgery 7-12 weeks ago C4,
    blood thinners C1, osteoporosis C3...) gets the safe variant, and so does a cleared
    SEE_DOCTOR intake (massage was cleared, exercise was not assessed) or no intake at all.
    """
    intake = intake_latest(client)
    if intake is None:
        return Variant.SAFE
    if intake.outcome == Outcome.EMERGENCY:
        return None
    if intake.outcome == Outcome.SEE_DOCTOR:
        return Variant.SAFE if intake_is_cleared(intake) else None
    if intake.outcome == Outcome.CAUTION:
        return Variant.SAFE
    return Variant.STANDARD


def next_session_started(session: Appointment, *, now: datetime) -> bool:
    """Has the client had (or started) another session since `session`? Then its programme stops."""
    return (
        Appointment.objects.filter(
            client_id=session.client_id,
            status__in=(Appointment.Status.BOOKED, Appointment.Status.COMPLETED),
            start__gt=session.start,
            start__lte=now,
        )
        .exclude(pk=session.pk)
        .exists()
    )
