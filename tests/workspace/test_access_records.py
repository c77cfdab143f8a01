"""Every read of a client's clinical data is on record, on every page that shows it.

The walk below goes through every URL pattern of the project: each is a clinical page (marked
@clinical_page, or a ClinicalReadAdmin's list or change page) and is opened here with real
records, or it is on the list of pages known to show nothing clinical, with the reason. A new
page fails here until it is one or the other.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.roles import FRONT_DESK_GROUP
from bookings.models import Appointment, PreVisitCheck
from bookings.screening import block_lift
from intake.models import Clearance, Intake
from privacy.models import AccessRecord
from privacy.records import CLINICAL_PAGES, ClinicalReadAdmin, clinical_page
from privacy.services import ClinicalRead, access_records_write
from tests.factories import (
    AppointmentFactory,
    TherapistFactory,
    UserFactory,
    answer_pre_visit_check,
    nothing_new,
    submit_intake,
)
from workspace.models import SessionNote
from workspace.services import session_note_save

from .data import THURSDAY_10, note_content

INTAKE, OUTCOME, NOTES, PRE_VISIT = (
    AccessRecord.What.INTAKE,
    AccessRecord.What.INTAKE_OUTCOME,
    AccessRecord.What.SESSION_NOTES,
    AccessRecord.What.PRE_VISIT_CHECK,
)

# Pages that show nothing of a client's health, or only the client's own (not a staff read).
NOTHING_CLINICAL = {
    "healthz": "a health check",
    # The admin site's own pages (each model's pages are judged by its ModelAdmin, below).
    "admin:index": "the list of models",
    "admin:app_list": "the list of an app's models",
    "admin:login": "signing in",
    "admin:logout": "signing out",
    "admin:password_change": "the admin's own password",
    "admin:password_change_done": "the admin's own password",
    "admin:auth_user_password_change": "setting a user's password",
    "admin:autocomplete": "names for autocomplete fields (users, therapists)",
    "admin:jsi18n": "translations for the admin's scripts",
    "admin:view_on_site": "a redirect",
    "admin/(?P<url>.*)$": "the admin's page-not-found",
    # The JSON API serves a client their own appointments and intake only.
    "api-v1:openapi-json": "the API's description",
    "api-v1:openapi-view": "the API's description",
    "api-v1:api-root": "the API's index",
    "api/v1/^.*$": "the API's not-found",
    "api-v1:csrf": "a CSRF cookie",
    "api-v1:signup": "signing up",
    "api-v1:log_in": "signing in",
    "api-v1:log_out": "signing out",
    "api-v1:account_get": "who is signed in: their own name and email",
    "api-v1:services": "the services",
    "api-v1:therapists": "the therapists",
    "api-v1:availability": "free times",
    "api-v1:appointments_list": "the client's own appointments",
    "api-v1:appointments_book": "the client's own booking",
    "api-v1:appointments_detail": "the client's own appointment",
    "api-v1:appointments_cancel": "the client's own appointment",
    "api-v1:appointments_reschedule": "the client's own appointment",
    "api-v1:intake_create": "the client's own intake",
    "api-v1:intake_current_get": "the client's own intake",
    "api-v1:export": "the client's own records, exported to them",
    "api-v1:delete": "the client's own account, erased",
    "api-v1:measures_list": "the outcome questionnaires' definitions",
    "api-v1:response_create": "the client's own questionnaire",
    "api-v1:responses_list": "the client's own scores",
    # Clinical, but the API keeps its own records (tests/outcomes/test_api.py checks them).
    "api-v1:client_outcomes_get": "a client's scores for staff: recorded by outcomes.api itself",
    # Care: a plan's goals and summary read by staff are recorded by care.api itself.
    "api-v1:plans_list": "the client's own plans; staff reads recorded by care.api itself",
    "api-v1:plans_detail": "the client's own plan; staff reads recorded by care.api itself",
    "api-v1:series_preview_view": "the client's own series",
    "api-v1:series_create": "the client's own series",
    "api-v1:series_detail": "the client's own series",
    "api-v1:series_cancel_view": "the client's own series",
    "api-v1:packages_mine": "the client's own packages",
    "api-v1:documents_list": "the caller's own letters and receipts (names and dates); staff's reads recorded by documents.api",
    "api-v1:receipt_pdf": "a receipt: not clinical",
    # Clinical, but the API keeps its own records (tests/documents/test_api.py checks them).
    "api-v1:letter_pdf": "a progress letter: recorded by documents.api itself",
    "api-v1:referrals_list": "a client's referrals: recorded by documents.api itself",
    # Accounts.
    "signup": "signing up",
    "login": "signing in",
    "logout": "signing out",
    "password_reset": "a password reset",
    "password_reset_done": "a password reset",
    "password_reset_confirm": "a password reset",
    "password_reset_complete": "a password reset",
    "account": "the client's own account",
    "email_change": "the client's own email address",
    "email_change_confirm": "the client's own email address",
    "password_change": "the user's own password",
    "password_change_done": "the user's own password",
    "account_export": "the client's own records, exported to them",
    "account_delete": "the client's own account, erased",
    # The client's own pages.
    "intake_start": "the client's own questionnaire",
    "intake_result": "the client's own outcome",
    "home": "the clinic's home page",
    "therapists": "the therapists",
    "book": "the client's own booking",
    "book_confirm": "the client's own booking",
    "my_appointments": "the client's own appointments",
    "appointment_booked": "the client's own appointment",
    "appointment_cancel": "the client's own appointment",
    "appointment_reschedule": "the client's own appointment",
    "pre_visit_check": "the client's own day-of questions, from their reminder",
    "outcomes:start": "the client's own questionnaires",
    "outcomes:reassessment": "the client's own questionnaires, from their email",
    "care:my_plan": "the client's own plan",
    "care:my_plan_book": "the client's own plan",
    "care:my_series_cancel": "the client's own sessions",
    "notifications:unsubscribe": "the client's own email choices",
    "documents:mine": "the client's own documents",
    "documents:receipt_download": "a receipt: not clinical",
    "documents:referral_new": "a blank referral form",
    "documents:payment_new": "an appointment and its price",
    "documents:receipt_correct": "a receipt",
    # The staff workspace: the schedule shows each client's outcome as a badge (what the desk
    # works from), never the answers, reasons or notes; the desk's booking pages the same.
    "workspace:home": "a redirect",
    "workspace:agenda": "appointments with outcome badges",
    "workspace:schedule_day": "appointments with outcome badges",
    "workspace:schedule_week": "appointments with outcome badges",
    "workspace:notification_read": "marks a notification read (POST)",
    "workspace:appointment_attendance": "records attendance (POST)",
    "workspace:appointment_pre_visit_check": "the day-of questions to ask, unanswered",
    "workspace:appointment_move": "the outcome in force and what cautions rule out, never why",
    "workspace:appointment_cancel": "the appointment",
    "workspace:client_list": "names and contact details",
    "workspace:client_new": "a new client's contact details",
    "workspace:client_intake": "a blank questionnaire to fill in with the client",
    "workspace:client_book": "the outcome in force and what cautions rule out, never why",
    "workspace:client_book_confirm": "the outcome in force and what cautions rule out, never why",
    "workspace:therapist_list": "the therapists",
    "workspace:therapist_hours": "working hours",
    "workspace:therapist_hours_saved": "working hours",
    "workspace:therapist_time_off": "time off",
    "workspace:time_off_saved": "time off",
    "workspace:time_off_remove": "time off",
    "workspace:closure_list": "closed days",
    "workspace:closure_saved": "closed days",
    "workspace:closure_remove": "closed days",
    "workspace:report": "counts per therapist and service",
    "care:plan_list": "names, services and session counts, never a plan's goals or summary",
    "care:plan_new": "a blank plan to write",
    "care:plan_end": "ends a plan (POST)",
    "care:plan_book": "the outcome in force and what cautions rule out, never why",
    "care:series_cancel": "cancels sessions (POST)",
    "care:package_sell": "packages: not clinical",
}

# Models in the admin that hold nothing of a client's health.
NOTHING_CLINICAL_MODELS = {
    "auth.group": "staff groups",
    "accounts.user": "names and contact details",
    "bookings.clinic": "the clinic's settings",
    "bookings.service": "the services",
    "bookings.therapist": "the therapists",
    "bookings.timeoff": "time off",
    "bookings.closure": "closed days",
    "bookings.appointment": "the schedule",
    "notifications.message": "each message's kind and status, never its text",
    "notifications.tip": "the daily tips",
    "notifications.tipsoptout": "who opted out of tips",
    "notifications.messagingsettings": "when messages go",
    "privacy.accessrecord": "who opened what: the records themselves",
    "data_rights.erasure": "who was erased, when and why",
    "documents.receipt": "receipts: not clinical",
    "care.package": "the packages on sale",
    "care.packagepurchase": "packages sold: not clinical",
}


@dataclass(frozen=True)
class Route:
    key: str  # the URL's name with its namespace, or its pattern when it has no name
    callback: object


def every_route():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                key = namespace + pattern.name if pattern.name else prefix + str(pattern.pattern)
                yield Route(key=key, callback=pattern.callback)

    return list(walk(get_resolver().url_patterns))


def shows_clinical_data(callback):
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return isinstance(model_admin, ClinicalReadAdmin) and callback.__name__ in (
            "changelist_view",
            "change_view",
        )
    while callback is not None:
        if callback in CLINICAL_PAGES:
            return True
        callback = getattr(callback, "__wrapped__", None)
    return False


def known_to_show_nothing_clinical(route):
    model_admin = getattr(route.callback, "model_admin", None)
    if isinstance(model_admin, ClinicalReadAdmin):
        # Adding, changing and deleting are refused; the history lists admins' changes (none).
        return True
    if model_admin is not None:
        return model_admin.opts.label_lower in NOTHING_CLINICAL_MODELS
    return route.key in NOTHING_CLINICAL


# --- The walk --------------------------------------------------------------------------------


@dataclass
class Clinical:
    """One client with a record of every kind, and the admin who reads it."""

    client: User
    appointment: Appointment
    blocked_intake: Intake  # a red flag in force
    clearance: Clearance  # of an earlier red flag
    note: SessionNote
    pre_visit_check: PreVisitCheck
    admin: User


@pytest.fixture
def clinical(world, clinic_admin):
    client, appointment = world.client, world.appointment
    pre_visit_check = answer_pre_visit_check(appointment, answered_by=world.therapist.user)
    note = session_note_save(appointment=appointment, author=world.therapist.user, content=note_content())
    # Red flags now, after yesterday's session: they release only appointments still to come.
    earlier = submit_intake(client, recent_fracture_unhealed=True)
    clearance, _ = block_lift(
        intake=earlier,
        kind="doctor",
        doctor_name="Dr Lee",
        practice="Riverside Surgery",
        cleared_on=date(2026, 12, 4),
        reasked=nothing_new(),
        recorded_by=clinic_admin,
    )
    blocked = submit_intake(client, known_blood_clot=True)
    return Clinical(client, appointment, blocked, clearance, note, pre_visit_check, clinic_admin)


def admin_url(name, obj=None):
    return reverse(f"admin:{name}", args=[obj.pk] if obj is not None else [])


def _referral(c):
    """A referral with a scan for the walk's client (documents)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import Prescription, referral_record

    scan = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return referral_record(
        client=c.client,
        doctor_name="Dr Lee",
        practice="",
        written_on=date(2026, 12, 1),
        prescribes=Prescription(sessions=6, period_weeks=8),
        scan=scan,
        by=c.admin,
        now=datetime(2026, 12, 4, 9, tzinfo=UTC),
    )


