"""`manage.py seed_demo`: a demo clinic that looks alive on first login, and stays put when run again."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from bookings.models import Appointment, Clinic, PreVisitCheck, Service, Therapist, WorkingHours
from bookings.previsit import pre_visit_check_for
from bookings.screening import client_standing
from care.models import Package, PackagePurchase, TreatmentPlan
from care.packages import package_sessions_left
from documents.models import Receipt
from intake.models import Clearance, Intake
from intake.triage import Outcome
from notifications.models import Message
from outcomes.models import OutcomeResponse
from workspace.models import SessionNote, SessionNoteRevision, TherapistNotification

# Wednesday 9 December 2026, 07:30 in London (on UTC in winter), before the clinic opens.
WEDNESDAY_MORNING = datetime(2026, 12, 9, 7, 30, tzinfo=UTC)
TODAY = date(2026, 12, 9)
DEMO_STAFF = {"admin@clinic.example", "desk@clinic.example"}
SEEDED_MODELS = (
    Clinic,
    Service,
    User,
    Therapist,
    WorkingHours,
    Intake,
    Clearance,
    Appointment,
    PreVisitCheck,
    SessionNote,
    SessionNoteRevision,
    Message,
    TherapistNotification,
    Package,
    TreatmentPlan,
    PackagePurchase,
    Receipt,
    OutcomeResponse,
)


@pytest.fixture
def seeded(db):
    with time_machine.travel(WEDNESDAY_MORNING, tick=True):
        call_command("seed_demo", stdout=StringIO())
        yield


def demo_clients():
    return User.objects.filter(therapist__isnull=True, is_staff=False).order_by("email")


def everything():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SEEDED_MODELS}


def test_seeding_again_changes_nothing(seeded):
    before = everything()
    output = StringIO()

    call_command("seed_demo", stdout=output)

    assert everything() == before
    assert "0 new, 0 intakes, 0 past appointments and 0 bookings added" in output.getvalue()


def test_the_demo_has_about_twenty_clients_and_every_intake_outcome(seeded):
    standings = {client.email: client_standing(client) for client in demo_clients()}
    outcomes = {standing.outcome for standing in standings.values()}

    assert 18 <= len(standings) <= 25
    assert outcomes == {Outcome.CLEAR, Outcome.CAUTION, Outcome.SEE_DOCTOR, Outcome.EMERGENCY, None}
    assert standings["client@example.com"].outcome == Outcome.CLEAR  # the demo client login
    assert any(standing.codes == ("C1",) for standing in standings.values())  # blood thinners, only


def test_a_client_cleared_by_a_doctor_can_book_again(seeded):
    clearance = Clearance.objects.select_related("intake__client").get()

    assert clearance.kind == Clearance.Kind.DOCTOR
    assert clearance.intake.outcome == Outcome.SEE_DOCTOR
    assert client_standing(clearance.intake.client).can_book
    assert Appointment.objects.filter(client=clearance.intake.client, status="booked").exists()


def test_the_follow_up_list_shows_a_blocked_client_and_the_appointment_released(seeded, client):
    client.force_login(User.objects.get(email="desk@clinic.example"))

    response = client.get(reverse("intake_blocked_list"))

    follow_ups = {each.client.email: each for each in response.context["follow_ups"]}
    assert set(follow_ups) == {"marcus.bell@example.com", "olivia.grant@example.com"}
    (released,) = follow_ups["marcus.bell@example.com"].released
    assert released.cancellation_reason == Appointment.CancellationReason.HEALTH_CHECK
    assert Message.objects.filter(recipient=released.client, kind=Message.Kind.HEALTH_CHECK).exists()


def test_the_therapists_client_page_charts_pain_falling_over_two_weeks(seeded, client):
    client.force_login(User.objects.get(email="maya@clinic.example"))
    sam = User.objects.get(email="client@example.com")

    response = client.get(reverse("workspace:client", args=[sam.pk]))

    series = response.context["pain_series"]
    assert len(series["before"]) >= 3
    assert series["before"] == sorted(series["before"], reverse=True)
    assert series["before"][-1] < series["before"][0]
    first = min(note.appointment.start for note in response.context["notes"])
    assert first.date() >= TODAY - timedelta(days=14)


def test_every_past_session_was_checked_on_its_day_and_has_a_note(seeded):
    completed = Appointment.objects.filter(status=Appointment.Status.COMPLETED)

    assert completed.count() >= 15
    for appointment in completed:
        assert appointment.end <= WEDNESDAY_MORNING
        check = pre_visit_check_for(appointment)
        assert check is not None and not check.stops_session
        assert SessionNote.objects.filter(appointment=appointment).exists()
    assert Appointment.objects.filter(start__lt=WEDNESDAY_MORNING, status=Appointment.Status.NO_SHOW).exists()


def test_this_week_and_next_week_have_bookings_with_their_confirmations(seeded):
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED, start__gt=WEDNESDAY_MORNING)
    this_monday = TODAY - timedelta(days=TODAY.weekday())
    weeks = {(appointment.start.date() - this_monday).days // 7 for appointment in booked}

    assert {0, 1} <= weeks
    assert max(appointment.start.date() for appointment in booked) < TODAY + timedelta(days=15)
    assert booked.count() >= 15
    for appointment in booked:
        assert Message.objects.filter(appointment=appointment, kind=Message.Kind.CONFIRMATION).exists()


def test_a_therapist_opens_an_agenda_with_sessions_today_and_an_alert_of_a_caution(seeded, client):
    client.force_login(User.objects.get(email="maya@clinic.example"))

    response = client.get(reverse("workspace:agenda"))

    assert response.context["agenda"].today
    assert response.context["notifications"]


def test_the_desk_report_for_this_month_counts_completed_sessions_and_a_no_show(seeded, client):
    client.force_login(User.objects.get(email="desk@clinic.example"))

    response = client.get(reverse("workspace:report"))

    totals = response.context["report"].totals
    assert totals.completed >= 10 and totals.no_shows >= 1


def test_every_demo_treatment_says_what_it_is_for_and_how_the_pressure_feels(seeded, client):
    home = client.get(reverse("home")).content.decode()

    for service in Service.objects.all():
        description = service.description
        assert " For " in f" {description}", service  # what it is for
        assert "pressure" in description, service  # how it feels
        assert service.pressure in description.lower(), service  # the pressure it really uses
        firm = service.pressure in (Service.Pressure.FIRM, Service.Pressure.DEEP)
        # Said where the client reads it; bookings.cautions enforces it (red-flag spec C1, C3).
        said = "Not offered online if you take blood thinners or have osteoporosis." in description
        assert said == firm, service
        assert description.split(".")[0].replace("'", "&#x27;") in home


def test_the_demo_client_has_a_plan_by_their_therapist_and_a_package_and_seeding_again_adds_no_plan(seeded):
    sam = User.objects.get(email="client@example.com")
    output = StringIO()

    call_command("seed_demo", stdout=output)

    plan = TreatmentPlan.objects.get(client=sam)
    assert plan.status == TreatmentPlan.Status.ACTIVE
    assert plan.therapist.user.email == plan.written_by.email == "maya@clinic.example"
    assert 0 < package_sessions_left(sam) < PackagePurchase.objects.get(client=sam).sessions
    assert Receipt.objects.filter(package_purchase__client=sam).count() == 1
    baseline = OutcomeResponse.objects.filter(client=sam, occasion=OutcomeResponse.Occasion.INTAKE)
    assert {row.measure for row in baseline} == {"pain", "sbi", "psfs"}
    assert all(row.taken_at < plan.written_at for row in baseline)
    assert "Course of care: nothing added" in output.getvalue()
