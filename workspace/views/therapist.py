"""The therapist's pages: the agenda, an appointment (intake, session note, attendance), a client."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.roles import is_clinic_admin
from bookings.cautions import caution_limits
from bookings.errors import BookingRefused
from bookings.models import Appointment, Therapist
from bookings.screening import client_standing
from bookings.selectors import clinic_get
from bookings.services import appointment_record_attendance
from clinic.redirects import safe_next
from intake.selectors import intake_latest
from outcomes.selectors import MeasureHistory, measure_histories
from privacy.access import (
    agenda_therapists,
    appointments_visible_to,
    can_read_clinical,
    can_record_attendance,
    can_write_session_note,
    clients_visible_to,
    keeps_schedule,
    staff_page,
    therapist_of,
    uses_workspace,
    visible_appointment_or_404,
    visible_client_or_404,
)
from privacy.models import AccessRecord
from privacy.records import clinical_page, clinical_read

from .. import selectors
from ..forms import ClientSearchForm, DayForm, SessionNoteForm
from ..models import SessionNote
from ..services import session_note_refusal, session_note_save
from . import clinic_today
from .pre_visit import pre_visit_context

CLIENTS_LISTED = 50


@staff_page(uses_workspace)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if therapist_of(request.user) is not None:
        return redirect("workspace:agenda")
    return redirect("workspace:schedule_day")


@staff_page(uses_workspace)
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    clinic = clinic_get()
    form = DayForm(request.GET or None, today=clinic_today(clinic))
    day = form.day()
    therapists = agenda_therapists(request.user)
    chosen = request.GET.get("therapist", "")
    therapist: Therapist | None
    if chosen:
        if not chosen.isdigit():
            raise Http404
        therapist = get_object_or_404(therapists, pk=chosen)
    else:
        therapist = therapist_of(request.user)
    context: dict[str, object] = {"form": form, "therapists": therapists, "therapist": therapist, "day": day}
    if therapist is not None:
        query = {"therapist": chosen} if chosen else {}

        def day_url(other: object) -> str:
            return "?" + urlencode({**query, "date": str(other)})

        context |= {
            "agenda": selectors.agenda(therapist=therapist, day=day, clinic=clinic),
            "own": therapist == therapist_of(request.user),
            "sees_reasons": True
            if therapist == therapist_of(request.user)
            else is_clinic_admin(request.user),
            "previous_week_url": day_url(day - timedelta(days=7)),
            "next_week_url": day_url(day + timedelta(days=7)),
            "today_url": day_url(clinic_today(clinic)),
            "is_today": day == clinic_today(clinic),
            "notifications": selectors.therapist_notifications_unread(request.user)  # type: ignore[arg-type]
            if therapist == therapist_of(request.user)
            else [],
        }
    return render(request, "workspace/agenda.html", context)


@staff_page(uses_workspace)
@clinical_page
@require_http_methods(["GET", "POST"])
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    found = visible_appointment_or_404(request.user, appointment_id)
    note = SessionNote.objects.filter(appointment=found).first()
    form = None
    if can_write_session_note(request.user, found):
        intake = intake_latest(found.client)
        limits = caution_limits(client_standing(found.client).codes)
        form = SessionNoteForm(
            request.POST or None, initial=SessionNoteForm.initial_for(note, intake, limits=limits)
        )
    if request.method == "POST":
        if form is None:
            raise Http404  # only the appointment's therapist writes its note
        if form.is_valid():
            try:
                session_note_save(appointment=found, author=request.user, content=form.content())  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Session note saved.")
                return redirect(reverse("workspace:appointment", args=[found.pk]) + "#session-note")
    return render(request, "workspace/appointment.html", _appointment_context(request, found, note, form))


@staff_page(uses_workspace)
@require_POST
def appointment_attendance(request: HttpRequest, appointment_id: int) -> HttpResponse:
    found = visible_appointment_or_404(request.user, appointment_id)
    if not can_record_attendance(request.user, found):
        raise Http404
    status = request.POST.get("status", "")
    try:
        appointment_record_attendance(appointment=found, status=status, by=request.user)  # type: ignore[arg-type]
    except BookingRefused as error:
        messages.error(request, error.message)
    else:
        label = Appointment.Status(status).label
        messages.success(request, f"{found.client} marked as {label.lower()}.")
    return redirect(safe_next(request) or reverse("workspace:appointment", args=[found.pk]))


@staff_page(uses_workspace)
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    clients = selectors.clients_matching(clients_visible_to(request.user), query)
    context = {
        "form": form,
        "query": query,
        "clients": clients[:CLIENTS_LISTED],
        "keeps_schedule": keeps_schedule(request.user),
        "listed": CLIENTS_LISTED,
    }
    return render(request, "workspace/client_list.html", context)


@staff_page(uses_workspace)
@clinical_page
@require_GET
def client(request: HttpRequest, client_id: int) -> HttpResponse:
    found = visible_client_or_404(request.user, client_id)
    clinic = clinic_get()
    clinical = can_read_clinical(request.user, found)
    standing = client_standing(found)
    appointments = selectors.client_appointments(found)
    visible_ids = set(appointments_visible_to(request.user).filter(client=found).values_list("pk", flat=True))
    context: dict[str, object] = {
        "client": found,
        "clinical": clinical,
        "keeps_schedule": keeps_schedule(request.user),
        "standing": standing,
        "intakes": selectors.client_intakes(found),
        "appointments": [(each, each.pk in visible_ids) for each in appointments],
        "now": timezone.now(),
    }
    outcomes: list[MeasureHistory] = []
    if clinical:
        notes = selectors.client_session_notes(found)
        context |= {"notes": notes, "pain_series": selectors.pain_series(notes, clinic)}
        outcomes = measure_histories(found)
        context |= {"outcomes": outcomes, "outcome_charts": [each.chart(clinic.tz) for each in outcomes]}
    _clinical_read(request, found, clinical, shows_outcomes=bool(outcomes))
    return render(request, "workspace/client.html", context)


def _appointment_context(
    request: HttpRequest, found: Appointment, note: SessionNote | None, form: SessionNoteForm | None
) -> dict[str, object]:
    client: User = found.client
    clinical = can_read_clinical(request.user, client)
    now = timezone.now()
    standing = client_standing(client, now=now)
    refusal = session_note_refusal(appointment=found, author=request.user, now=now) if form else ""  # type: ignore[arg-type]
    context: dict[str, object] = {
        "appointment": found,
        "client": client,
        "clinical": clinical,
        "standing": standing,
        "intake": standing.newest,
        "note": note,
        "form": form if form is not None and not refusal else None,
        "note_refusal": refusal if form is not None else "",
        "can_attend": can_record_attendance(request.user, found)
        and found.status == Appointment.Status.BOOKED
        and found.start <= now,
        "keeps_schedule": keeps_schedule(request.user),
        "is_booked": found.status == Appointment.Status.BOOKED,
    }
    context |= pre_visit_context(request, found, standing=standing, now=now)
    if clinical:
        context["earlier_notes"] = [
            each
            for each in selectors.client_session_notes(client, before=found.start)
            if each.appointment_id != found.pk
        ]
        context["revisions"] = list(note.revisions.select_related("saved_by")) if note else []
    _clinical_read(request, client, clinical, found)
    return context


def _clinical_read(
    request: HttpRequest,
    client: User,
    clinical: bool,
    found: Appointment | None = None,
    *,
    shows_outcomes: bool = False,
) -> None:
    what = [AccessRecord.What.OUTCOMES] if shows_outcomes else []
    what += (
        [AccessRecord.What.INTAKE, AccessRecord.What.SESSION_NOTES]
        if clinical
        else [AccessRecord.What.INTAKE_OUTCOME]
    )
    clinical_read(request, clients=[client], what=what, appointment=found)
