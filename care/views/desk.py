"""The front desk's pages: book a plan's sessions for a client, cancel a series, sell a package."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from bookings.cautions import booking_refusal, booking_refusal_for_staff, caution_limits
from bookings.errors import BookingError, CautionRuledOut, IntakeRequired
from bookings.forms import start_param
from bookings.models import Clinic
from bookings.screening import client_standing, intake_gate_check
from bookings.selectors import clinic_get
from bookings.slot_pages import when_text
from documents.receipts import receipt_for_package
from intake.forms import recheck_answers, recheck_form_for
from intake.selectors import standing_advice
from privacy.access import keeps_schedule, staff_page, visible_client_or_404

from ..errors import SeriesRefused
from ..forms import PackageSellForm
from ..models import Series, TreatmentPlan
from ..selectors import plan_progress, plans_visible_to
from ..series_pages import first_session_context, first_start, series_choice_form, sessions_wanted
from ..services import package_sell, series_book, series_cancel


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def plan_book(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        plans_visible_to(request.user).filter(status=TreatmentPlan.Status.ACTIVE), pk=plan_id
    )
    client = plan.client
    clinic = clinic_get()
    progress = plan_progress(plan)
    context: dict[str, object] = {
        "plan": plan,
        "client": client,
        "progress": progress,
        **_gate(client, clinic),
    }
    try:
        # The gate first: a blocked client is never asked.
        standing = intake_gate_check(client=client, clinic=clinic)
    except IntakeRequired as error:
        context |= {"intake_refusal": error.message, "refused_outcome": error.outcome}
        return render(request, "care/plan_book.html", context)
    if progress.sessions_to_book == 0:
        return render(request, "care/plan_book.html", context)
    limits = caution_limits(standing.codes)
    ruled_out = booking_refusal(
        limits, service=plan.service, therapist=plan.therapist, clinic_phone=clinic.phone
    )
    if ruled_out:
        context["caution_ruled_out"] = booking_refusal_for_staff(
            limits, service=plan.service, therapist=plan.therapist
        )
    sessions = sessions_wanted(request, progress)
    start = first_start(request)
    context["sessions_wanted"] = sessions
    base_url = reverse("care:plan_book", args=[plan.pk])
    if start is None:
        context |= first_session_context(
            request, plan=plan, clinic=clinic, sessions=sessions, base_url=base_url
        )
        return render(request, "care/plan_book.html", context)
    form = series_choice_form(
        request, plan=plan, clinic=clinic, start=start, sessions=sessions, with_override=bool(ruled_out)
    )
    red_flag_form = recheck_form_for(client, request.POST if request.method == "POST" else None)
    context |= {"form": form, "red_flag_form": red_flag_form, "start_value": start_param(start)}
    ready = [f.is_valid() for f in (form, red_flag_form) if f is not None]
    if request.method == "POST" and all(ready):
        override = form.cleaned_data.get("caution_override", "").strip()
        if ruled_out and not override:
            form.add_error("caution_override", "Give the reason for booking it anyway.")
            return render(request, "care/plan_book.html", context)
        try:
            series = series_book(
                client=client,
                therapist=plan.therapist,
                service=plan.service,
                starts=form.starts(),
                plan=plan,
                booked_by=request.user,  # type: ignore[arg-type]
                red_flags=recheck_answers(red_flag_form),
                caution_override=override,
            )
        except IntakeRequired as error:
            context |= {
                "intake_refusal": error.message,
                "refused_outcome": error.outcome,
                **_gate(client, clinic),
            }
        except SeriesRefused as error:
            form = series_choice_form(
                request,
                plan=plan,
                clinic=clinic,
                start=start,
                sessions=sessions,
                with_override=bool(ruled_out),
            )
            form.is_valid()
            refusal = error.refusal
            said = refusal.for_staff if isinstance(refusal, CautionRuledOut) else refusal.message
            form.add_error(None, f"Nothing was booked. Session {error.index + 1}: {said}")
            context["form"] = form
            if isinstance(refusal, IntakeRequired):
                context |= {"intake_refusal": refusal.message, "refused_outcome": refusal.outcome}
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            count = series.members.count()
            messages.success(
                request,
                f"Booked {count} session(s) of {plan.service.name} for {client} with {plan.therapist.name}.",
            )
            return redirect("care:plan_detail", plan_id=plan.pk)
    return render(request, "care/plan_book.html", context)


@staff_page(keeps_schedule)
@require_POST
def series_cancel_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series.objects.select_related("client"), pk=series_id)
    result = series_cancel(series=series, by=request.user)  # type: ignore[arg-type]
    clinic = clinic_get()
    cancelled = ", ".join(when_text(a.start, clinic) for a in result.cancelled) or "nothing still to come"
    messages.success(request, f"Cancelled for {series.client}: {cancelled}.")
    if series.plan_id:
        return redirect("care:plan_detail", plan_id=series.plan_id)
    return redirect("workspace:client", client_id=series.client_id)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def package_sell_view(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    form = PackageSellForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            # The sale and its receipt (documents) are one transaction: neither without the other.
            with transaction.atomic():
                purchase = package_sell(
                    client=client,
                    package=form.cleaned_data["package"],
                    payment_method=form.cleaned_data["payment_method"],
                    amount_paid=form.amount(),
                    by=request.user,  # type: ignore[arg-type]
                    now=now,
                )
                receipt = receipt_for_package(purchase=purchase, by=request.user, now=now)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Sold {purchase.package.name} to {client}: {purchase.sessions} sessions, "
                f"valid until {purchase.expires_on:%d %b %Y}. Receipt {receipt.display_number} issued.",
            )
            return redirect("workspace:client", client_id=client.pk)
    return render(request, "care/package_sell.html", {"client": client, "form": form})


def _gate(client: User, clinic: Clinic) -> dict[str, object]:
    """The intake gate as the desk sees it (workspace/_intake_gate.html): the outcome, never why."""
    standing = client_standing(client, clinic=clinic)
    return {
        "standing": standing,
        "advice_to_read": standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
    }
