from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from bookings.errors import IntakeRequired
from bookings.models import Appointment
from bookings.screening import block_lift
from bookings.services import appointment_book, appointment_reschedule
from intake.models import Intake
from intake.services import intake_submit
from tests.factories import UserFactory, clear_answers, nothing_new, submit_intake

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
NO_NEW_RED_FLAGS = nothing_new()


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def new_client(db):
    return UserFactory()


def book(client, therapist, service, **kwargs):
    return appointment_book(client=client, therapist=therapist, service=service, start=MONDAY_10, **kwargs)


def test_a_client_without_an_intake_is_sent_to_fill_one_in(clinic, service, therapist, new_client):
    with pytest.raises(IntakeRequired) as refused:
        book(new_client, therapist, service)

    assert refused.value.outcome is None
    assert "questionnaire" in refused.value.message
    assert not Appointment.objects.exists()


def test_an_intake_older_than_the_clinics_limit_must_be_filled_in_again(
    clinic, service, therapist, new_client
):
    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        submit_intake(new_client)

    with pytest.raises(IntakeRequired, match="more than 90 days old"):
        book(new_client, therapist, service)


def test_the_intake_age_limit_is_a_clinic_setting(clinic, service, therapist, new_client):
    clinic.intake_valid_days = 120
    clinic.save()
    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        submit_intake(new_client)

    assert (
        book(new_client, therapist, service, red_flags=NO_NEW_RED_FLAGS).status == Appointment.Status.BOOKED
    )


def test_the_intake_must_still_be_current_on_the_day_of_the_appointment(
    clinic, service, therapist, new_client
):
    with time_machine.travel(NOW - timedelta(days=88), tick=False):
        submit_intake(new_client)

    with pytest.raises(IntakeRequired, match="on the day of this appointment"):
        book(new_client, therapist, service, red_flags=NO_NEW_RED_FLAGS)


def test_a_client_with_saddle_numbness_is_told_to_go_to_emergency_and_cannot_book(
    clinic, service, therapist, new_client
):
    submit_intake(new_client, saddle_numbness=True)

    with pytest.raises(IntakeRequired) as refused:
        book(new_client, therapist, service)

    assert refused.value.outcome == "EMERGENCY"
    assert "Go to A&E now or call 999" in refused.value.message
    assert not Appointment.objects.exists()


def test_the_emergency_number_comes_from_the_clinic(clinic, service, therapist, new_client):
    clinic.emergency_number = "911"
    clinic.save()
    submit_intake(new_client, both_legs=True)

    with pytest.raises(IntakeRequired, match="call 911"):
        book(new_client, therapist, service)


def test_a_see_doctor_client_is_blocked_until_a_doctors_clearance_is_recorded(
    clinic, service, therapist, new_client
):
    intake = submit_intake(new_client, known_blood_clot=True)
    with pytest.raises(IntakeRequired) as refused:
        book(new_client, therapist, service)
    assert refused.value.outcome == "SEE_DOCTOR"
    assert "check with your doctor" in refused.value.message

    block_lift(
        intake=intake,
        kind="doctor",
        doctor_name="Dr A. Khan",
        practice="Riverside Surgery",
        cleared_on=date(2026, 12, 4),
        note="Clot treated; massage fine away from the left calf.",
        reasked=NO_NEW_RED_FLAGS,
        recorded_by=UserFactory(is_staff=True),
    )

    assert book(new_client, therapist, service).status == Appointment.Status.BOOKED


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"doctor_name": "", "practice": "Riverside", "cleared_on": date(2026, 12, 4)}, "doctor_name"),
        ({"doctor_name": "Dr B", "practice": "", "cleared_on": date(2026, 12, 4)}, "practice"),
        ({"doctor_name": "Dr B", "practice": "Riverside", "cleared_on": date(2026, 12, 5)}, "cleared_on"),
        ({"doctor_name": "Dr B", "practice": "Riverside", "cleared_on": date(2026, 12, 3)}, "cleared_on"),
    ],
    ids=["no doctor", "no practice", "seen in the future", "seen before the intake"],
)
def test_a_doctors_clearance_needs_who_where_and_a_date_seen_after_the_intake(
    new_client, fields, error_field
):
    intake = submit_intake(new_client, bladder_bowel_change=True)

    with pytest.raises(ValidationError) as invalid:
        block_lift(
            intake=intake,
            kind="doctor",
            reasked=NO_NEW_RED_FLAGS,
            recorded_by=UserFactory(is_staff=True),
            **fields,
        )

    assert error_field in invalid.value.message_dict
    assert not intake.clearances.exists()


