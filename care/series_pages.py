"""What the client's and the desk's "book the plan's sessions" pages share: pick the first
session's time, then preview every session (free, or the nearest free times that week) and
confirm them all at once. The views differ only in who books and how a refusal is shown."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone

from bookings.availability import free_slots
from bookings.forms import start_param
from bookings.models import Clinic

from .forms import FirstSessionDayForm, SeriesChoiceForm, start_from_param
from .models import TreatmentPlan
from .selectors import PlanProgress
from .series import series_preview


@dataclass(frozen=True)
class SlotLink:
    """A free time as a button (bookings/_slot_buttons.html)."""

    start: datetime
    url: str
    therapist_name: str = ""


def sessions_wanted(request: HttpRequest, progress: PlanProgress) -> int:
    """How many sessions to book: `sessions` from the request, within what the plan has left."""
    raw = (request.POST if request.method == "POST" else request.GET).get("sessions", "")
    wanted = int(raw) if raw.isdigit() else progress.sessions_to_book
    return max(1, min(wanted, progress.sessions_to_book))


def first_start(request: HttpRequest) -> datetime | None:
    return start_from_param((request.POST if request.method == "POST" else request.GET).get("start"))


def first_session_context(
    request: HttpRequest, *, plan: TreatmentPlan, clinic: Clinic, sessions: int, base_url: str
) -> dict[str, object]:
    """The day picker and that day's free times with the plan's therapist, as links to the preview."""
    today = timezone.localdate(timezone=clinic.tz)
    last_day = today + timedelta(days=clinic.booking_horizon_days)
    form = FirstSessionDayForm(request.GET or None, today=today, last_day=last_day)
    day = form.day()
    slots = free_slots(
        service=plan.service, therapist=plan.therapist, start_date=day, end_date=day, clinic=clinic
    )

    def day_url(other: date) -> str:
        return f"{base_url}?{urlencode({'date': other.isoformat(), 'sessions': sessions})}"

    return {
        "day_form": form,
        "day": day,
        "first_times": [
            SlotLink(
                start=slot.start,
                url=f"{base_url}?{urlencode({'start': start_param(slot.start), 'sessions': sessions}, safe=':')}",
            )
            for slot in slots
        ],
        "previous_day_url": day_url(day - timedelta(days=1)) if day > today else None,
        "next_day_url": day_url(day + timedelta(days=1)) if day < last_day else None,
    }


def series_choice_form(
    request: HttpRequest,
    *,
    plan: TreatmentPlan,
    clinic: Clinic,
    start: datetime,
    sessions: int,
    with_override: bool = False,
) -> SeriesChoiceForm:
    """The preview of `sessions` sessions from `start`, as one choice per session (read afresh)."""
    proposals = series_preview(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        first_start=start,
        sessions=sessions,
        frequency=plan.frequency,
    )
    return SeriesChoiceForm(
        request.POST if request.method == "POST" else None,
        proposals=proposals,
        tz=clinic.tz,
        with_override=with_override,
    )