def _plan(c):
    from tests.factories import TreatmentPlanFactory

    return TreatmentPlanFactory(
        client=c.client, therapist=c.appointment.therapist, service=c.appointment.service
    )


def _letter(c):
    from documents.models import Letter

    return Letter.objects.create(
        client=c.client,
        plan=_plan(c),
        addressed_to="Dr Lee",
        summary="Better.",
        pdf=b"%PDF-",
        issued_at=datetime(2026, 12, 4, 9, tzinfo=UTC),
    )


DOCUMENTS = AccessRecord.What.REFERRAL, AccessRecord.What.LETTER

# Every clinical page, opened with real records: what it shows, and with which appointment.
CLINICAL_PAGES_OPENED = {
    "care:plan_detail": (
        lambda c: reverse("care:plan_detail", args=[_plan(c).pk]),
        [AccessRecord.What.TREATMENT_PLAN],
        False,
    ),
    "documents:client": (lambda c: reverse("documents:client", args=[c.client.pk]), [*DOCUMENTS], False),
    "documents:letter_download": (
        lambda c: reverse("documents:letter_download", args=[_letter(c).pk]),
        [AccessRecord.What.LETTER],
        False,
    ),
    "documents:letter_new": (
        lambda c: reverse("documents:letter_new", args=[_plan(c).pk]),
        [AccessRecord.What.LETTER],
        False,
    ),
    "documents:referral_scan": (
        lambda c: reverse("documents:referral_scan", args=[_referral(c).pk]),
        [AccessRecord.What.REFERRAL],
        False,
    ),
    "admin:documents_referral_changelist": (
        lambda c: _referral(c) and admin_url("documents_referral_changelist"),
        [AccessRecord.What.REFERRAL],
        False,
    ),
    "admin:documents_referral_change": (
        lambda c: admin_url("documents_referral_change", _referral(c)),
        [AccessRecord.What.REFERRAL],
        False,
    ),
    "admin:documents_letter_changelist": (
        lambda c: _letter(c) and admin_url("documents_letter_changelist"),
        [AccessRecord.What.LETTER],
        False,
    ),
    "admin:documents_letter_change": (
        lambda c: admin_url("documents_letter_change", _letter(c)),
        [AccessRecord.What.LETTER],
        False,
    ),
    "intake_blocked_list": (lambda c: reverse("intake_blocked_list"), [INTAKE], False),
    "intake_clearance": (lambda c: reverse("intake_clearance", args=[c.blocked_intake.pk]), [INTAKE], False),
    "workspace:appointment": (
        lambda c: reverse("workspace:appointment", args=[c.appointment.pk]),
        [INTAKE, NOTES],
        True,
    ),
    "workspace:client": (lambda c: reverse("workspace:client", args=[c.client.pk]), [INTAKE, NOTES], False),
    "admin:intake_intake_changelist": (lambda c: admin_url("intake_intake_changelist"), [INTAKE], False),
    "admin:intake_intake_change": (
        lambda c: admin_url("intake_intake_change", c.blocked_intake),
        [INTAKE],
        False,
    ),
    "admin:intake_clearance_changelist": (
        lambda c: admin_url("intake_clearance_changelist"),
        [INTAKE],
        False,
    ),
    "admin:intake_clearance_change": (
        lambda c: admin_url("intake_clearance_change", c.clearance),
        [INTAKE],
        False,
    ),
    "admin:workspace_sessionnote_changelist": (
        lambda c: admin_url("workspace_sessionnote_changelist"),
        [NOTES],
        True,
    ),
    "admin:workspace_sessionnote_change": (
        lambda c: admin_url("workspace_sessionnote_change", c.note),
        [NOTES],
        True,
    ),
    "admin:bookings_previsitcheck_changelist": (
        lambda c: admin_url("bookings_previsitcheck_changelist"),
        [PRE_VISIT],
        True,
    ),
    "admin:bookings_previsitcheck_change": (
        lambda c: admin_url("bookings_previsitcheck_change", c.pre_visit_check),
        [PRE_VISIT],
        True,
    ),
}


