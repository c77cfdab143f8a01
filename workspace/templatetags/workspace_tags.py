from django import template
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.roles import is_clinic_admin, is_therapist
from privacy.access import keeps_schedule, uses_workspace

register = template.Library()


@register.filter
def uses_staff_workspace(user: User | AnonymousUser) -> bool:
    """For the site's navigation: therapists, front desk and admins get the staff menu."""
    return uses_workspace(user)


@register.inclusion_tag("workspace/_staff_nav_links.html", takes_context=True)
def staff_nav_links(context: template.Context) -> dict[str, object]:
    """The site menu's links for staff. The Django admin only for admins it lets in (staff status)."""
    user = context["user"]
    return {
        "is_therapist": is_therapist(user),
        "keeps_schedule": keeps_schedule(user),
        "opens_django_admin": is_clinic_admin(user) and user.is_staff,
    }


@register.inclusion_tag("workspace/_subnav.html", takes_context=True)
def workspace_nav(context: template.Context, active: str = "") -> dict[str, object]:
    user = context["request"].user
    return {
        "active": active,
        "is_therapist": is_therapist(user),
        "keeps_schedule": keeps_schedule(user),
        "sees_reasons": is_clinic_admin(user) or is_therapist(user),
    }


@register.filter
def percent(share: float | None) -> str:
    """0.156 as "15.6%"; no share (no working hours) as "–"."""
    return "–" if share is None else f"{share * 100:.1f}%"


@register.filter
def hours_minutes(minutes: int) -> str:
    """150 as "2 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
