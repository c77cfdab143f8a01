import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from bookings.models import Appointment
from bookings.screening import block_lift
from bookings.services import appointment_book
from intake.forms import RedFlagCheckForm
from intake.models import Clearance, Intake
from intake.recheck import RECHECK_QUESTIONS
from intake.triage import LEG_WEAKNESS_CHOICES, QUESTIONS, SAFETY_NET
from privacy.models import AccessRecord
from tests.factories import (
    AppointmentFactory,
    UserFactory,
    clear_answers,
    nothing_new,
    recheck_form_data,
    submit_intake,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
BOOKING_PAGE = "/book/confirm/?service=1&therapist=2&start=2026-12-07T10:00Z"
RULE_CODE = re.compile(r"\b[ESC]\d{1,2}\b")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def new_client(db, clinic):
    return UserFactory(first_name="Alex", last_name="Rivera", email="alex@example.com", phone="07700 900456")


@pytest.fixture
def logged_in(client, new_client):
    client.force_login(new_client)
    return client


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


def form_data(**overrides):
    """What a browser posts for clear_answers(**overrides), with consent and a few details."""
    data = {"consent": "on", "pain_location": "Left buttock", "worse_with": ["sitting"], "goals": "Sleep"}
    for key, value in clear_answers(**overrides).items():
        if key == "recent_surgery_weeks":
            data["recent_surgery"] = "no" if value is None else "yes"
            data[key] = "" if value is None else str(value)
        elif isinstance(value, bool):
            data[key] = "yes" if value else "no"
        else:
            data[key] = str(value)
    return data


def clearance_record(*, intake, doctor_name, cleared_on, note, recorded_by):
    """A doctor's clearance with nothing new when the questions are asked again."""
    return block_lift(
        intake=intake,
        kind="doctor",
        doctor_name=doctor_name,
        practice="Riverside Surgery",
        cleared_on=cleared_on,
        note=note,
        reasked=nothing_new(),
        recorded_by=recorded_by,
    )


def clearance_form(**overrides):
    data = {
        "kind": "doctor",
        "doctor_name": "Dr A. Khan",
        "practice": "Riverside Surgery",
        "cleared_on": "2026-12-04",
    }
    return data | recheck_form_data(prefix="reasked") | overrides


def visible_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def submit(client, next_url="", **overrides):
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return client.post(reverse("intake_start") + query, form_data(**overrides), follow=True)


def test_the_form_asks_every_question_in_the_exact_wording(logged_in):
    page = logged_in.get(reverse("intake_start")).content.decode()

    for question in QUESTIONS.values():
        assert escape(question) in page
    for _, label in LEG_WEAKNESS_CHOICES:
        assert escape(label) in page


def test_no_answer_is_chosen_for_the_client_and_every_question_is_required(logged_in):
    page = logged_in.get(reverse("intake_start")).content.decode()

    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", page)
    question_radios = [radio for radio in radios if "pressure_preference" not in radio]
    assert question_radios
    assert not any("checked" in radio for radio in radios)
    assert all("required" in radio for radio in question_radios)


def test_a_red_flag_question_left_unanswered_shows_an_error_and_stores_nothing(logged_in):
    data = form_data()
    del data["saddle_numbness"]

    response = logged_in.post(reverse("intake_start"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["saddle_numbness"] == ["Please answer yes or no."]
    assert not Intake.objects.exists()


def test_an_operation_without_the_weeks_asks_for_them(logged_in):
    data = form_data(recent_surgery_weeks=None) | {"recent_surgery": "yes"}

    response = logged_in.post(reverse("intake_start"), data)

    assert "recent_surgery_weeks" in response.context["form"].errors
    assert not Intake.objects.exists()


def test_without_consent_nothing_is_stored(logged_in):
    data = form_data()
    del data["consent"]

    response = logged_in.post(reverse("intake_start"), data)

    assert response.context["form"].errors["consent"] == ["Please confirm your consent to continue."]
    assert not Intake.objects.exists()


def test_the_answers_and_details_are_stored_with_the_outcome(logged_in, new_client):
    submit(logged_in, recent_surgery_weeks=9, pregnant=True)

    intake = Intake.objects.get(client=new_client)
    assert intake.answers == clear_answers(recent_surgery_weeks=9, pregnant=True)
    assert intake.outcome == "CAUTION"
    assert intake.pain_location == "Left buttock"
    assert intake.worse_with == ["sitting"]


def test_saddle_numbness_sends_the_client_to_emergency_with_no_way_to_book(logged_in, clinic):
    response = submit(logged_in, next_url=BOOKING_PAGE, saddle_numbness=True)

    assert response.redirect_chain[-1][0].startswith(reverse("intake_result"))
    page = response.content.decode()
    assert "alert-danger" in page
    assert escape("Go to A&E now or call 999") in page
    assert 'href="tel:999"' in page
    assert "Continue to booking" not in page
    assert reverse("book") not in page
    assert escape(BOOKING_PAGE) not in page


def test_a_see_doctor_client_gets_no_booking_link_until_a_clearance_is_recorded(logged_in, new_client):
    intake = submit_intake(new_client, known_blood_clot=True)

    page = logged_in.get(reverse("intake_result")).content.decode()
    assert "check with your doctor (or surgeon) that massage is safe" in page
    assert "Online booking is paused" in page
    assert "020 7946 0000" in page
    assert "Continue to booking" not in page
    assert reverse("book") not in page

    clearance_record(
        intake=intake,
        doctor_name="Dr A. Khan",
        cleared_on=date(2026, 12, 4),
        note="",
        recorded_by=UserFactory(is_superuser=True),
    )

    assert "Continue to booking" in logged_in.get(reverse("intake_result")).content.decode()


@pytest.mark.parametrize("answers", [{}, {"anticoagulants": True}, {"age": 62}], ids=["clear", "C1", "C5"])
def test_a_client_who_may_book_goes_straight_back_to_confirm_the_time_they_chose(logged_in, answers):
    # The confirm step shows them the advice of the result page (tests/bookings/test_pages.py).
    response = logged_in.post(
        f"{reverse('intake_start')}?{urlencode({'next': BOOKING_PAGE})}", form_data(**answers)
    )

    assert response.status_code == 302
    assert response.url == BOOKING_PAGE


def test_a_clear_client_with_no_time_chosen_yet_gets_the_safety_net_and_continues_to_booking(logged_in):
    chooses_a_time = f"{reverse('book')}?service=1"

    response = submit(logged_in, next_url=chooses_a_time)

    assert response.redirect_chain[-1][0].startswith(reverse("intake_result"))
    page = response.content.decode()
    for paragraph in SAFETY_NET:
        assert escape(paragraph.format(emergency_number="999")) in page
    assert f'href="{escape(chooses_a_time)}"' in page
    assert "Continue to booking" in page


def test_the_form_asks_only_required_questions_until_the_client_opens_the_optional_details(logged_in):
    page = logged_in.get(reverse("intake_start")).content.decode()

    on_show, behind = page.split('<details class="optional-details', 1)
    behind, after = behind.split("</details>", 1)
    assert "Optional: tell your therapist more" in behind
    for name in ("pain_location", "worse_with", "health_history", "medications", "pressure_preference"):
        assert f'name="{name}"' in behind
        assert f'name="{name}"' not in on_show + after
    for key in QUESTIONS:
        if key != "recent_surgery_weeks":
            assert f'name="{key}"' in on_show
    assert 'name="consent"' in after


def test_a_mistake_in_the_optional_details_opens_them(logged_in):
    response = logged_in.post(reverse("intake_start"), {**form_data(), "positioning": "x" * 201})

    assert '<details class="optional-details mb-3" open>' in response.content.decode()
    assert not Intake.objects.exists()


def test_every_missing_answer_is_listed_at_the_top_linking_to_its_question(logged_in):
    response = logged_in.post(reverse("intake_start"), {"age": "41"})

    page = response.content.decode()
    summary = page[page.index("error-summary") : page.index('class="intake-form"')]
    assert 'href="#id_bladder_bowel_change_0"' in summary
    assert 'href="#id_pain_score"' in summary
    assert 'href="#id_consent"' in summary
    assert 'href="#id_age"' not in summary
    # One line per question left unanswered: the 18 asked on their own, "an operation?" and consent.
    assert summary.count("<li>") == 20


def test_a_red_flag_on_record_still_gets_the_advice_page_after_a_clear_intake(logged_in, new_client):
    submit_intake(new_client, at=NOW - timedelta(days=1), saddle_numbness=True)

    response = logged_in.post(f"{reverse('intake_start')}?{urlencode({'next': BOOKING_PAGE})}", form_data())

    assert response.url.startswith(reverse("intake_result"))


def test_a_new_client_on_the_way_to_a_booking_is_welcomed_by_name(logged_in):
    page = logged_in.get(reverse("intake_start"), {"next": BOOKING_PAGE}).content.decode()

    assert "Welcome, Alex: two minutes of health questions, then you confirm your time." in page


def test_a_client_filling_the_questionnaire_again_is_not_welcomed_as_new(logged_in, new_client):
    submit_intake(new_client, at=NOW - timedelta(days=100))

    page = logged_in.get(reverse("intake_start"), {"next": BOOKING_PAGE}).content.decode()

    assert "Welcome" not in page


def test_a_next_page_on_another_site_is_ignored(logged_in):
    response = submit(logged_in, next_url="https://phishing.example/book/")

    page = response.content.decode()
    assert "phishing.example" not in page
    assert f'href="{reverse("book")}"' in page


def test_an_intake_older_than_the_clinics_limit_is_not_a_way_to_book(logged_in, new_client):
    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        submit_intake(new_client)

    page = logged_in.get(reverse("intake_result")).content.decode()

    assert "Continue to booking" not in page
    assert "Please fill in your questionnaire again" in page


def test_the_result_page_without_an_intake_sends_the_client_to_the_form(logged_in):
    response = logged_in.get(reverse("intake_result"))

    assert response.status_code == 302
    assert response["Location"] == reverse("intake_start")


@pytest.mark.parametrize(
    "answers",
    [
        {"saddle_numbness": True},
        {"cancer_history": True},
        {"known_blood_clot": True, "recent_surgery_weeks": 2},
        {"pregnant": True, "pain_score": 9, "age": 55},
        {},
    ],
)
def test_the_client_never_sees_the_word_triage_or_a_rule_code(logged_in, answers):
    pages = [logged_in.get(reverse("intake_start")), submit(logged_in, **answers)]

    for response in pages:
        text = visible_text(response)
        assert "triage" not in text.lower()
        assert not RULE_CODE.findall(text)


def test_the_intake_pages_need_a_login(client, clinic):
    for name in ("intake_start", "intake_result", "intake_blocked_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- The clinic's list of blocked intakes -----------------------------------------------------


@pytest.fixture
def blocked_clients(clinic):
    """Four clients seen over four days: three have a red flag in force, one was cleared by a doctor."""
    emergency, see_doctor, cleared, recovered = (
        UserFactory(first_name=name, last_name="Client", email=f"{name.lower()}@example.com")
        for name in ("Emma", "Sean", "Clara", "Rory")
    )
    with time_machine.travel(NOW - timedelta(days=4), tick=False):
        submit_intake(recovered, both_legs=True)
        cleared_intake = submit_intake(cleared, recent_fracture_unhealed=True)
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        submit_intake(see_doctor, known_blood_clot=True)
        submit_intake(recovered)
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        submit_intake(emergency, saddle_numbness=True)
        clearance_record(
            intake=cleared_intake,
            doctor_name="Dr Lee",
            cleared_on=date(2026, 12, 2),
            note="",
            recorded_by=UserFactory(is_superuser=True),
        )
    return {"emergency": emergency, "see_doctor": see_doctor, "cleared": cleared, "recovered": recovered}


@pytest.mark.parametrize("staff", ["admin", "therapist"])
def test_admins_and_therapists_see_blocked_clients_newest_first_with_reasons(
    client, blocked_clients, admin_user, therapist, staff
):
    seen_before(blocked_clients["emergency"], therapist, days_ago=30)
    seen_before(blocked_clients["see_doctor"], therapist, days_ago=31)
    client.force_login(admin_user if staff == "admin" else therapist.user)

    page = client.get(reverse("intake_blocked_list")).content.decode()

    assert page.index("Emma Client") < page.index("Sean Client")
    assert "emma@example.com" in page
    assert "Emergency" in page and "See a doctor first" in page
    assert "E2" in page and escape("Numbness or changed feeling around the genitals") in page
    assert "S6" in page and "Has a blood clot now" in page
    assert "Clara Client" not in page  # a doctor cleared her
    # A later all-"no" questionnaire does not lift an emergency (the therapist never saw Rory).
    assert ("Rory Client" in page) == (staff == "admin")


def seen_before(client_user, therapist, days_ago=30):
    """A past session with `therapist`: what lets a therapist see a client's health record."""
    AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=therapist.services.first(),
        start=NOW - timedelta(days=days_ago),
        status=Appointment.Status.COMPLETED,
    )


def test_a_therapist_sees_only_their_own_clients_in_the_blocked_list(client, blocked_clients, therapist):
    seen_before(blocked_clients["see_doctor"], therapist)
    client.force_login(therapist.user)

    page = client.get(reverse("intake_blocked_list")).content.decode()

    assert "Sean Client" in page
    assert "Emma Client" not in page


def test_front_desk_sees_the_outcome_but_not_the_reasons(client, blocked_clients, front_desk_user):
    client.force_login(front_desk_user)

    response = client.get(reverse("intake_blocked_list"))

    page = response.content.decode()
    assert "Emma Client" in page and "Sean Client" in page
    assert "Emergency" in page and "See a doctor first" in page
    assert not RULE_CODE.findall(visible_text(response))
    assert "blood clot" not in page
    assert "Record a doctor" not in page


def test_a_client_cannot_see_the_blocked_list(logged_in, blocked_clients):
    assert logged_in.get(reverse("intake_blocked_list")).status_code == 404


# --- Recording a doctor's clearance ---------------------------------------------------------


@pytest.fixture
def blocked_intake(new_client):
    return submit_intake(new_client, known_blood_clot=True)


def clearance_url(intake):
    return reverse("intake_clearance", args=[intake.pk])


def test_a_therapist_records_a_clearance_and_then_the_client_can_book(
    client, therapist, service, new_client, blocked_intake
):
    seen_before(new_client, therapist)
    client.force_login(therapist.user)
    page = client.get(clearance_url(blocked_intake)).content.decode()
    assert "S6" in page and "Has a blood clot now" in page

    response = client.post(
        clearance_url(blocked_intake), clearance_form(note="Avoid the left calf."), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("intake_blocked_list")
    clearance = Clearance.objects.get(intake=blocked_intake)
    assert (clearance.doctor_name, clearance.recorded_by) == ("Dr A. Khan", therapist.user)
    assert "No client is waiting for follow-up." in response.content.decode()
    appointment = appointment_book(client=new_client, therapist=therapist, service=service, start=MONDAY_10)
    assert appointment.status == Appointment.Status.BOOKED


def test_a_therapist_who_has_not_seen_the_client_cannot_open_the_clearance_page(
    client, therapist, blocked_intake
):
    client.force_login(therapist.user)

    assert client.get(clearance_url(blocked_intake)).status_code == 404


def test_opening_the_clearance_page_is_kept_in_the_access_records(
    client, admin_user, new_client, blocked_intake
):
    client.force_login(admin_user)

    client.get(clearance_url(blocked_intake))

    record = AccessRecord.objects.get()
    assert (record.viewer, record.client, record.what) == (admin_user, new_client, "intake")


def test_the_clearance_page_shows_earlier_clearances(client, admin_user, new_client):
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        earlier = submit_intake(new_client, recent_fracture_unhealed=True)
    clearance_record(
        intake=earlier,
        doctor_name="Dr Old",
        cleared_on=date(2026, 11, 2),
        note="Wrist healed",
        recorded_by=admin_user,
    )
    latest = submit_intake(new_client, known_blood_clot=True)
    client.force_login(admin_user)

    page = client.get(clearance_url(latest)).content.decode()

    assert "Dr Old" in page and "Wrist healed" in page


def test_a_clearance_dated_in_the_future_is_refused(client, admin_user, blocked_intake):
    client.force_login(admin_user)

    response = client.post(clearance_url(blocked_intake), clearance_form(cleared_on="2026-12-05"))

    assert response.context["form"].errors["cleared_on"] == ["The date seen can't be in the future."]
    assert not Clearance.objects.exists()


def test_an_emergency_is_lifted_only_with_a_doctors_clearance_recorded_by_staff(
    client, admin_user, new_client
):
    intake = submit_intake(new_client, bladder_bowel_change=True)
    client.force_login(admin_user)

    response = client.post(clearance_url(intake), clearance_form(), follow=True)

    assert response.status_code == 200
    assert Clearance.objects.get().intake == intake
    assert "can book again" in response.content.decode()


def test_a_new_yes_when_the_questions_are_asked_again_is_a_new_block(
    client, admin_user, new_client, blocked_intake
):
    client.force_login(admin_user)

    response = client.post(
        clearance_url(blocked_intake),
        clearance_form(**{"reasked-fever_or_unexplained_weight_loss": "yes"}),
        follow=True,
    )

    assert Clearance.objects.get().intake == blocked_intake
    newest = Intake.objects.filter(client=new_client).first()
    assert newest.outcome == "SEE_DOCTOR" and newest.pk != blocked_intake.pk
    assert "new block" in response.content.decode()


@pytest.mark.parametrize("who", ["front_desk", "client"])
def test_front_desk_and_clients_cannot_open_or_post_the_clearance_form(
    client, front_desk_user, new_client, blocked_intake, who
):
    client.force_login(front_desk_user if who == "front_desk" else new_client)

    assert client.get(clearance_url(blocked_intake)).status_code == 404
    response = client.post(clearance_url(blocked_intake), clearance_form())
    assert response.status_code == 404
    assert not Clearance.objects.exists()


# --- The re-check asked again at booking ------------------------------------------------------


def test_the_recheck_asks_about_new_things_only(rf, clinic):
    page = render_to_string(
        "intake/_red_flag_check.html", {"red_flag_form": RedFlagCheckForm()}, request=rf.get("/")
    )

    assert "Since your intake, have you had any of these?" in page
    for key, question in RECHECK_QUESTIONS.items():
        assert escape(question) in page, key
    assert "<form" not in page
    assert "checked" not in page


def test_the_recheck_needs_every_answer():
    data = recheck_form_data()
    del data["both_legs"]

    form = RedFlagCheckForm(data)

    assert not form.is_valid()
    assert form.errors["both_legs"] == ["Please answer yes or no."]


def test_the_recheck_gives_the_service_every_recheck_key():
    form = RedFlagCheckForm(
        recheck_form_data(leg_weakness="severe_or_worsening", recent_surgery="yes", recent_surgery_weeks="3")
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_red_flags() == nothing_new(leg_weakness="severe_or_worsening", recent_surgery_weeks=3)


def test_the_admin_lists_intakes_and_clearances_to_read_but_not_to_change(client, admin_user, new_client):
    intake = submit_intake(new_client, known_blood_clot=True)
    clearance_record(
        intake=intake, doctor_name="Dr Lee", cleared_on=date(2026, 12, 4), note="", recorded_by=admin_user
    )
    client.force_login(admin_user)

    listing = client.get(reverse("admin:intake_intake_changelist"), {"q": "alex@example.com"})
    assert listing.status_code == 200
    assert "S6" in listing.content.decode()
    detail = client.get(reverse("admin:intake_intake_change", args=[intake.pk])).content.decode()
    assert "Dr Lee" in detail and clearance_url(intake) in detail
    assert client.get(reverse("admin:intake_clearance_changelist")).status_code == 200
    assert client.get(reverse("admin:intake_intake_add")).status_code == 403
    client.post(reverse("admin:intake_intake_change", args=[intake.pk]), {"outcome": "CLEAR"})
    intake.refresh_from_db()
    assert intake.outcome == "SEE_DOCTOR"