def test_every_url_is_either_recorded_or_known_to_show_nothing_clinical():
    routes = every_route()

    unjudged = [
        route.key
        for route in routes
        if not shows_clinical_data(route.callback) and not known_to_show_nothing_clinical(route)
    ]
    keys = {route.key for route in routes}
    models = {
        route.callback.model_admin.opts.label_lower
        for route in routes
        if hasattr(route.callback, "model_admin")
    }

    assert unjudged == [], "Mark these @clinical_page (or ClinicalReadAdmin), or list them as non-clinical"
    assert set(NOTHING_CLINICAL) <= keys, "The non-clinical list names pages that no longer exist"
    assert set(NOTHING_CLINICAL_MODELS) <= models


def test_the_walk_opens_every_clinical_page():
    clinical_keys = {route.key for route in every_route() if shows_clinical_data(route.callback)}

    assert clinical_keys == set(CLINICAL_PAGES_OPENED)


@pytest.mark.parametrize("key", sorted(CLINICAL_PAGES_OPENED))
def test_every_page_that_shows_clinical_data_leaves_an_access_record(client, clinical, key):
    build_url, what, with_appointment = CLINICAL_PAGES_OPENED[key]
    url = build_url(clinical)
    client.force_login(clinical.admin)

    response = client.get(url)

    assert response.status_code == 200
    records = AccessRecord.objects.filter(viewer=clinical.admin, client=clinical.client, path=url)
    assert sorted(records.values_list("what", flat=True)) == sorted(what)
    expected_appointment = clinical.appointment.pk if with_appointment else None
    assert {record.appointment_id for record in records} == {expected_appointment}


