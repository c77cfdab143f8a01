"""The sciatica intake pages: the client's form and result, and the clinic's follow-up pages.

Clinical answers travel only in POST bodies and are never logged; URLs carry ids at most.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.roles import is_clinic_admin, is_therapist
from bookings.models import Appointment
from bookings.screening import block_lift, client_standing, intake_record
from bookings.selectors import appointments_released_for_health_check, clinic_get
from clinic.redirects import safe_next
from clinic.throttle import INTAKES_PER_CLIENT, throttle_posts
from privacy.access import AnyUser, can_read_clinical, clients_visible_to, staff_page, uses_workspace
from privacy.models import AccessRecord
from privacy.records import clinical_page, clinical_read

from .forms import ClearanceForm, IntakeForm, RedFlagCheckForm
from .models import Clearance, Intake
from .selectors import BLOCKING, intake_is_lifted, intake_latest, intakes_blocking, standing_advice
from .triage import Outcome

BLOCKED_PER_PAGE = 50


def _sees_reasons(user: AnyUser) -> bool:
    # Spec §1: front desk sees the outcome only; therapists and admins also see the reasons.
    return is_clinic_admin(user) or is_therapist(user)


@login_required
@throttle_posts(INTAKES_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def intake_start(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake_record(
                client=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
                consent=form.cleaned_data["consent"],
                details=form.details(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if _goes_on_to_confirm(next_url) and client_standing(request.user).can_book:  # type: ignore[arg-type]
                return redirect(next_url)
            return redirect(_with_next(reverse("intake_result"), next_url))
    context = {
        "form": form,
        "next": next_url,
        "first_intake": intake_latest(request.user) is None,  # type: ignore[arg-type]
    }
    return render(request, "intake/start.html", context)


def _goes_on_to_confirm(next_url: str) -> bool:
    """Is `next` the booking's confirm step? It shows the advice of the result page (the cautions
    and the safety net) above its button, so a client who may book goes straight back to it; a
    red flag, or any other `next`, still gets the result page."""
    try:
        return bool(next_url) and resolve(urlsplit(next_url).path).url_name == "book_confirm"
    except Resolver404:
        return False


@login_required
@require_GET
def intake_result(request: HttpRequest) -> HttpResponse:
    """The outcome in force, not merely the latest answers: a red flag on record stays."""
    next_url = safe_next(request)
    standing = client_standing(request.user)  # type: ignore[arg-type]
    if standing.newest is None:
        return redirect(_with_next(reverse("intake_start"), next_url))
    clinic = clinic_get()
    context = {
        "outcome": standing.outcome,
        "advice": standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
        "expired": standing.outcome is None,
        "can_book": standing.can_book,
        "continue_url": next_url or reverse("book"),
        "restart_url": _with_next(reverse("intake_start"), next_url),
        "emergency_tel": _tel(clinic.emergency_number),
        "clinic_tel": _tel(clinic.phone),
    }
    return render(request, "intake/result.html", context)


@dataclass(frozen=True)
class FollowUp:
    """One blocked client on the follow-up list: their blocks and the appointments released."""

    client: User
    blocks: list[Intake]
    released: list[Appointment]

    @property
    def outcome(self) -> str:
        return (
            Outcome.EMERGENCY
            if any(i.outcome == Outcome.EMERGENCY for i in self.blocks)
            else Outcome.SEE_DOCTOR
        )


@staff_page(uses_workspace)
@clinical_page
@require_GET
def intake_blocked_list(request: HttpRequest) -> HttpResponse:
    """Clients with a red flag in force, newest first, with the appointments released for them."""
    blocks = intakes_blocking().filter(client__in=clients_visible_to(request.user))
    by_client: dict[int, list[Intake]] = {}
    for intake in blocks:
        by_client.setdefault(intake.client_id, []).append(intake)
    page = Paginator(list(by_client.values()), BLOCKED_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    follow_ups = [
        FollowUp(
            client=intakes[0].client,
            blocks=intakes,
            released=appointments_released_for_health_check(intakes[0].client, now=now),
        )
        for intakes in page.object_list
    ]
    # Front desk see each client's outcome only; that too is on record, as on a client's page.
    shown = AccessRecord.What.INTAKE if _sees_reasons(request.user) else AccessRecord.What.INTAKE_OUTCOME
    clinical_read(request, clients=[follow_up.client for follow_up in follow_ups], what=[shown])
    context = {"page": page, "follow_ups": follow_ups, "sees_reasons": _sees_reasons(request.user)}
    return render(request, "intake/blocked_list.html", context)


@staff_page(_sees_reasons)
@clinical_page
@require_http_methods(["GET", "POST"])
def intake_clearance(request: HttpRequest, intake_id: int) -> HttpResponse:
    """Lift a block: a doctor's clearance or an answer given in error, with the questions asked again."""
    intake = get_object_or_404(Intake.objects.select_related("client"), pk=intake_id)
    if not can_read_clinical(request.user, intake.client):
        raise Http404
    posted = request.POST if request.method == "POST" else None
    form = ClearanceForm(posted)
    reasked_form = RedFlagCheckForm(posted, prefix="reasked")
    if request.method == "POST" and form.is_valid() and reasked_form.is_valid():
        try:
            _, new_intake = block_lift(
                intake=intake,
                kind=form.cleaned_data["kind"],
                doctor_name=form.cleaned_data["doctor_name"],
                practice=form.cleaned_data["practice"],
                cleared_on=form.cleaned_data["cleared_on"],
                note=form.cleaned_data["note"],
                reasked=reasked_form.cleaned_red_flags(),
                recorded_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            standing = client_standing(intake.client)
            if new_intake is not None and new_intake.blocks_booking:
                messages.warning(
                    request,
                    f"Recorded. {intake.client} answered yes again: that is a new block to follow up.",
                )
            elif standing.blocks_booking:
                messages.warning(request, f"Recorded. {intake.client} has another block still in force.")
            else:
                messages.success(request, f"Recorded: {intake.client} can book again.")
            return redirect("intake_blocked_list")
    clinical_read(request, clients=[intake.client], what=[AccessRecord.What.INTAKE])
    context = {
        "intake": intake,
        "form": form,
        "reasked_form": reasked_form,
        "blocks": intake.outcome in BLOCKING,
        "lifted": intake_is_lifted(intake),
        "clearances": Clearance.objects.filter(intake__client=intake.client).select_related(
            "intake", "recorded_by"
        ),
    }
    return render(request, "intake/clearance.html", context)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _tel(number: str) -> str:
    """A tel: link for a number as people write it ("020 7946 0000")."""
    return "tel:" + re.sub(r"[^\d+]", "", number) if number else ""
