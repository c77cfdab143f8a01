"""The clinic's figures for a chosen period."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bookings.selectors import clinic_get
from outcomes.report import outcome_shares
from privacy.access import keeps_schedule, staff_page

from ..forms import ReportPeriodForm
from ..report import clinic_report
from . import clinic_today


@staff_page(keeps_schedule)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    clinic = clinic_get()
    today = clinic_today(clinic)
    # This calendar month by default.
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    data = (
        request.GET
        if "first" in request.GET or "last" in request.GET
        else {"first": month_start, "last": month_end}
    )
    form = ReportPeriodForm(data)
    figures = None
    outcomes = None
    if form.is_valid():
        figures = clinic_report(
            first=form.cleaned_data["first"], last=form.cleaned_data["last"], clinic=clinic
        )
        outcomes = outcome_shares(
            first=form.cleaned_data["first"], last=form.cleaned_data["last"], clinic=clinic
        )
    return render(request, "workspace/report.html", {"form": form, "report": figures, "outcomes": outcomes})
