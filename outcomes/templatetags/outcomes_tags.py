"""The questionnaires' offer after the intake, and a small filter for the scale's anchor labels.

The offer is a template tag so that the intake's and the bookings' pages can show it without
importing this app (outcomes sits above them): a page that lacks it works the same.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from accounts.roles import is_staff_member
from intake.selectors import intake_latest

from ..models import OutcomeResponse

register = template.Library()


@register.inclusion_tag("outcomes/_offer.html", takes_context=True)
def outcomes_offer(context: template.Context, next_url: str = "") -> dict[str, object]:
    """ "Measure your starting point" for a client who has not answered the questionnaires since
    their latest intake; nothing for anyone else."""
    user = context.get("user")
    if user is None or not user.is_authenticated or is_staff_member(user):
        return {"show": False}
    intake = intake_latest(user)
    if (
        intake is None
        or OutcomeResponse.objects.filter(client=user, taken_at__gte=intake.created_at).exists()
    ):
        return {"show": False}
    url = reverse("outcomes:start") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    return {"show": True, "url": url}


@register.filter
def get_anchor(anchors: dict[int, str], point: int) -> str:
    return anchors.get(point, "")
