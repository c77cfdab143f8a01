"""The client's questionnaire pages: after the intake (signed in, skippable) and at a plan's
re-assessment (a signed link from the email, no login).

At intake the questionnaires are optional: the red-flag intake is the safety gate and booking
never waits for these. They measure where the client starts; a client who skips them is asked
again at the plan's first re-assessment point, and the therapist can see who has none.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.roles import is_staff_member
from clinic.redirects import safe_next
from clinic.throttle import client_ip, throttle_posts

from .definitions import measures
from .forms import QuestionnairesForm
from .limits import QUESTIONNAIRES_PER_CLIENT, QUESTIONNAIRES_PER_LINK_NETWORK
from .links import invite_from_token
from .models import OutcomeResponse
from .services import questionnaires_record


@login_required
@throttle_posts(QUESTIONNAIRES_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def questionnaires_start(request: HttpRequest) -> HttpResponse:
    """All the questionnaires on one page, for the client's starting point."""
    if is_staff_member(request.user):
        raise Http404  # staff accounts are not clients (privacy.access)
    client: User = request.user  # type: ignore[assignment]
    next_url = safe_next(request) or reverse("my_appointments")
    form = QuestionnairesForm(
        request.POST if request.method == "POST" else None,
        measures=list(measures().values()),
        named_before=_named_before(client),
    )
    if request.method == "POST" and form.is_valid():
        try:
            questionnaires_record(
                client=client, answered=form.answered(), occasion=OutcomeResponse.Occasion.INTAKE
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Thank you: your therapist will see your answers before your session.")
            return redirect(next_url)
    return render(request, "outcomes/start.html", {"form": form, "next": next_url})


# No login: the signed token in the email is the key (outcomes.links). It opens only this
# plan's questionnaires, once, for two weeks; the page names nothing clinical beyond the
# client's own activities from last time, which they need in front of them to rate again.
@throttle_posts(QUESTIONNAIRES_PER_LINK_NETWORK, per=client_ip)
@require_http_methods(["GET", "POST"])
def reassessment(request: HttpRequest, token: str) -> HttpResponse:
    invite = invite_from_token(token)
    if invite is None:
        return render(request, "outcomes/reassessment_expired.html", status=404)
    if invite.answered_at is not None:
        return render(request, "outcomes/reassessment_done.html", {"already": True})
    plan = invite.plan
    form = QuestionnairesForm(
        request.POST if request.method == "POST" else None,
        measures=list(measures().values()),
        named_before=_named_before(plan.client),
    )
    if request.method == "POST" and form.is_valid():
        try:
            questionnaires_record(
                client=plan.client,
                answered=form.answered(),
                occasion=invite.occasion,
                plan=plan,
                invite=invite,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return render(request, "outcomes/reassessment_done.html", {"already": False})
    context = {
        "form": form,
        "after_sessions": invite.after_sessions,
        "is_last": invite.occasion == "discharge",
    }
    return render(request, "outcomes/reassessment.html", context)


def _named_before(client: User) -> dict[str, list[str]]:
    """The activities (or other named items) the client rated last time, per measure."""
    named: dict[str, list[str]] = {}
    for key, measure in measures().items():
        if measure.named_items is None:
            continue
        latest = (
            OutcomeResponse.objects.filter(client=client, measure=key).order_by("-taken_at", "-pk").first()
        )
        entries = latest.answers.get(measure.named_items.key, []) if latest else []
        named[key] = [str(entry.get("name", "")) for entry in entries if isinstance(entry, dict)]
    return named
