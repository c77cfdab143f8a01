"""What a progress letter says: the plan, the sessions attended, the outcome scores at the start
and now (outcomes.selectors.plan_outcomes), the therapist's summary, in words for a doctor."""

from datetime import datetime
from decimal import Decimal

from bookings.models import Clinic
from care.models import TreatmentPlan
from care.selectors import plan_progress, plan_sessions_completed
from outcomes.selectors import OutcomeChange, plan_outcomes

from .pdf import LetterContent, OutcomeRow, day_text
from .selectors import referral_in_force


def letter_content(
    *, plan: TreatmentPlan, summary: str, addressed_to: str, clinic: Clinic, now: datetime
) -> LetterContent:
    tz = clinic.tz
    progress = plan_progress(plan, now=now)
    attended = plan_sessions_completed(plan)
    referral = referral_in_force(plan.client, on=plan.written_at.astimezone(tz).date())
    therapist = plan.therapist
    attendance = [
        ("Sessions attended", f"{progress.sessions_done} of {progress.sessions_planned} planned"),
        ("Dates attended", ", ".join(day_text(a.start.astimezone(tz)) for a in attended) or "none yet"),
        ("Booked ahead", str(progress.sessions_booked_ahead)),
    ]
    if progress.next_session is not None:
        attendance.append(("Next session", day_text(progress.next_session.start.astimezone(tz))))
    return LetterContent(
        clinic_lines=[clinic.name, *clinic.address.splitlines(), clinic.phone, clinic.email],
        date_text=day_text(now.astimezone(tz)),
        addressed_to=addressed_to,
        client_name=str(plan.client),
        referral_text=(
            f"Thank you for your referral of {day_text(referral.written_on)}, which prescribed "
            f"{referral.sessions_text}."
            if referral
            else ""
        ),
        plan_rows=[
            ("Treatment", f"{plan.service.name} ({plan.service.duration_minutes} minutes)"),
            ("Sessions planned", str(plan.sessions_planned)),
            ("Frequency", TreatmentPlan.Frequency(plan.frequency).label),
            ("Plan started", day_text(plan.written_at.astimezone(tz))),
            ("Status", TreatmentPlan.Status(plan.status).label),
        ],
        goals=[str(goal) for goal in plan.goals if str(goal).strip()],
        attendance_rows=attendance,
        outcomes=[_outcome_row(change, clinic) for change in plan_outcomes(plan)],
        summary=summary,
        therapist_name=therapist.name,
        therapist_registration=therapist.registration_number,
    )


def _outcome_row(change: OutcomeChange, clinic: Clinic) -> OutcomeRow:
    tz = clinic.tz
    first = f"{_score(change.first_score)} ({day_text(change.first_at.astimezone(tz))})"
    if change.latest_score is None or change.latest_at is None:
        return OutcomeRow(
            measure=change.measure_name,
            first=first,
            latest="not yet measured again",
            change="-",
            meaningful=f"- (threshold: {change.threshold_text})" if change.threshold_text else "-",
        )
    verdict = {True: "Yes", False: "Not yet", None: "No published threshold"}[change.meaningful]
    if change.meaningful and change.change is not None and change.change < 0:
        verdict = "Yes: a meaningful worsening"
    return OutcomeRow(
        measure=change.measure_name,
        first=first,
        latest=f"{_score(change.latest_score)} ({day_text(change.latest_at.astimezone(tz))})",
        change=_change_text(change.change),
        meaningful=f"{verdict} (threshold: {change.threshold_text})" if change.threshold_text else verdict,
    )


def _change_text(change: Decimal | None) -> str:
    if change is None or change == 0:
        return "no change"
    points = _score(abs(change))
    unit = "point" if abs(change) == 1 else "points"
    return f"{points} {unit} {'better' if change > 0 else 'worse'}"


def _score(score: Decimal) -> str:
    # 18.00 prints as 18, 6.50 as 6.5.
    return f"{score.normalize():f}"