# --- The admin -------------------------------------------------------------------------------


def test_opening_an_intake_in_the_admin_is_on_record(client, clinic_admin, client_user):
    intake = submit_intake(client_user, known_blood_clot=True)
    client.force_login(clinic_admin)
    url = reverse("admin:intake_intake_change", args=[intake.pk])

    page = client.get(url).content.decode()

    assert "known_blood_clot" in page  # every answer is on this page
    record = AccessRecord.objects.get()
    assert (record.viewer, record.client, record.what, record.path, record.at) == (
        clinic_admin,
        client_user,
        INTAKE,
        url,
        datetime(2026, 12, 4, 9, tzinfo=UTC),
    )


def test_a_list_of_intakes_in_the_admin_records_each_client_listed_once(client, clinic_admin, client_user):
    submit_intake(client_user, known_blood_clot=True)  # Sam Jones's second intake
    lee = UserFactory(first_name="Lee", last_name="Listed", email="lee@example.com")
    submit_intake(lee)
    nora = UserFactory(first_name="Nora", last_name="Other", email="nora@example.org")
    submit_intake(nora)
    client.force_login(clinic_admin)

    listing = client.get(reverse("admin:intake_intake_changelist"), {"q": "example.com"})

    assert len(listing.context["cl"].result_list) == 3
    assert sorted(AccessRecord.objects.values_list("client__email", "what")) == [
        ("client@example.com", INTAKE),
        ("lee@example.com", INTAKE),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "intake_intake_changelist",
        "intake_clearance_changelist",
        "workspace_sessionnote_changelist",
        "bookings_previsitcheck_changelist",
    ],
)
def test_front_desk_cannot_list_clinical_records_in_the_admin(client, front_desk_user, name):
    client.force_login(front_desk_user)  # is_staff, so the admin site lets them in

    assert client.get(reverse(f"admin:{name}")).status_code == 403
    assert not AccessRecord.objects.exists()


