"""The client's pages: my treatment plan, booking its sessions in one step, cancelling a series."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from bookings.cautions import booking_refusal, caution_limits
from bookings.errors import BookingError, IntakeRequired
from bookings.forms import start_param
from bookings.models import Appointment
from bookings.screening import client_standing, intake_gate_check
from bookings.selectors import clinic_get
from bookings.slot_pages import when_text
from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT, throttle_posts
from intake.forms import recheck_answers, recheck_form_for

from ..errors import SeriesRefused
from ..models import Series, TreatmentPlan
from ..packages import package_remaining
from ..selectors import plan_appointments, plan_current, plan_progress, plans_of_client
from ..series_pages import first_session_context, first_start, series_choice_form, sessions_wanted
from ..services import series_book, series_cancel


class ClientRequest(HttpRequest):
    user: User


@login_required
@require_GET
def my_plan(request: ClientRequest) -> HttpResponse:
    plan = plan_current(request.user)
    balances = package_remaining(request.user)  # expired ones too: the client sees what lapsed
    context: dict[str, object] = {
        "plan": plan,
        "balances": balances,
        "earlier_plans": [p for p in plans_of_client(request.user) if p != plan],
        "blocked": client_standing(request.user).blocks_booking,
        "now": timezone.now(),
    }
    if plan is not None:
        sessions = list(plan_appointments(plan))
        progress = plan_progress(plan, appointments=sessions)
        context |= {
            "progress": progress,
            "sessions": sessions,
            "series": _series_with_sessions_to_come(plan),
            "can_book": plan.status == TreatmentPlan.Status.ACTIVE and progress.sessions_to_book > 0,
        }
    return render(request, "care/my_plan.html", context)


def _series_with_sessions_to_come(plan: TreatmentPlan) -> list[Series]:
    return list(
        plan.series.filter(
            members__appointment__status=Appointment.Status.BOOKED,
            members__appointment__start__gt=timezone.now(),
        ).distinct()
    )


@login_required
@throttle_posts(BOOKING_ATTEMPTS_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def my_plan_book(request: ClientRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(plans_of_client(request.user), pk=plan_id, status=TreatmentPlan.Status.ACTIVE)
    clinic = clinic_get()
    base_url = reverse("care:my_plan_book", args=[plan.pk])
    progress = plan_progress(plan)
    context: dict[str, object] = {"plan": plan, "progress": progress}
    try:
        standing = intake_gate_check(client=request.user, clinic=clinic)
    except IntakeRequired as error:
        return _to_intake(error, come_back_to=request.get_full_path())
    # Said before anything is asked: booking would refuse it after the questions.
    ruled_out = booking_refusal(
        caution_limits(standing.codes),
        service=plan.service,
        therapist=plan.therapist,
        clinic_phone=clinic.phone,
    )
    if ruled_out or progress.sessions_to_book == 0:
        return render(request, "care/my_plan_book.html", context | {"ruled_out": ruled_out})
    sessions = sessions_wanted(request, progress)
    start = first_start(request)
    context["sessions_wanted"] = sessions
    if start is None:
        context |= first_session_context(
            request, plan=plan, clinic=clinic, sessions=sessions, base_url=base_url
        )
        return render(request, "care/my_plan_book.html", context)
    form = series_choice_form(request, plan=plan, clinic=clinic, start=start, sessions=sessions)
    red_flag_form = recheck_form_for(request.user, request.POST if request.method == "POST" else None)
    context |= {"form": form, "red_flag_form": red_flag_form, "start_value": start_param(start)}
    # Both validated, so that every missing answer is shown at once.
    ready = [f.is_valid() for f in (form, red_flag_form) if f is not None]
    if request.method == "POST" and all(ready):
        try:
            series = series_book(
                client=request.user,
                therapist=plan.therapist,
                service=plan.service,
                starts=form.starts(),
                plan=plan,
                booked_by=request.user,
                red_flags=recheck_answers(red_flag_form),
            )
        except IntakeRequired as error:
            return _to_intake(error, come_back_to=request.get_full_path())
        except SeriesRefused as error:
            if isinstance(error.refusal, IntakeRequired):
                return _to_intake(error.refusal, come_back_to=request.get_full_path())
            # Read again: the session refused now shows as not free, with this week's times.
            form = series_choice_form(request, plan=plan, clinic=clinic, start=start, sessions=sessions)
            form.is_valid()
            form.add_error(None, f"Nothing was booked. {error.message}")
            context["form"] = form
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            count = series.members.count()
            messages.success(
                request,
                f"Booked {count} session{'s' if count != 1 else ''} of {plan.service.name} with "
                f"{plan.therapist.name}. We've emailed a confirmation for each.",
            )
            return redirect("care:my_plan")
    return render(request, "care/my_plan_book.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_series_cancel(request: ClientRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series.objects.filter(client=request.user), pk=series_id)
    clinic = clinic_get()
    if request.method == "POST":
        result = series_cancel(series=series, by=request.user)
        if result.cancelled:
            messages.success(request, f"Cancelled {len(result.cancelled)} session(s).")
        for kept in result.kept:
            phone = f" on {clinic.phone}" if clinic.phone else ""
            messages.warning(
                request,
                f"Your session on {when_text(kept.start, clinic)} is too close to change online. "
                f"Please call the clinic{phone} to cancel it.",
            )
        return redirect("care:my_plan")
    upcoming = series.appointments.filter(
        status=Appointment.Status.BOOKED, start__gt=timezone.now()
    ).order_by("start")
    return render(request, "care/my_series_cancel.html", {"series": series, "upcoming": upcoming})


def _to_intake(error: IntakeRequired, *, come_back_to: str) -> HttpResponse:
    """As for a single booking: no current intake, fill it in and come back; a red flag, the advice."""
    if error.outcome is None:
        return redirect(f"{reverse('intake_start')}?{urlencode({'next': come_back_to})}")
    return redirect("intake_result")
