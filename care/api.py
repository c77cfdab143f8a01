"""Plans, series and packages in the JSON API v1. The rules live in care.services and
care.selectors; refusals reach the client as bookings.api shapes them (`refusal_response`).

Plans: a client reads their own; staff read what privacy.access lets them (a therapist their
own clients', the front desk without the goals and summary, admins all), and each read of a
plan's goals and summary by staff is kept on record, as on the pages. Series and packages are
the caller's own, like appointments.
"""

from typing import cast
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import ValidationError
from ninja.security import django_auth

from accounts.api import ErrorOut, FieldErrorsOut
from accounts.models import User
from accounts.roles import is_staff_member
from bookings.api import appointment_out, refusal_response, slot_out
from bookings.errors import BookingRefused
from bookings.selectors import clinic_get
from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT, rate_hit
from privacy.models import AccessRecord
from privacy.services import ClinicalRead, access_records_write

from .errors import SeriesRefused
from .models import Series, TreatmentPlan
from .packages import package_remaining
from .schemas import (
    PackageBalanceOut,
    PlanDetailOut,
    PlanOut,
    ProgressOut,
    ProposalOut,
    SeriesCancelOut,
    SeriesIn,
    SeriesOut,
    SeriesPreviewIn,
    SeriesPreviewOut,
    SeriesRefusalOut,
)
from .selectors import (
    PlanProgress,
    can_read_plan_clinical,
    plan_appointments,
    plan_progress,
    plans_of_client,
    plans_progress,
    plans_visible_to,
)
from .series import series_preview
from .services import series_book, series_cancel

# django_auth runs Django's CSRF check on unsafe methods before it looks at the session.
plans_router = Router(tags=["plans"], auth=django_auth)
series_router = Router(tags=["series"], auth=django_auth)
packages_router = Router(tags=["packages"], auth=django_auth)

