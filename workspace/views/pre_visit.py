"""The day-of health check on the appointment page: asked before the session, and what it decided.

The rules are bookings.previsit's; who may ask is who may record attendance.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bookings.forms import PreVisitCheckForm
from bookings.models import Appointment
from bookings.previsit import (
    asks_if_weakness_worse,
    pre_visit_check_due,
    pre_visit_check_for,
    pre_visit_check_opens_at,
    pre_visit_check_record,
    session_completion_refusal,
)
from bookings.selectors import clinic_get
from intake.selectors import Standing, standing_advice
from privacy.access import can_record_attendance, staff_page, uses_workspace, visible_appointment_or_404


def pre_visit_context(
    request: HttpRequest, found: Appointment, *, standing: Standing, now: datetime
) -> dict[str, object]:
    """The appointment page's day-of check: the answer so far, the questions if due, and any stop."""
    clinic = clinic_get()
    check = pre_visit_check_for(found, clinic=clinic)
    on_the_day = found.status == Appointment.Status.BOOKED and now >= pre_visit_check_opens_at(
        found, clinic=clinic
    )
    # The advice is the standing's: once staff lift the block it is no longer the advice to give.
    stopped = standing.blocks_booking and (on_the_day or (check is not None and check.stops_session))
    asks = can_record_attendance(request.user, found) and pre_visit_check_due(found, now, clinic=clinic)
    return {
        "pre_visit_check": check,
        "pre_visit_form": (
            PreVisitCheckForm(None, asks_weakness=asks_if_weakness_worse(found.client, now=now))
            if asks
            else None
        ),
        "stop_advice": (
            standing_advice(
                standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
            )
            if stopped
            else []
        ),
        "completion_refusal": session_completion_refusal(appointment=found, now=now) if on_the_day else "",
    }


@staff_page(uses_workspace)
@require_http_methods(["GET", "POST"])
def appointment_pre_visit_check(request: HttpRequest, appointment_id: int) -> HttpResponse:
    found = visible_appointment_or_404(request.user, appointment_id)
    if not can_record_attendance(request.user, found):
        raise Http404
    now = timezone.now()
    form = PreVisitCheckForm(
        request.POST if request.method == "POST" else None,
        asks_weakness=asks_if_weakness_worse(found.client, now=now),
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = pre_visit_check_record(
                appointment=found,
                report=form.report(),
                weakness_worse=form.weakness_worse(),
                answered_by=request.user,  # type: ignore[arg-type]
                now=now,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if check.stops_session:
                messages.error(
                    request, "The health check stops this session: give the client the advice shown."
                )
            else:
                messages.success(request, "Day-of health check recorded.")
            return redirect(reverse("workspace:appointment", args=[found.pk]) + "#pre-visit-check")
    context = {"appointment": found, "client": found.client, "form": form}
    return render(request, "workspace/appointment_pre_visit_check.html", context)