def test_the_admin_lists_the_access_records_of_one_client(client, world):
    superuser = UserFactory(is_staff=True, is_superuser=True)  # the user admin takes Django's permissions
    client.force_login(world.therapist.user)
    client.get(reverse("workspace:client", args=[world.client.pk]))
    client.force_login(world.other_therapist.user)
    client.get(reverse("workspace:appointment", args=[world.other_client_appointment.pk]))
    client.force_login(superuser)

    user_page = client.get(reverse("admin:accounts_user_change", args=[world.client.pk])).content.decode()
    records_url = reverse("admin:privacy_accessrecord_changelist") + f"?client__id__exact={world.client.pk}"
    listed = client.get(records_url)

    assert 'href="{}"'.format(records_url.replace("&", "&amp;")) in user_page
    assert "Access records for this client" in user_page
    assert listed.status_code == 200
    shown = listed.context["cl"].result_list
    assert {(record.viewer, record.client) for record in shown} == {(world.therapist.user, world.client)}
    assert len(shown) == 2  # the intake and the session notes


def test_admins_read_access_records_in_the_admin_and_cannot_change_them(
    client, clinic_admin, therapist, past_appointment
):
    client.force_login(therapist.user)
    client.get(reverse("workspace:appointment", args=[past_appointment.pk]))
    client.force_login(clinic_admin)

    changelist = client.get(reverse("admin:privacy_accessrecord_changelist"))
    record = AccessRecord.objects.get(what="intake")
    change = client.post(
        reverse("admin:privacy_accessrecord_change", args=[record.pk]), {"what": "session_notes"}
    )

    assert changelist.status_code == 200
    assert "Maya Patel" in changelist.content.decode()
    assert reverse("admin:privacy_accessrecord_add") not in changelist.content.decode()
    assert change.status_code == 403
    record.refresh_from_db()
    assert record.what == "intake"


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def blocked_clients(clinic):
    clients = []
    for days_ago, name in ((3, "Bea"), (2, "Cal")):
        blocked = UserFactory(first_name=name, last_name="Blocked", email=f"{name.lower()}@example.com")
        submit_intake(
            blocked, at=datetime(2026, 12, 4, 9, tzinfo=UTC) - timedelta(days=days_ago), known_blood_clot=True
        )
        clients.append(blocked)
    return clients


