from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import User

from .models import DoctorClearance, Intake
from .triage import Assessment, Outcome, Reason, client_advice


def intake_latest(client: User) -> Intake | None:
    return Intake.objects.filter(client=client).order_by("-created_at", "-pk").first()


def intake_current(client: User, *, valid_days: int, now: datetime) -> Intake | None:
    """The client's latest intake, if it is recent enough to book on."""
    latest = intake_latest(client)
    if latest is None or latest.created_at < now - timedelta(days=valid_days):
        return None
    return latest


def intake_is_cleared(intake: Intake) -> bool:
    """A SEE_DOCTOR intake is lifted once a doctor's clearance is recorded on it."""
    return intake.outcome == Outcome.SEE_DOCTOR and intake.clearances.exists()


def intake_assessment(intake: Intake) -> Assessment:
    """The assessment as it was made when the intake was submitted."""
    return Assessment(
        outcome=Outcome(intake.outcome), reasons=tuple(Reason(**reason) for reason in intake.reasons)
    )


def intake_advice(intake: Intake, *, emergency_number: str, urgent_care_line: str) -> list[str]:
    """What the client is told about this intake (never rule IDs)."""
    return client_advice(
        intake_assessment(intake),
        symptom_weeks=intake.answers["symptom_weeks"],
        emergency_number=emergency_number,
        urgent_care_line=urgent_care_line,
    )


def intakes_blocked() -> QuerySet[Intake]:
    """Each client's latest intake, where it blocks booking and no doctor has cleared it."""
    latest_of_client = (
        Intake.objects.filter(client=OuterRef("client")).order_by("-created_at", "-pk").values("pk")[:1]
    )
    return (
        Intake.objects.filter(pk=Subquery(latest_of_client))
        .annotate(cleared=Exists(DoctorClearance.objects.filter(intake=OuterRef("pk"))))
        .filter(Q(outcome=Outcome.EMERGENCY) | Q(outcome=Outcome.SEE_DOCTOR, cleared=False))
        .select_related("client")
        .order_by("-created_at", "-pk")
    )
