"""Which self-care tip a client may receive, decided when it is due (their intake may have changed).

The tips' wording is the clinic's (seeded in migration 0004 from the clinics' articles in
shared/sources, editable in the admin with its sources). This module adds no exercise advice:
it chooses the variant from the client's outcome in force, and adds to every variant what no
edit may leave out: the stop signs and the safety net of the red-flag spec (§3).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from bookings.models import Appointment
from intake.selectors import Standing
from intake.triage import CAUTION_ADVICE, SAFETY_NET

from .models import Tip

# An operation this many whole weeks ago or less: no stretching or exercise programme until the
# surgeon agrees. It is the end of C4's window (spec §4.4, R18), so a cleared S8 (0 to 6 weeks)
# is covered too.
RECENT_SURGERY_WEEKS = 12

# Every tip, whatever its variant and its own stop rule: sciatica symptoms that spread or a leg
# that weakens are the first signs of a nerve under more pressure (spec §1: E3, C7).
STOP_SIGNS = (
    "Stop, and tell your therapist or GP, if pain, tingling or numbness spreads further down your "
    "leg, or your leg feels weaker than before."
)


class Variant(enum.StrEnum):
    STANDARD = "standard"
    GENTLE = "gentle"  # blood thinners (C1) or osteoporosis (C3)
    PREGNANCY = "pregnancy"  # C2
    AFTER_SURGERY = "after_surgery"  # an operation 12 whole weeks ago or less (C4, or a cleared S8)


@dataclass(frozen=True)
class TipContent:
    advice: str  # the variant's text, as the clinic wrote it
    stop: str  # the tip's own stop rule, then STOP_SIGNS
    safety_net: tuple[str, ...]  # with the clinic's numbers filled in


def tip_variant(standing: Standing) -> Variant | None:
    """The variant for the client's outcome in force; None for no tip at all.

    No tip without a current intake (nothing says what is safe for them) or while the outcome in
    force blocks booking (an EMERGENCY or an unlifted SEE_DOCTOR: no exercise advice). Otherwise
    the first that applies of:

    - after surgery: an operation 12 whole weeks ago or less (C4, or an S8 a doctor cleared);
    - pregnancy: C2;
    - gentle: blood thinners (C1) or osteoporosis (C3, or an S9 a doctor cleared);
    - standard: everyone else (CLEAR, or other cautions).

    Each variant is written to be at least as careful as those after it (the pregnancy texts are
    gentle too), so a client with several cautions loses no safety advice by the order.
    """
    if standing.outcome is None or standing.blocks_booking:
        return None
    codes = set(standing.codes)
    if "C4" in codes or _recent_operation(standing):
        return Variant.AFTER_SURGERY
    if "C2" in codes:
        return Variant.PREGNANCY
    if codes & {"C1", "C3"} or _answered_yes(standing, "osteoporosis"):
        return Variant.GENTLE
    return Variant.STANDARD


def tip_content(tip: Tip, variant: Variant, *, emergency_number: str, urgent_care_line: str) -> TipContent:
    """What one tip email says: the variant's advice, when to stop, and the safety net."""
    numbers = {"emergency_number": emergency_number, "urgent_care_line": urgent_care_line}
    safety_net = [paragraph.format(**numbers) for paragraph in SAFETY_NET]
    if variant == Variant.AFTER_SURGERY:
        # The signs of a clot, as the client was told at the intake: the risk is still raised
        # up to 12 weeks after an operation (R18).
        safety_net.insert(0, CAUTION_ADVICE["C4"].format(**numbers))
    return TipContent(
        advice=_advice(tip, variant).strip(),
        stop=f"{tip.stop_rule.strip()} {STOP_SIGNS}".strip(),
        safety_net=tuple(safety_net),
    )


def sessions_followed(sessions: Iterable[Appointment], *, now: datetime) -> set[int]:
    """Which of these sessions the client has had (or started) another session since: their
    programmes stop. One query for all of them (a dispatcher's batch)."""
    session_ids = [session.pk for session in sessions]
    if not session_ids:
        return set()
    later = Appointment.objects.filter(
        client_id=OuterRef("client_id"),
        status__in=(Appointment.Status.BOOKED, Appointment.Status.COMPLETED),
        start__gt=OuterRef("start"),
        start__lte=now,
    ).exclude(pk=OuterRef("pk"))
    return set(Appointment.objects.filter(Exists(later), pk__in=session_ids).values_list("pk", flat=True))


def _recent_operation(standing: Standing) -> bool:
    # A lifted S8 leaves no code in force, but the operation is still recent: the answer says so.
    weeks = standing.newest.answers.get("recent_surgery_weeks") if standing.newest else None
    return weeks is not None and weeks <= RECENT_SURGERY_WEEKS


def _answered_yes(standing: Standing, key: str) -> bool:
    # Osteoporosis with pain of 8 or more is S9, not C3: once a doctor has cleared it, no code
    # is in force, but the bones are as fragile as with C3.
    return bool(standing.newest and standing.newest.answers.get(key))


def _advice(tip: Tip, variant: Variant) -> str:
    return {
        Variant.STANDARD: tip.standard_text,
        Variant.GENTLE: tip.gentle_text,
        Variant.PREGNANCY: tip.pregnancy_text,
        Variant.AFTER_SURGERY: tip.after_surgery_text,
    }[variant]