def test_the_blocked_list_records_a_read_for_each_client_shown(
    client, clinic_admin, blocked_clients, monkeypatch
):
    monkeypatch.setattr("intake.views.BLOCKED_PER_PAGE", 1)
    bea, cal = blocked_clients
    client.force_login(clinic_admin)

    first = client.get(reverse("intake_blocked_list"))
    second = client.get(reverse("intake_blocked_list"), {"page": 2})

    assert [f.client for f in first.context["follow_ups"]] == [cal]  # newest first
    assert [f.client for f in second.context["follow_ups"]] == [bea]
    assert list(AccessRecord.objects.order_by("pk").values_list("client", "what", "path")) == [
        (cal.pk, INTAKE, "/intake/blocked/"),
        (bea.pk, INTAKE, "/intake/blocked/?page=2"),
    ]


def test_the_front_desk_reading_the_blocked_list_is_on_record_as_the_outcome_only(
    client, front_desk_user, blocked_clients
):
    client.force_login(front_desk_user)

    client.get(reverse("intake_blocked_list"))

    assert sorted(AccessRecord.objects.values_list("client", "what")) == sorted(
        (each.pk, OUTCOME) for each in blocked_clients
    )


def test_an_empty_blocked_list_keeps_no_record(client, clinic_admin, clinic):
    client.force_login(clinic_admin)

    assert client.get(reverse("intake_blocked_list")).status_code == 200
    assert not AccessRecord.objects.exists()


def test_a_marked_page_that_does_not_say_what_it_showed_fails_rather_than_show_it_off_the_record(
    clinic_admin,
):
    @clinical_page
    def forgetful(request):
        return HttpResponse("Answers: ...")

    request = RequestFactory().get("/somewhere/")
    request.user = clinic_admin

    with pytest.raises(ImproperlyConfigured):
        forgetful(request)


def test_an_access_record_keeps_who_what_whose_and_when(therapist, client_user, past_appointment):
    (record,) = access_records_write(
        viewer=therapist.user,
        reads=[ClinicalRead(client_id=client_user.pk, what=("intake",), appointment_id=past_appointment.pk)],
        path="/staff/x/",
    )

    assert (record.viewer, record.client, record.what, record.appointment, record.path) == (
        therapist.user,
        client_user,
        AccessRecord.What.INTAKE,
        past_appointment,
        "/staff/x/",
    )
    assert record.at == datetime(2026, 12, 4, 9, tzinfo=UTC)


# --- A client page is for clients -------------------------------------------------------------


def _staff_account(kind, clinic_admin, front_desk_user, service):
    if kind == "admin":
        return clinic_admin
    if kind == "front desk":
        colleague = UserFactory(first_name="Staff", last_name="Member", is_staff=True)
        colleague.groups.add(Group.objects.get(name=FRONT_DESK_GROUP))
        return colleague
    if kind == "therapist":
        return TherapistFactory(services=[service], user__first_name="Staff", user__last_name="Member").user
    if kind == "superuser":
        return UserFactory(first_name="Staff", last_name="Member", is_superuser=True)
    return UserFactory(first_name="Staff", last_name="Member", is_staff=True)


@pytest.mark.parametrize("kind", ["admin", "front desk", "therapist", "superuser", "admin site user"])
def test_a_staff_account_is_not_a_client_page_for_the_front_desk(
    client, clinic_admin, front_desk_user, service, kind
):
    staff = _staff_account(kind, clinic_admin, front_desk_user, service)
    client.force_login(front_desk_user)

    page = client.get(reverse("workspace:client", args=[staff.pk]))
    search = client.get(reverse("workspace:client_list"), {"q": staff.last_name})
    booking = client.get(reverse("workspace:client_book", args=[staff.pk]))

    assert page.status_code == 404
    assert staff not in search.context["clients"]
    assert booking.status_code == 404


def test_a_therapist_does_not_see_a_colleague_they_treated_as_a_client(client, world, service):
    colleague = TherapistFactory(services=[service], user__first_name="Col", user__last_name="League").user
    AppointmentFactory(
        client=colleague, therapist=world.therapist, service=service, start=THURSDAY_10 + timedelta(hours=3)
    )
    client.force_login(world.therapist.user)

    assert client.get(reverse("workspace:client", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("workspace:client", args=[world.client.pk])).status_code == 200
