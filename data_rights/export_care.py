"""The client's course of care in their export: treatment plans with the series booked for them,
and the packages they bought with what remains of each (care.packages, as the desk sees it)."""

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from accounts.models import User
from care.models import Series, SeriesAppointment, TreatmentPlan
from care.packages import PackageBalance, package_remaining
from care.selectors import plans_of_client

from .export_format import iso_day, local_time, money, who


def care_sections(client: User, *, tz: ZoneInfo, now: datetime) -> dict[str, Any]:
    plans = list(plans_of_client(client).order_by("written_at", "pk"))
    series_by_plan: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    plan_ids = {plan.pk for plan in plans}
    for series in _series(client):
        # A series for a plan sits in that plan; any other (booked without a plan) on its own.
        key = series.plan_id if series.plan_id in plan_ids else None
        series_by_plan[key].append(_series_entry(series, client=client, tz=tz))
    return {
        "treatment_plans": [_plan(plan, series_by_plan[plan.pk], tz=tz) for plan in plans],
        "series_without_a_plan": series_by_plan[None],
        "packages": [_package(balance, tz=tz) for balance in package_remaining(client, now=now)],
    }


def _plan(plan: TreatmentPlan, series: list[dict[str, Any]], *, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "service": plan.service.name,
        "therapist": plan.therapist.name,
        "written_at": local_time(plan.written_at, tz),
        "goals": plan.goals,
        "summary": plan.summary,
        "sessions_planned": plan.sessions_planned,
        "frequency": plan.get_frequency_display(),
        "reassess_every_sessions": plan.reassess_every_sessions,
        "status": plan.get_status_display(),
        "ended_at": local_time(plan.ended_at, tz),
        "series": series,
    }


def _series(client: User) -> list[Series]:
    members = SeriesAppointment.objects.select_related("appointment__service").order_by(
        "appointment__start", "appointment__pk"
    )
    return list(
        Series.objects.filter(client=client)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("booked_at", "pk")
    )


def _series_entry(series: Series, *, client: User, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "booked_at": local_time(series.booked_at, tz),
        "booked_by": who(series.booked_by_id, client),
        # The same sessions as in "appointments", found there by their start.
        "sessions": [
            {
                "service": member.appointment.service.name,
                "start": local_time(member.appointment.start, tz),
                "status": member.appointment.get_status_display(),
            }
            for member in series.members.all()
        ],
    }


def _package(balance: PackageBalance, *, tz: ZoneInfo) -> dict[str, Any]:
    purchase = balance.purchase
    return {
        "package": purchase.package.name,
        "service": purchase.package.service.name,
        "bought_at": local_time(purchase.sold_at, tz),
        "amount_paid": money(purchase.amount_paid),
        "payment_method": purchase.get_payment_method_display(),
        "sessions": balance.sessions,
        "sessions_used": balance.used,
        "sessions_booked_ahead": balance.booked_ahead,
        "sessions_remaining": balance.remaining,
        "expires_on": iso_day(balance.expires_on),
        "expired": balance.is_expired,
    }
