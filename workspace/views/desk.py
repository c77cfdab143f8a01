"""Phone bookings at the front desk: find or create the client, fill in their intake with them,
then book, move or cancel through bookings.services, under the same rules as online booking."""

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import User
from bookings.availability import Slot, free_slots
from bookings.cautions import (
    booking_refusal,
    booking_refusal_for_staff,
    caution_limits,
    slots_with_therapists_allowed,
)
from bookings.errors import BookingError, CautionRuledOut, IntakeRequired, SlotUnavailable
from bookings.forms import (
    ANYONE,
    BookingConfirmForm,
    DaySearchForm,
    SlotSearchForm,
    start_param,
)
from bookings.models import Clinic, Service, Therapist
from bookings.screening import client_standing, intake_gate_check, intake_record
from bookings.selectors import clinic_get
from bookings.services import appointment_book, appointment_cancel, appointment_reschedule
from bookings.slot_pages import free_time_buttons, move_forms, when_text
from clinic.redirects import safe_next
from intake.forms import IntakeForm, recheck_answers, recheck_form_for
from intake.selectors import standing_advice
from privacy.access import keeps_schedule, staff_page, visible_appointment_or_404, visible_client_or_404

from ..forms import CautionOverrideForm, ClientForm
from ..services import client_find_or_create
from . import clinic_today


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, created = client_find_or_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if created:
                messages.success(
                    request,
                    f"{client} is now a client. They can set a password with “Forgotten your password?”.",
                )
            else:
                messages.info(request, f"{client} already has an account with {client.email}: here it is.")
            return redirect("workspace:client", client_id=client.pk)
    return render(request, "workspace/client_new.html", {"form": form})


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def client_intake(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    next_url = safe_next(request)
    form = IntakeForm(request.POST or None)
    # The desk ticks the box after reading it to the client on the phone.
    form.fields[
        "consent"
    ].label = "The client agrees that their answers are shared with the clinic's therapists."
    if request.method == "POST" and form.is_valid():
        try:
            intake_record(
                client=client,
                answers=form.answers(),
                consent=form.cleaned_data["consent"],
                details=form.details(),
                submitted_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            standing = client_standing(client)
            if standing.blocks_booking:
                messages.warning(
                    request,
                    f"Intake saved for {client}. A red flag stops them booking: see the outcome below.",
                )
            else:
                messages.success(request, f"Intake saved for {client}. They can book.")
            return redirect(
                next_url
                if next_url and not standing.blocks_booking
                else reverse("workspace:client", args=[client.pk])
            )
    return render(request, "workspace/client_intake.html", {"client": client, "form": form, "next": next_url})


@staff_page(keeps_schedule)
@require_http_methods(["GET"])
def client_book(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    clinic = clinic_get()
    today = clinic_today(clinic)
    data = {"therapist": ANYONE, **request.GET.dict()} if request.GET else None
    form = SlotSearchForm(data, clinic=clinic, today=today, initial={"therapist": ANYONE, "date": today})
    context: dict[str, object] = {"client": client, "form": form, **_intake_status(client, clinic)}
    if form.is_valid():
        service: Service = form.cleaned_data["service"]
        therapist: Therapist | None = form.cleaned_data["therapist"]
        day: date = form.cleaned_data["date"]
        query = {"service": service.pk, "therapist": therapist.pk if therapist else ANYONE}
        context |= _day_of_slots(
            clinic,
            form,
            service,
            therapist,
            day,
            lambda slot: _book_confirm_url(client, service, slot.therapist_id, slot.start),
            query,
            anyone_url=lambda start: _book_confirm_url(client, service, None, start),
            client=client,
        )
        context["caution_ruled_out"] = _caution_ruled_out(client, service, therapist)
    return render(request, "workspace/client_book.html", context)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def client_book_confirm(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    clinic = clinic_get()
    form = BookingConfirmForm(request.POST if request.method == "POST" else request.GET)
    red_flag_form = recheck_form_for(client, request.POST if request.method == "POST" else None)
    chosen = form.cleaned_data if form.is_valid() else None
    context: dict[str, object] = {
        "client": client,
        "form": form,
        "red_flag_form": red_flag_form,
        "chosen": chosen,
        "alternatives": [],
        **_intake_status(client, clinic),
    }
    try:
        # The gate first: a blocked client is never asked the re-check.
        intake_gate_check(client=client, clinic=clinic)
    except IntakeRequired as error:
        context |= {"intake_refusal": error.message, "refused_outcome": error.outcome}
        return render(request, "workspace/client_book_confirm.html", context)
    override_form = None
    if chosen and (ruled_out := _caution_refusal(client, chosen["service"], chosen["therapist"])):
        override_form = CautionOverrideForm(request.POST if request.method == "POST" else None)
        context |= {"caution_ruled_out": ruled_out, "override_form": override_form}
    recheck_ready = red_flag_form is None or red_flag_form.is_valid()
    override_ready = override_form is None or override_form.is_valid()
    if request.method == "POST" and chosen and recheck_ready and override_ready:
        try:
            booked = appointment_book(
                client=client,
                therapist=chosen["therapist"],
                service=chosen["service"],
                start=chosen["start"],
                booked_by=request.user,  # type: ignore[arg-type]
                red_flags=recheck_answers(red_flag_form),
                caution_override=_override_reason(override_form),
            )
        except IntakeRequired as error:
            context |= {
                "intake_refusal": error.message,
                "refused_outcome": error.outcome,
                **_intake_status(client, clinic),
            }
        except SlotUnavailable as error:
            context["refusal"] = error.message
            service = chosen["service"]
            context["alternatives"] = free_time_buttons(
                error.alternatives,
                anyone=chosen["therapist"] is None,
                slot_url=lambda slot: _book_confirm_url(client, service, slot.therapist_id, slot.start),
                anyone_url=lambda start: _book_confirm_url(client, service, None, start),
                clinic=clinic,
            )
        except CautionRuledOut as error:
            context |= {
                "caution_ruled_out": error.for_staff,
                "override_form": override_form or CautionOverrideForm(),
            }
        except BookingError as error:
            context["refusal"] = error.message
        else:
            messages.success(
                request,
                f"Booked: {booked.service.name} for {client} on {when_text(booked.start, clinic)} with {booked.therapist.name}.",
            )
            return redirect("workspace:client", client_id=client.pk)
    return render(request, "workspace/client_book_confirm.html", context)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    found = visible_appointment_or_404(request.user, appointment_id)
    clinic = clinic_get()
    service = found.service
    today = clinic_today(clinic)
    search, choice = move_forms(request, found, clinic=clinic, today=today)
    move_url = reverse("workspace:appointment_move", args=[found.pk])

    def choose_url(slot: Slot) -> str:
        return f"{move_url}?{urlencode({'therapist': slot.therapist_id, 'start': start_param(slot.start)}, safe=':')}"

    red_flag_form = recheck_form_for(found.client, request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "appointment": found,
        "search": search,
        "choice": choice,
        "red_flag_form": red_flag_form,
        "client": found.client,
        **_intake_status(found.client, clinic),
    }
    if choice is not None and choice.is_valid():
        context["confirming"] = choice.cleaned_data
        override_form = None
        if ruled_out := _caution_refusal(found.client, service, choice.cleaned_data["therapist"]):
            override_form = CautionOverrideForm(request.POST if request.method == "POST" else None)
            context |= {"caution_ruled_out": ruled_out, "override_form": override_form}
        recheck_ready = red_flag_form is None or red_flag_form.is_valid()
        override_ready = override_form is None or override_form.is_valid()
        if request.method == "GET" or not (recheck_ready and override_ready):
            return render(request, "workspace/appointment_move.html", context)
        try:
            moved = appointment_reschedule(
                appointment=found,
                start=choice.cleaned_data["start"],
                therapist=choice.cleaned_data["therapist"],
                by=request.user,  # type: ignore[arg-type]
                red_flags=recheck_answers(red_flag_form),
                caution_override=_override_reason(override_form),
            )
        except SlotUnavailable as error:
            context |= {"refusal": error.message, "confirming": None}
            context["alternatives"] = free_time_buttons(
                error.alternatives, anyone=False, slot_url=choose_url, clinic=clinic
            )
            return render(request, "workspace/appointment_move.html", context)
        except IntakeRequired as error:
            context |= {"refusal": error.message, "confirming": None, **_intake_status(found.client, clinic)}
        except CautionRuledOut as error:  # the desk's words: its message names the client's condition
            context |= {"refusal": error.for_staff, "confirming": None}
        except BookingError as error:
            context |= {"refusal": error.message, "confirming": None}
        else:
            messages.success(
                request,
                f"Moved: {found.client}'s {service.name} is now on {when_text(moved.start, clinic)} with {moved.therapist.name}.",
            )
            return redirect("workspace:appointment", appointment_id=found.pk)
    if search.is_valid():
        therapist = search.cleaned_data["therapist"]
        query = {"therapist": therapist.pk if therapist else ANYONE}
        context |= _day_of_slots(
            clinic,
            search,
            service,
            therapist,
            search.cleaned_data["date"],
            choose_url,
            query,
            ignore_appointment_id=found.pk,
            client=found.client,
            prefer=found.therapist,
        )
    return render(request, "workspace/appointment_move.html", context)


@staff_page(keeps_schedule)
@require_http_methods(["GET", "POST"])
def appointment_cancel_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    found = visible_appointment_or_404(request.user, appointment_id)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=found, by=request.user)  # type: ignore[arg-type]
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("workspace:appointment", appointment_id=found.pk)
        messages.success(
            request,
            f"Cancelled: {found.client}'s {found.service.name} on {when_text(found.start, clinic_get())}.",
        )
        return redirect("workspace:client", client_id=found.client_id)
    return render(request, "workspace/appointment_cancel.html", {"appointment": found})


def _caution_ruled_out(client: User, service: Service, therapist: Therapist | None) -> str:
    """What the client's cautions rule out of this booking online, in words for the desk ("" if nothing)."""
    limits = caution_limits(client_standing(client).codes)
    return booking_refusal_for_staff(limits, service=service, therapist=therapist)


def _caution_refusal(client: User, service: Service, therapist: Therapist | None) -> str:
    """_caution_ruled_out, only when booking would refuse without an override.

    For "anyone" (None) that is the service alone: the clinic picks among the therapists the
    client's cautions allow.
    """
    limits = caution_limits(client_standing(client).codes)
    if not booking_refusal(limits, service=service, therapist=therapist):
        return ""
    return booking_refusal_for_staff(limits, service=service, therapist=therapist)


def _book_confirm_url(client: User, service: Service, therapist_id: int | None, start: datetime) -> str:
    """The desk's confirm step for a free time; `therapist_id` None is "anyone"."""
    query = {
        "service": service.pk,
        "therapist": ANYONE if therapist_id is None else therapist_id,
        "start": start_param(start),
    }
    return f"{reverse('workspace:client_book_confirm', args=[client.pk])}?{urlencode(query, safe=':')}"


def _override_reason(override_form: CautionOverrideForm | None) -> str:
    return override_form.cleaned_data["caution_override"] if override_form is not None else ""


def _intake_status(client: User, clinic: Clinic) -> dict[str, object]:
    """What the desk needs about the intake gate: the outcome in force and the advice to read out."""
    standing = client_standing(client)
    return {
        "standing": standing,
        "advice_to_read": standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
    }


def _day_of_slots(
    clinic: Clinic,
    form: DaySearchForm,
    service: Service,
    therapist: Therapist | None,
    day: date,
    slot_url: Callable[[Slot], str],
    query: Mapping[str, object],
    ignore_appointment_id: int | None = None,
    *,
    anyone_url: Callable[[datetime], str] | None = None,
    client: User | None = None,
    prefer: Therapist | None = None,
) -> dict[str, object]:
    """The day's free times as buttons: for "anyone", each time once (free_time_buttons).

    Booking for `client`, "anyone" leaves out therapists their cautions rule out: the booking
    service picks only among the others (the desk chooses a therapist to override).
    """

    def day_url(other: date) -> str:
        return "?" + urlencode({**query, "date": other.isoformat()})

    slots = free_slots(
        service=service,
        therapist=therapist,
        start_date=day,
        end_date=day,
        clinic=clinic,
        ignore_appointment_id=ignore_appointment_id,
    )
    if therapist is None and client is not None:
        slots = slots_with_therapists_allowed(caution_limits(client_standing(client).codes), slots)
    return {
        "service": service,
        "day": day,
        "anyone": therapist is None,
        "slots": free_time_buttons(
            slots,
            anyone=therapist is None,
            slot_url=slot_url,
            anyone_url=anyone_url,
            clinic=clinic,
            prefer=prefer,
        ),
        "previous_day_url": day_url(day - timedelta(days=1)) if day > form.today else None,
        "next_day_url": day_url(day + timedelta(days=1)) if day < form.last_day else None,
    }
