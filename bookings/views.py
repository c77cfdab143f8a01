"""The client's pages: browse treatments and therapists, book, and look after their appointments."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT, throttle_posts
from intake.forms import recheck_answers, recheck_form_for
from intake.selectors import Standing, standing_advice

from . import services
from .availability import Slot
from .cautions import (
    NO_LIMITS,
    booking_refusal,
    caution_limits,
    services_ruled_out,
)
from .change_window import ChangeWindow, change_window
from .errors import BookingError, IntakeRequired, SlotUnavailable
from .forms import ANYONE, BookingConfirmForm, PreVisitCheckForm, SlotSearchForm, start_param
from .models import Appointment, Clinic, Service, Therapist
from .previsit import (
    appointment_day,
    appointment_from_token,
    asks_if_weakness_worse,
    pre_visit_check_opens_at,
    pre_visit_check_record,
)
from .screening import client_standing, intake_gate_check
from .selectors import appointments_of_client, clinic_get, services_bookable, therapists_bookable
from .slot_pages import free_time_buttons, free_times_context, move_forms, slot_buttons, when_text


class ClientRequest(HttpRequest):
    """A request behind @login_required: its user is signed in."""

    user: User


@dataclass(frozen=True)
class UpcomingAppointment:
    appointment: Appointment
    changes: ChangeWindow


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    advice = _blocked_advice(_standing_of(request), clinic_get())
    context = {"services": services_bookable(), "blocked_advice": advice}
    return render(request, "bookings/home.html", context)


def _standing_of(request: HttpRequest) -> Standing | None:
    """The outcome in force for whoever is signed in; None for a visitor."""
    return client_standing(request.user) if request.user.is_authenticated else None  # type: ignore[arg-type]


def _blocked_advice(standing: Standing | None, clinic: Clinic) -> list[str]:
    """For a signed-in client with a red flag in force: the advice, instead of ways to book."""
    if standing is None or not standing.blocks_booking:
        return []
    return standing_advice(
        standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
    )


@require_GET
def therapists(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/therapists.html", {"therapists": therapists_bookable()})


@require_GET
def book(request: HttpRequest) -> HttpResponse:
    clinic = clinic_get()
    today = timezone.localdate(timezone=clinic.tz)
    data = {"therapist": ANYONE, **request.GET.dict()} if request.GET else None
    standing = _standing_of(request)
    blocked_advice = _blocked_advice(standing, clinic)
    if blocked_advice:
        # No times to pick: the booking would only be refused at the last step.
        return render(request, "bookings/book.html", {"blocked_advice": blocked_advice})
    limits = caution_limits(standing.codes) if standing else NO_LIMITS
    form = SlotSearchForm(
        data, clinic=clinic, today=today, limits=limits, initial={"therapist": ANYONE, "date": today}
    )
    context: dict[str, object] = {
        "form": form,
        "caution_limits": limits,
        "services_ruled_out": services_ruled_out(limits),
    }
    if form.is_valid():
        service = form.cleaned_data["service"]
        context |= free_times_context(
            clinic,
            form,
            service,
            slot_url=lambda slot: _confirm_url(
                service=service, therapist_id=slot.therapist_id, start=slot.start
            ),
            anyone_url=lambda start: _confirm_url(service=service, therapist_id=None, start=start),
            base_query={"service": service.pk},
            limits=limits,
            first_free_day="date" not in request.GET,
        )
    return render(request, "bookings/book.html", context)


# A visitor who picked a time is most likely new: the sign-up page, which links to log in.
@login_required(login_url="signup")
@throttle_posts(BOOKING_ATTEMPTS_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def book_confirm(request: ClientRequest) -> HttpResponse:
    form = BookingConfirmForm(request.POST if request.method == "POST" else request.GET)
    chosen = form.cleaned_data if form.is_valid() else None
    red_flag_form = recheck_form_for(request.user, request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "form": form,
        "chosen": chosen,
        "alternatives": [],
        "red_flag_form": red_flag_form,
    }
    if not chosen:
        return render(request, "bookings/book_confirm.html", context)
    chosen_therapist: Therapist | None = chosen["therapist"]  # None: "anyone", the clinic picks

    def confirm_url(therapist_id: int | None, start: datetime) -> str:
        return _confirm_url(service=chosen["service"], therapist_id=therapist_id, start=start)

    # Said before the client confirms: until when they could change it online, if at all.
    clinic = clinic_get()
    context["changes"] = change_window(start=chosen["start"], clinic=clinic, now=timezone.now())
    try:
        standing = intake_gate_check(client=request.user, clinic=clinic)
        context |= _advice_before_booking(standing, clinic)
        # Said before the questions are asked: booking would refuse it after them.
        ruled_out = booking_refusal(
            caution_limits(standing.codes),
            service=chosen["service"],
            therapist=chosen_therapist,
            clinic_phone=clinic.phone,
        )
        if ruled_out:
            form.add_error(None, ruled_out)
            return render(request, "bookings/book_confirm.html", context)
        recheck_ready = red_flag_form is None or red_flag_form.is_valid()
        if request.method == "POST" and recheck_ready:
            appointment = services.appointment_book(
                client=request.user,
                therapist=chosen_therapist,
                service=chosen["service"],
                start=chosen["start"],
                red_flags=recheck_answers(red_flag_form),
                clinic=clinic,
            )
            return redirect("appointment_booked", appointment_id=appointment.pk)
    except IntakeRequired as error:
        return _to_intake(
            error,
            come_back_to=confirm_url(chosen_therapist.pk if chosen_therapist else None, chosen["start"]),
        )
    except SlotUnavailable as error:
        form.add_error(None, error.message)
        context["alternatives"] = free_time_buttons(
            error.alternatives,
            anyone=chosen_therapist is None,
            slot_url=lambda slot: confirm_url(slot.therapist_id, slot.start),
            anyone_url=lambda start: confirm_url(None, start),
            clinic=clinic,
        )
    except BookingError as error:
        form.add_error(None, error.message)
    return render(request, "bookings/book_confirm.html", context)


def _advice_before_booking(standing: Standing, clinic: Clinic) -> dict[str, object]:
    """The intake's advice for a client who may book, also shown after the intake (intake_result).

    A new client comes here straight from the intake (intake.views.intake_start), so this page
    is where they read their cautions and the safety net before they confirm.
    """
    advice = standing_advice(
        standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
    )
    return {"safety_advice": advice, "outcome": standing.outcome}


def _to_intake(error: IntakeRequired, *, come_back_to: str) -> HttpResponse:
    """No current intake: fill it in, then come back. A red flag: the advice page."""
    if error.outcome is None:
        return redirect(f"{reverse('intake_start')}?{urlencode({'next': come_back_to})}")
    return redirect("intake_result")


@login_required
@require_GET
def appointment_booked(request: ClientRequest, appointment_id: int) -> HttpResponse:
    appointment = _own_appointment(request, appointment_id)
    clinic = clinic_get()
    safety_advice = standing_advice(
        client_standing(request.user),
        emergency_number=clinic.emergency_number,
        urgent_care_line=clinic.urgent_care_line,
    )
    context = {
        "appointment": appointment,
        "changes": change_window(start=appointment.start, clinic=clinic, now=timezone.now()),
        "safety_advice": safety_advice,
        "first_visit": not appointments_of_client(request.user.pk)
        .filter(status=Appointment.Status.COMPLETED)
        .exists(),
    }
    return render(request, "bookings/appointment_booked.html", context)


@login_required
@require_GET
def my_appointments(request: ClientRequest) -> HttpResponse:
    clinic = clinic_get()
    now = timezone.now()
    appointments = list(appointments_of_client(request.user.pk).order_by("start"))

    def is_upcoming(appointment: Appointment) -> bool:
        return appointment.status == Appointment.Status.BOOKED and appointment.start >= now

    upcoming = [a for a in appointments if is_upcoming(a)]
    past = [a for a in reversed(appointments) if not is_upcoming(a)]
    standing = client_standing(request.user, now=now)
    context = {
        "upcoming": [
            UpcomingAppointment(a, change_window(start=a.start, clinic=clinic, now=now)) for a in upcoming
        ],
        "past": past,
        "now": now,
        # A blocked client is offered no action that would only be refused at the last step.
        "blocked": standing.blocks_booking,
        "advice": standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        )
        if standing.blocks_booking
        else [],
    }
    return render(request, "bookings/my_appointments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: ClientRequest, appointment_id: int) -> HttpResponse:
    appointment = _own_appointment(request, appointment_id)
    clinic = clinic_get()
    if request.method == "POST":
        try:
            services.appointment_cancel(appointment=appointment, by=request.user)
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Your {appointment.service.name} appointment on {when_text(appointment.start, clinic)} is cancelled.",
            )
        return redirect("my_appointments")
    changes = change_window(start=appointment.start, clinic=clinic, now=timezone.now())
    return render(
        request, "bookings/appointment_cancel.html", {"appointment": appointment, "changes": changes}
    )


@login_required
@throttle_posts(BOOKING_ATTEMPTS_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def appointment_reschedule(request: ClientRequest, appointment_id: int) -> HttpResponse:
    appointment = _own_appointment(request, appointment_id)
    clinic = clinic_get()
    changes = change_window(start=appointment.start, clinic=clinic, now=timezone.now())
    if not changes.is_open:
        # Only the clinic can move it now: no times to pick that the move would then refuse.
        return render(
            request, "bookings/appointment_reschedule.html", {"appointment": appointment, "changes": changes}
        )
    service = appointment.service
    today = timezone.localdate(timezone=clinic.tz)
    reschedule_url = reverse("appointment_reschedule", args=[appointment.pk])
    try:
        standing = intake_gate_check(client=request.user, clinic=clinic)
    except IntakeRequired as error:
        return _to_intake(error, come_back_to=reschedule_url)
    limits = caution_limits(standing.codes)
    search, choice = move_forms(request, appointment, clinic=clinic, today=today, limits=limits)

    def choose_url(slot: Slot) -> str:
        query = {"therapist": slot.therapist_id, "start": start_param(slot.start)}
        return f"{reschedule_url}?{urlencode(query, safe=':')}"

    red_flag_form = recheck_form_for(request.user, request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "appointment": appointment,
        "changes": changes,
        "search": search,
        "choice": choice,
        "red_flag_form": red_flag_form,
    }
    if choice is not None and choice.is_valid():
        context["confirming"] = choice.cleaned_data
        if request.method == "GET" or not (red_flag_form is None or red_flag_form.is_valid()):
            return render(request, "bookings/appointment_reschedule.html", context)
        try:
            moved = services.appointment_reschedule(
                appointment=appointment,
                start=choice.cleaned_data["start"],
                therapist=choice.cleaned_data["therapist"],
                by=request.user,
                red_flags=recheck_answers(red_flag_form),
            )
        except IntakeRequired as error:
            return _to_intake(error, come_back_to=reschedule_url)
        except SlotUnavailable as error:
            choice.add_error(None, error.message)
            context["alternatives"] = slot_buttons(error.alternatives, choose_url)
            context["confirming"] = None
            return render(request, "bookings/appointment_reschedule.html", context)
        except BookingError as error:
            choice.add_error(None, error.message)
            context["confirming"] = None
        else:
            messages.success(
                request,
                f"Your {service.name} appointment is now on {when_text(moved.start, clinic)} with {moved.therapist.name}.",
            )
            return redirect("my_appointments")
    if search.is_valid():
        context |= free_times_context(
            clinic,
            search,
            service,
            slot_url=choose_url,
            base_query={},
            ignore_appointment_id=appointment.pk,
            limits=limits,
            prefer=appointment.therapist,
        )
    return render(request, "bookings/appointment_reschedule.html", context)


# No login: the signed token in the reminder is the key. It grants only answering this
# appointment's day-of check, until the appointment ends (bookings.previsit.pre_visit_token),
# so the page shows the day and time and nothing clinical until the client has answered.
@require_http_methods(["GET", "POST"])
def pre_visit_check(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    appointment = appointment_from_token(token, now)
    if appointment is None:
        return render(request, "bookings/pre_visit_check_expired.html", status=404)
    clinic = clinic_get()
    start = appointment.start.astimezone(clinic.tz)
    context: dict[str, object] = {"when": when_text(start, clinic), "start_time": f"{start:%H:%M}"}
    if now < pre_visit_check_opens_at(appointment, clinic=clinic):
        opens_on = appointment_day(appointment, clinic=clinic)
        return render(request, "bookings/pre_visit_check.html", context | {"opens_on": opens_on})
    form = PreVisitCheckForm(
        request.POST if request.method == "POST" else None,
        asks_weakness=asks_if_weakness_worse(appointment.client, now=now),
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = pre_visit_check_record(
                appointment=appointment, report=form.report(), weakness_worse=form.weakness_worse(), now=now
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            advice = standing_advice(
                client_standing(appointment.client, now=now),
                emergency_number=clinic.emergency_number,
                urgent_care_line=clinic.urgent_care_line,
            )
            result = {"stops_session": check.stops_session, "advice": advice if check.stops_session else []}
            return render(request, "bookings/pre_visit_check_done.html", context | result)
    return render(request, "bookings/pre_visit_check.html", context | {"form": form})


def _own_appointment(request: ClientRequest, appointment_id: int) -> Appointment:
    """The signed-in client's appointment; anyone else's is a 404, as if it didn't exist."""
    return get_object_or_404(appointments_of_client(request.user.pk), pk=appointment_id)


def _confirm_url(*, service: Service, therapist_id: int | None, start: datetime) -> str:
    """The confirm step for a free time; `therapist_id` None is "anyone" (therapist=ANYONE)."""
    therapist = ANYONE if therapist_id is None else therapist_id
    query = {"service": service.pk, "therapist": therapist, "start": start_param(start)}
    return f"{reverse('book_confirm')}?{urlencode(query, safe=':')}"
