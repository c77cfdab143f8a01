"""The clinic's schedule and its frame: the day and week, weekly hours, time off, closures."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_clinic_admin
from bookings.models import Closure, Therapist, TimeOff, WorkingHours
from bookings.selectors import clinic_get
from privacy.access import keeps_schedule, staff_page

from .. import selectors
from ..forms import ClosureForm, DayForm, TimeOffForm, WorkingHoursFormSet
from ..schedule import schedule_day as read_day
from ..schedule import schedule_week as read_week
from ..services import closure_add, closure_remove, time_off_add, time_off_remove, working_hours_replace
from . import clinic_today


@staff_page(keeps_schedule)
@require_GET
def schedule_day(request: HttpRequest) -> HttpResponse:
    clinic = clinic_get()
    form = DayForm(request.GET or None, today=clinic_today(clinic))
    day = form.day()
    context = {
        "form": form,
        "schedule": read_day(day=day, clinic=clinic),
        "sees_reasons": is_clinic_admin(request.user),
        "previous_url": "?" + urlencode({"date": day - timedelta(days=1)}),
        "next_url": "?" + urlencode({"date": day + timedelta(days=1)}),
        "week_url": "week/?" + urlencode({"date": day}),
        "is_today": day == clinic_today(clinic),
    }
    return render(request, "workspace/schedule_day.html", context)


@staff_page(keeps_schedule)
@require_GET
def schedule_week(request: HttpRequest) -> HttpResponse:
    clinic = clinic_get()
    form = DayForm(request.GET or None, today=clinic_today(clinic))
    day = form.day()
    context = {
        "form": form,
        "schedule": read_week(day=day, clinic=clinic),
        "sees_reasons": is_clinic_admin(request.user),
        "today": clinic_today(clinic),
        "previous_url": "?" + urlencode({"date": day - timedelta(days=7)}),
        "next_url": "?" + urlencode({"date": day + timedelta(days=7)}),
    }
    return render(request, "workspace/schedule_week.html", context)


@staff_page(keeps_schedule)
@require_GET
def therapist_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    therapists = Therapist.objects.select_related("user").prefetch_related(
        Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start_time")),
        Prefetch(
            "time_off",
            queryset=TimeOff.objects.filter(end__gt=now).order_by("start"),
            to_attr="upcoming_time_off",
        ),
    )
    return render(request, "workspace/therapist_list.html", {"therapists": therapists})


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def therapist_hours(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=therapist_id)
    initial = [
        {"weekday": each.weekday, "start_time": each.start_time, "end_time": each.end_time}
        for each in therapist.working_hours.order_by("weekday", "start_time")
    ]
    # On POST every row that is filled in and not removed is the new week, initial or not.
    formset = WorkingHoursFormSet(
        request.POST or None, initial=None if request.POST else initial, prefix="hours"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            working_hours_replace(therapist=therapist, intervals=formset.intervals())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{therapist.name}'s weekly hours are saved.")
            return redirect("workspace:therapist_hours_saved", therapist_id=therapist.pk)
    return render(request, "workspace/therapist_hours.html", {"therapist": therapist, "formset": formset})


@staff_page(keeps_schedule)
@require_GET
def therapist_hours_saved(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=therapist_id)
    context = {
        "therapist": therapist,
        "hours": therapist.working_hours.order_by("weekday", "start_time"),
        "clashes": selectors.appointments_outside_hours(therapist, clinic=clinic_get()),
    }
    return render(request, "workspace/therapist_hours_saved.html", context)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def therapist_time_off(request: HttpRequest, therapist_id: int) -> HttpResponse:
    therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=therapist_id)
    form = TimeOffForm(request.POST or None, clinic=clinic_get())
    if request.method == "POST" and form.is_valid():
        try:
            added = time_off_add(
                therapist=therapist,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("workspace:time_off_saved", time_off_id=added.pk)
    upcoming = therapist.time_off.filter(end__gt=timezone.now()).order_by("start")
    return render(
        request,
        "workspace/therapist_time_off.html",
        {"therapist": therapist, "form": form, "upcoming": upcoming},
    )


@staff_page(keeps_schedule)
@require_GET
def time_off_saved(request: HttpRequest, time_off_id: int) -> HttpResponse:
    time_off = get_object_or_404(TimeOff.objects.select_related("therapist__user"), pk=time_off_id)
    context = {"time_off": time_off, "clashes": selectors.time_off_clashes(time_off)}
    return render(request, "workspace/time_off_saved.html", context)


@staff_page(keeps_schedule)
@require_POST
def time_off_remove_view(request: HttpRequest, time_off_id: int) -> HttpResponse:
    time_off = get_object_or_404(TimeOff.objects.select_related("therapist__user"), pk=time_off_id)
    time_off_remove(time_off=time_off)
    messages.success(request, f"Time off removed: {time_off.therapist.name} can be booked then again.")
    return redirect("workspace:therapist_time_off", therapist_id=time_off.therapist_id)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def closure_list(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = closure_add(day=form.cleaned_data["date"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("workspace:closure_saved", closure_id=added.pk)
    upcoming = Closure.objects.filter(date__gte=clinic_today(clinic_get())).order_by("date")
    return render(request, "workspace/closure_list.html", {"form": form, "upcoming": upcoming})


@staff_page(keeps_schedule)
@require_GET
def closure_saved(request: HttpRequest, closure_id: int) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=closure_id)
    context = {"closure": closure, "clashes": selectors.closure_clashes(closure, clinic=clinic_get())}
    return render(request, "workspace/closure_saved.html", context)


@staff_page(keeps_schedule)
@require_POST
def closure_remove_view(request: HttpRequest, closure_id: int) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=closure_id)
    closure_remove(closure=closure)
    messages.success(request, f"The clinic is open again on {closure.date:%-d %B %Y}.")
    return redirect("workspace:closure_list")
