"""The sciatica intake pages: the client's form and result, and the clinic's follow-up pages.

Clinical answers travel only in POST bodies and are never logged; URLs carry ids at most.
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import is_clinic_admin, is_therapist
from bookings.selectors import clinic_get
from clinic.redirects import safe_next
from workspace.access import AnyUser, can_read_clinical, clients_visible_to, staff_page, uses_workspace
from workspace.models import AccessRecord
from workspace.services import access_record

from .forms import ClearanceForm, IntakeForm
from .models import DoctorClearance, Intake
from .selectors import intake_advice, intake_current, intake_is_cleared, intake_latest, intakes_blocked
from .services import clearance_record, intake_submit

BLOCKED_PER_PAGE = 50


def _sees_reasons(user: AnyUser) -> bool:
    # Spec §1: front desk sees the outcome only; therapists and admins also see the reasons.
    return is_clinic_admin(user) or is_therapist(user)


@login_required
@require_http_methods(["GET", "POST"])
def intake_start(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake_submit(
                client=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
                consent=form.cleaned_data["consent"],
                details=form.details(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(_with_next(reverse("intake_result"), next_url))
    return render(request, "intake/start.html", {"form": form, "next": next_url})


@login_required
@require_GET
def intake_result(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    intake = intake_latest(request.user)  # type: ignore[arg-type]
    if intake is None:
        return redirect(_with_next(reverse("intake_start"), next_url))
    clinic = clinic_get()
    current = intake_current(request.user, valid_days=clinic.intake_valid_days, now=timezone.now())  # type: ignore[arg-type]
    cleared = intake_is_cleared(intake)
    context = {
        "intake": intake,
        "outcome": intake.outcome,
        "advice": intake_advice(
            intake, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
        "cleared": cleared,
        "expired": current is None,
        "can_book": current is not None and (not intake.blocks_booking or cleared),
        "continue_url": next_url or reverse("book"),
        "restart_url": _with_next(reverse("intake_start"), next_url),
        "emergency_tel": _tel(clinic.emergency_number),
        "clinic_tel": _tel(clinic.phone),
    }
    return render(request, "intake/result.html", context)


@staff_page(uses_workspace)
@require_GET
def intake_blocked_list(request: HttpRequest) -> HttpResponse:
    blocked = intakes_blocked().filter(client__in=clients_visible_to(request.user))
    page = Paginator(blocked, BLOCKED_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sees_reasons": _sees_reasons(request.user),
    }
    return render(request, "intake/blocked_list.html", context)


@staff_page(_sees_reasons)
@require_http_methods(["GET", "POST"])
def intake_clearance(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = get_object_or_404(Intake.objects.select_related("client"), pk=intake_id)
    if not can_read_clinical(request.user, intake.client):
        raise Http404
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clearance_record(
                intake=intake,
                doctor_name=form.cleaned_data["doctor_name"],
                cleared_on=form.cleaned_data["cleared_on"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Doctor's clearance recorded: {intake.client} can now book.")
            return redirect("intake_blocked_list")
    access_record(
        viewer=request.user,  # type: ignore[arg-type]
        client=intake.client,
        what=[AccessRecord.What.INTAKE],
        path=request.path,
    )
    latest = intake_latest(intake.client)
    context = {
        "intake": intake,
        "form": form,
        "cleared": intake_is_cleared(intake),
        "superseded": latest is not None and latest.pk != intake.pk,
        "clearances": DoctorClearance.objects.filter(intake__client=intake.client).select_related(
            "intake", "recorded_by"
        ),
    }
    return render(request, "intake/clearance.html", context)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _tel(number: str) -> str:
    """A tel: link for a number as people write it ("020 7946 0000")."""
    return "tel:" + re.sub(r"[^\d+]", "", number) if number else ""
