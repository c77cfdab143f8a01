"""Reads of the sciatica intake: above all, the outcome in force for a client.

The outcome in force is not simply the latest intake's. A red flag on record (an EMERGENCY or
SEE_DOCTOR intake) stays in force until staff lift it with a clearance; a later intake can add
flags and raise the outcome, never lower it. See intake/README.md.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from clinic.rows import rows_select

from .models import Clearance, Intake
from .triage import RULES_BY_CODE, Assessment, Outcome, Reason, assess, client_advice, most_urgent

BLOCKING = (Outcome.EMERGENCY, Outcome.SEE_DOCTOR)
# A re-check within this long of the client's full intake would ask the same questions again.
RECHECK_SKIPPED_WITHIN = timedelta(hours=12)


@dataclass(frozen=True)
class Standing:
    """Where a client stands with the intake gate at one moment."""

    outcome: Outcome | None  # the outcome in force; None: no current intake and no block
    reasons: tuple[Reason, ...]  # every reason in force, most urgent intake first
    newest: Intake | None  # the latest intake, current or not
    open_blocks: tuple[Intake, ...]  # EMERGENCY and SEE_DOCTOR intakes that no one has lifted
    current_until: datetime | None  # when the newest intake stops being current

    @property
    def blocks_booking(self) -> bool:
        return self.outcome in BLOCKING

    @property
    def can_book(self) -> bool:
        return self.outcome is not None and not self.blocks_booking

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def assessment(self) -> Assessment:
        return Assessment(outcome=self.outcome or Outcome.CLEAR, reasons=self.reasons)

    def is_current_at(self, moment: datetime) -> bool:
        """Is the newest intake still current at `moment` (the day of an appointment, say)?"""
        return self.current_until is not None and moment <= self.current_until


def intake_latest(client: User) -> Intake | None:
    return Intake.objects.filter(client=client).order_by("-created_at", "-pk").first()


def intake_is_lifted(intake: Intake) -> bool:
    """Has staff lifted this intake's block (a doctor's clearance, or answered in error)?"""
    return intake.outcome in BLOCKING and intake.clearances.exists()


def intake_in_force(intake: Intake, *, lifted: bool) -> tuple[Outcome, tuple[Reason, ...]]:
    """What of one intake is still in force: a lifted block keeps only its cautions."""
    reasons = tuple(Reason(**reason) for reason in intake.reasons)
    if not lifted:
        return Outcome(intake.outcome), reasons
    cautions = tuple(reason for reason in reasons if RULES_BY_CODE[reason.code].outcome == Outcome.CAUTION)
    return (Outcome.CAUTION if cautions else Outcome.CLEAR), cautions


def lifted_codes(intake: Intake) -> frozenset[str]:
    """Red-flag rules that fire on this intake's answers but are not in force on it (lifted)."""
    fired = {
        reason.code
        for reason in assess(intake.answers).reasons  # type: ignore[arg-type]
        if RULES_BY_CODE[reason.code].outcome in BLOCKING
    }
    _, in_force = intake_in_force(intake, lifted=intake_is_lifted(intake))
    return frozenset(fired - {reason.code for reason in in_force})


def intake_standing(client: User, *, valid_days: int, now: datetime) -> Standing:
    """The outcome in force: the most urgent of the client's unlifted blocks and their newest intake.

    An unlifted block does not expire with the intake's validity. Without one, an intake older
    than `valid_days` leaves the client with no outcome (they fill the intake in again).
    """
    intakes = _intakes_newest_first(client.pk)
    if not intakes:
        return Standing(outcome=None, reasons=(), newest=None, open_blocks=(), current_until=None)
    newest = intakes[0]
    open_blocks = tuple(
        intake
        for intake in intakes
        if intake.outcome in BLOCKING and not intake.lifted  # type: ignore[attr-defined]
    )
    current_until = newest.created_at + timedelta(days=valid_days)
    in_force = [intake_in_force(block, lifted=False) for block in open_blocks]
    if now <= current_until:
        in_force.insert(0, intake_in_force(newest, lifted=newest.lifted))  # type: ignore[attr-defined]
    if not in_force:
        return Standing(outcome=None, reasons=(), newest=newest, open_blocks=(), current_until=current_until)
    in_force.sort(key=lambda outcome_reasons: -outcome_reasons[0].severity)
    reasons = {reason.code: reason for _, intake_reasons in in_force for reason in intake_reasons}
    ordered = tuple(sorted(reasons.values(), key=lambda reason: list(RULES_BY_CODE).index(reason.code)))
    return Standing(
        outcome=most_urgent(outcome for outcome, _ in in_force),
        reasons=ordered,
        newest=newest,
        open_blocks=open_blocks,
        current_until=current_until,
    )


def _intakes_newest_first(client_id: int) -> list[Intake]:
    """The client's intakes, newest first, each with `lifted` (has a clearance).

    Written as SQL (see clinic.rows): every booking reads this under the client's lock, and the
    ORM took longer to build the query than PostgreSQL to answer it.
    """
    return rows_select(
        Intake,
        "t.client_id = %s ORDER BY t.created_at DESC, t.id DESC",
        [client_id],
        annotations={
            "lifted": f"EXISTS (SELECT 1 FROM {Clearance._meta.db_table} c WHERE c.intake_id = t.id)"
        },
    )


def recheck_due(client: User, *, now: datetime) -> bool:
    """Must the client answer the re-check before booking or moving? Not right after a full intake."""
    latest_full = (
        Intake.objects.filter(client=client, rechecked_from__isnull=True).order_by("-created_at").first()
    )
    return latest_full is None or latest_full.created_at < now - RECHECK_SKIPPED_WITHIN


def standing_advice(standing: Standing, *, emergency_number: str, urgent_care_line: str) -> list[str]:
    """What the client is told about the outcome in force (never rule IDs)."""
    if standing.outcome is None or standing.newest is None:
        return []
    return client_advice(
        standing.assessment,
        symptom_weeks=standing.newest.answers["symptom_weeks"],
        emergency_number=emergency_number,
        urgent_care_line=urgent_care_line,
    )


def intake_assessment(intake: Intake) -> Assessment:
    """The assessment as it was made when the intake was submitted."""
    return Assessment(
        outcome=Outcome(intake.outcome), reasons=tuple(Reason(**reason) for reason in intake.reasons)
    )


def intake_advice(intake: Intake, *, emergency_number: str, urgent_care_line: str) -> list[str]:
    """What the client was told about this one intake (never rule IDs)."""
    return client_advice(
        intake_assessment(intake),
        symptom_weeks=intake.answers["symptom_weeks"],
        emergency_number=emergency_number,
        urgent_care_line=urgent_care_line,
    )


def intakes_blocking() -> QuerySet[Intake]:
    """Every EMERGENCY or SEE_DOCTOR intake that staff have not lifted, newest first.

    Closed accounts are left out: an erased client has no name or number left to follow up.
    """
    return (
        Intake.objects.filter(outcome__in=BLOCKING, client__is_active=True)
        .exclude(Exists(Clearance.objects.filter(intake=OuterRef("pk"))))
        .select_related("client")
        .order_by("-created_at", "-pk")
    )