SERIES_REFUSALS = {
    400: SeriesRefusalOut,
    401: ErrorOut,
    403: SeriesRefusalOut,
    409: SeriesRefusalOut,
    422: FieldErrorsOut,
    429: ErrorOut,
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # django_auth lets nobody else this far


def _plans_for(user: User) -> QuerySet[TreatmentPlan]:
    return plans_visible_to(user) if is_staff_member(user) else plans_of_client(user)


def _plan_out(
    plan: TreatmentPlan, progress: PlanProgress, *, clinical: bool, tz: ZoneInfo
) -> dict[str, object]:
    return {
        "id": plan.pk,
        "client": plan.client_id,
        "therapist": plan.therapist_id,
        "service": plan.service_id,
        "sessions_planned": plan.sessions_planned,
        "frequency": plan.frequency,
        "reassess_every_sessions": plan.reassess_every_sessions,
        "status": plan.status,
        "written_at": plan.written_at.astimezone(tz),
        "ended_at": plan.ended_at.astimezone(tz) if plan.ended_at else None,
        "goals": plan.goals if clinical else None,
        "summary": plan.summary if clinical else None,
        "progress": ProgressOut(
            sessions_planned=progress.sessions_planned,
            sessions_done=progress.sessions_done,
            sessions_booked_ahead=progress.sessions_booked_ahead,
            sessions_to_book=progress.sessions_to_book,
            next_session=appointment_out(progress.next_session, tz) if progress.next_session else None,
            is_finished=progress.is_finished,
        ),
    }


def _reads_plans(request: HttpRequest, plans: list[TreatmentPlan]) -> set[int]:
    """The plans whose goals and summary the caller may read; staff reads kept on record."""
    user = _user(request)
    if not is_staff_member(user):
        return {plan.pk for plan in plans}  # their own
    readable = [plan for plan in plans if can_read_plan_clinical(user, plan)]
    reads = [
        ClinicalRead(client_id=client_id, what=(AccessRecord.What.TREATMENT_PLAN,), appointment_id=None)
        for client_id in sorted({plan.client_id for plan in readable})
    ]
    access_records_write(viewer=user, reads=reads, path=request.get_full_path())
    return {plan.pk for plan in readable}


@plans_router.get("", response={200: list[PlanOut], 401: ErrorOut}, summary="Treatment plans")
def plans_list(request: HttpRequest) -> list[dict[str, object]]:
    """A client's own plans, newest first; for staff, those privacy lets them see."""
    plans = list(_plans_for(_user(request)).order_by("-written_at", "-pk")[:200])
    readable = _reads_plans(request, plans)
    tz = clinic_get().tz
    return [
        _plan_out(plan, progress, clinical=plan.pk in readable, tz=tz)
        for plan, progress in plans_progress(plans)
    ]


@plans_router.get(
    "/{plan_id}", response={200: PlanDetailOut, 401: ErrorOut, 404: ErrorOut}, summary="One treatment plan"
)
def plans_detail(request: HttpRequest, plan_id: int) -> dict[str, object]:
    plan = get_object_or_404(_plans_for(_user(request)), pk=plan_id)
    readable = _reads_plans(request, [plan])
    tz = clinic_get().tz
    sessions = list(plan_appointments(plan))
    body = _plan_out(plan, plan_progress(plan, appointments=sessions), clinical=plan.pk in readable, tz=tz)
    return body | {"sessions": [appointment_out(a, tz) for a in sessions]}


def _own_active_plan(request: HttpRequest, plan_id: int) -> TreatmentPlan:
    plan = plans_of_client(_user(request)).filter(pk=plan_id, status=TreatmentPlan.Status.ACTIVE).first()
    if plan is None:
        raise ValidationError(
            [{"loc": ("body", "series", "plan"), "msg": f"You have no active plan with id {plan_id}."}]
        )
    return plan


@series_router.post(
    "/preview",
    # 403: Django's CSRF check (django_auth), as on every unsafe method.
    response={200: SeriesPreviewOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Preview a plan's series: each session's time, or the nearest free times that week",
    description="Nothing is booked. Sessions keep the first session's weekday and local time, stepped by "
    "the plan's frequency in local dates (twice a week: the first session's weekday and the one 3 days "
    "later, or 4 from a Thursday).",
)
def series_preview_view(request: HttpRequest, series: SeriesPreviewIn) -> SeriesPreviewOut:
    plan = _own_active_plan(request, series.plan)
    to_book = plan_progress(plan).sessions_to_book
    if to_book == 0:
        raise BookingRefused("Every session of this plan is booked or done.")
    clinic = clinic_get()
    proposals = series_preview(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        first_start=series.first_start,
        sessions=min(series.sessions or to_book, to_book),
        frequency=plan.frequency,
    )
    tz = clinic.tz
    return SeriesPreviewOut(
        time_zone=clinic.time_zone,
        sessions=[
            ProposalOut(
                session=p.index + 1,
                start=p.proposed.astimezone(tz) if p.proposed else None,
                free=p.is_free,
                reason=p.reason,
                too_far_ahead=p.too_far_ahead,
                alternatives=[slot_out(slot, tz) for slot in p.alternatives],
            )
            for p in proposals
        ],
    )


def _series_out(series: Series) -> SeriesOut:
    appointments = series.appointments.select_related("service").order_by("start", "pk")
    tz = clinic_get().tz
    return SeriesOut(
        id=series.pk,
        plan=series.plan_id,
        booked_at=series.booked_at.astimezone(tz),
        appointments=[appointment_out(a, tz) for a in appointments],
    )


@series_router.post(
    "",
    response={201: SeriesOut, **SERIES_REFUSALS},
    summary="Book a plan's sessions, all or none",
    description="Each session passes the same checks as POST /appointments. If one is refused, nothing is "
    "booked and the answer says which `session` (1 for the first) and why: 409 with the nearest free times "
    "in its week (`alternatives`) when its time is taken, 400 for a time that can't be booked, 403 when the "
    "intake gate refuses.",
)
def series_create(request: HttpRequest, series: SeriesIn) -> Status[SeriesOut] | Status[dict[str, object]]:
    rate_hit(BOOKING_ATTEMPTS_PER_CLIENT, request.user.pk)
    plan = _own_active_plan(request, series.plan)
    try:
        booked = series_book(
            client=_user(request),
            therapist=plan.therapist,
            service=plan.service,
            starts=list(series.starts),
            plan=plan,
            booked_by=_user(request),
            red_flags=series.red_flags.model_dump(),
        )
    except SeriesRefused as refused:
        status, body = refusal_response(refused.refusal)
        tz = clinic_get().tz
        return Status(
            status,
            body
            | {
                "detail": refused.message,
                "session": refused.index + 1,
                "start": refused.start.astimezone(tz),
                "alternatives": [slot_out(slot, tz) for slot in refused.alternatives],
            },
        )
    return Status(201, _series_out(booked))


def _own_series(request: HttpRequest, series_id: int) -> Series:
    # Someone else's series is "not found", not "forbidden": ids reveal nothing.
    return get_object_or_404(Series.objects.filter(client=_user(request)), pk=series_id)


@series_router.get(
    "/{series_id}", response={200: SeriesOut, 401: ErrorOut, 404: ErrorOut}, summary="One of my series"
)
def series_detail(request: HttpRequest, series_id: int) -> SeriesOut:
    return _series_out(_own_series(request, series_id))


@series_router.post(
    "/{series_id}/cancel",
    response={200: SeriesCancelOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Cancel the sessions of a series still to come",
    description="Sessions inside the cancellation window stay booked (`kept`): call the clinic to cancel them.",
)
def series_cancel_view(request: HttpRequest, series_id: int) -> SeriesCancelOut:
    series = _own_series(request, series_id)
    result = series_cancel(series=series, by=_user(request))
    return SeriesCancelOut(
        series=_series_out(series),
        cancelled=[a.pk for a in result.cancelled],
        kept=[a.pk for a in result.kept],
    )


@packages_router.get(
    "/mine", response={200: list[PackageBalanceOut], 401: ErrorOut}, summary="My packages and sessions left"
)
def packages_mine(request: HttpRequest) -> list[PackageBalanceOut]:
    return [
        PackageBalanceOut(
            purchase=b.purchase.pk,
            package=b.purchase.package.name,
            service=b.purchase.package.service_id,
            sessions=b.sessions,
            used=b.used,
            booked_ahead=b.booked_ahead,
            remaining=b.remaining,
            expires_on=b.expires_on,
            expired=b.is_expired,
        )
        for b in package_remaining(_user(request))
    ]