def test_an_answer_given_in_error_needs_a_note(new_client):
    intake = submit_intake(new_client, bladder_bowel_change=True)

    with pytest.raises(ValidationError) as invalid:
        block_lift(
            intake=intake,
            kind="answered_in_error",
            note=" ",
            reasked=NO_NEW_RED_FLAGS,
            recorded_by=new_client,
        )

    assert "note" in invalid.value.message_dict


def test_a_caution_books_normally(clinic, service, therapist, new_client):
    submit_intake(new_client, age=70, anticoagulants=True)

    assert book(new_client, therapist, service).status == Appointment.Status.BOOKED


def test_a_new_red_flag_at_booking_time_is_a_new_intake_that_blocks(clinic, service, therapist, client_user):
    with pytest.raises(IntakeRequired) as refused:
        book(
            client_user,
            therapist,
            service,
            red_flags=NO_NEW_RED_FLAGS | {"calf_swelling_redness_warmth": True},
        )

    assert refused.value.outcome == "SEE_DOCTOR"
    latest = Intake.objects.filter(client=client_user).first()
    assert latest.outcome == "SEE_DOCTOR"
    assert latest.rechecked_from is not None
    assert [reason["code"] for reason in latest.reasons] == ["S5"]
    assert Intake.objects.filter(client=client_user).count() == 2
    assert not Appointment.objects.exists()


def test_no_new_red_flags_at_booking_time_books_on_the_existing_intake(
    clinic, service, therapist, client_user
):
    book(client_user, therapist, service, red_flags=NO_NEW_RED_FLAGS)

    assert Intake.objects.filter(client=client_user).count() == 1
    assert Appointment.objects.count() == 1


def test_rescheduling_passes_the_same_gate(clinic, service, therapist, client_user, front_desk_user):
    appointment = book(client_user, therapist, service)
    submit_intake(client_user, recent_fracture_unhealed=True)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED  # released at once, for a health check
    with pytest.raises(IntakeRequired):
        appointment_reschedule(
            appointment=appointment, start=MONDAY_10 + timedelta(hours=1), by=front_desk_user
        )


def test_front_desk_booking_passes_the_same_gate(clinic, service, therapist, new_client):
    submit_intake(new_client, recent_major_trauma=True)

    with pytest.raises(IntakeRequired):
        book(new_client, therapist, service, booked_by=UserFactory(is_staff=True))


def test_intakes_are_kept_and_a_new_one_supersedes_the_old(new_client):
    first = submit_intake(new_client, pain_score=7)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        second = submit_intake(new_client, pain_score=3)

    assert list(Intake.objects.filter(client=new_client)) == [second, first]
    first.refresh_from_db()
    assert first.answers["pain_score"] == 7


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"age": 121}, "age"),
        ({"pain_score": 11}, "pain_score"),
        ({"symptom_weeks": -1}, "symptom_weeks"),
        ({"saddle_numbness": "no"}, "saddle_numbness"),
        ({"leg_weakness": "a bit"}, "leg_weakness"),
        ({"recent_surgery_weeks": 2.5}, "recent_surgery_weeks"),
    ],
)
def test_invalid_answers_name_the_field_and_store_nothing(new_client, override, field):
    with pytest.raises(ValidationError) as invalid:
        intake_submit(client=new_client, answers=clear_answers(**override), consent=True)

    assert field in invalid.value.message_dict
    assert not Intake.objects.exists()


def test_a_missing_answer_or_missing_consent_stores_nothing(new_client):
    answers = clear_answers()
    del answers["both_legs"]

    with pytest.raises(ValidationError) as invalid:
        intake_submit(client=new_client, answers=answers, consent=False)

    assert set(invalid.value.message_dict) == {"both_legs", "consent"}
    assert not Intake.objects.exists()
