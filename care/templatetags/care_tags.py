"""Courses of care on pages owned by other apps: the workspace's client page, My appointments."""

from django import template

from accounts.models import User
from privacy.access import keeps_schedule

from ..models import PackagePurchase, TreatmentPlan
from ..packages import package_remaining
from ..selectors import can_write_plan, plans_progress, plans_visible_to

register = template.Library()


@register.inclusion_tag("care/_client_care.html", takes_context=True)
def client_care(context: template.Context, client: User) -> dict[str, object]:
    """The client's plans and packages on the staff's client page, as privacy.access allows."""
    user = context["request"].user
    plans = plans_visible_to(user).filter(client=client)
    return {
        "client": client,
        "plans": plans_progress(plans),
        "can_write": can_write_plan(user, client),
        "keeps_schedule": keeps_schedule(user),
        "balances": package_remaining(client),
    }


@register.inclusion_tag("care/_my_plan_link.html", takes_context=True)
def my_plan_link(context: template.Context) -> dict[str, object]:
    """A link to "My treatment plan" for a client who has a plan or a package."""
    user = context["request"].user
    shown = user.is_authenticated and (
        TreatmentPlan.objects.filter(client=user).exists()
        or PackagePurchase.objects.filter(client=user).exists()
    )
    return {"shown": shown}
