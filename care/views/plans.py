"""The staff's plan pages: write a plan, read it with its progress, end it, and the list of
clients on a plan with the follow-up list of those who have dropped off.

Every page asks privacy.access (through care.selectors); anything refused answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_clinic_admin
from bookings.models import Service, Therapist
from privacy.access import (
    AnyUser,
    keeps_schedule,
    staff_page,
    therapist_of,
    uses_workspace,
    visible_client_or_404,
)
from privacy.models import AccessRecord
from privacy.records import clinical_page, clinical_read

from ..forms import PlanForm
from ..models import TreatmentPlan
from ..packages import package_remaining
from ..selectors import (
    can_book_plan,
    can_read_plan_clinical,
    can_write_plan,
    plan_appointments,
    plan_progress,
    plan_standings,
    plans_visible_to,
)
from ..services import plan_end, plan_write


@staff_page(uses_workspace)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Clients on a plan, how far along, and who has dropped off (to follow up)."""
    plans = plans_visible_to(request.user).filter(status=TreatmentPlan.Status.ACTIVE)
    own = therapist_of(request.user)
    if own is not None and not keeps_schedule(request.user):
        plans = plans.filter(therapist=own)  # a therapist's list: the plans they wrote for their clients
    standings = plan_standings(plans.order_by("client__first_name", "client__last_name", "pk"))
    context = {
        "standings": standings,
        "follow_up": sorted((s for s in standings if s.dropped_off), key=lambda s: s.quiet_since),
        "now": timezone.now(),
    }
    return render(request, "care/plan_list.html", context)


@staff_page(uses_workspace)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    if not can_write_plan(request.user, client):
        raise Http404
    therapists, services = _plan_choices(request.user)
    form = PlanForm(request.POST or None, therapists=therapists, services=services)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_write(
                client=client,
                therapist=form.cleaned_data["therapist"],
                service=form.cleaned_data["service"],
                goals=form.cleaned_data["goals"],
                sessions_planned=form.cleaned_data["sessions_planned"],
                frequency=form.cleaned_data["frequency"],
                reassess_every_sessions=form.cleaned_data["reassess_every_sessions"],
                summary=form.cleaned_data["summary"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, f"Plan saved for {client}. They can read it and book its sessions.")
            return redirect("care:plan_detail", plan_id=plan.pk)
    return render(request, "care/plan_new.html", {"client": client, "form": form})


def _plan_choices(user: AnyUser) -> tuple[QuerySet[Therapist], QuerySet[Service]]:
    """Whose plan it is and which services: an admin picks any therapist, a therapist is themself."""
    if is_clinic_admin(user):
        therapists = Therapist.objects.filter(is_active=True).select_related("user")
        return therapists, Service.objects.filter(is_active=True)
    own = therapist_of(user)
    if own is None:  # the page lets only admins and therapists this far
        return Therapist.objects.none(), Service.objects.none()
    therapists = Therapist.objects.filter(pk=own.pk).select_related("user")
    return therapists, Service.objects.filter(is_active=True, therapists=own)


@staff_page(uses_workspace)
@clinical_page
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(request.user), pk=plan_id)
    clinical = can_read_plan_clinical(request.user, plan)
    sessions = list(plan_appointments(plan))
    context = {
        "plan": plan,
        "client": plan.client,
        "clinical": clinical,
        "progress": plan_progress(plan, appointments=sessions),
        "sessions": sessions,
        "series": list(plan.series.all()),
        "balances": package_remaining(plan.client),
        "can_end": plan.status == TreatmentPlan.Status.ACTIVE and can_write_plan(request.user, plan.client),
        "can_book": plan.status == TreatmentPlan.Status.ACTIVE and can_book_plan(request.user, plan),
        "keeps_schedule": keeps_schedule(request.user),
        "now": timezone.now(),
    }
    # The goals and summary are clinical: on record for those who may read them; the desk sees neither.
    clinical_read(request, clients=[plan.client] if clinical else [], what=[AccessRecord.What.TREATMENT_PLAN])
    return render(request, "care/plan_detail.html", context)


@staff_page(uses_workspace)
@require_POST
def plan_end_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(request.user), pk=plan_id)
    if not can_write_plan(request.user, plan.client):
        raise Http404
    try:
        ended = plan_end(plan=plan, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Plan {ended.get_status_display().lower()}.")
    return redirect("care:plan_detail", plan_id=plan.pk)
