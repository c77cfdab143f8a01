"""A red flag on record stays in force until staff lift it: sequences of intakes, re-checks,
corrections and clearances, and the outcome in force after each step."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from bookings.models import Appointment
from bookings.screening import block_lift, client_standing, recheck_record
from intake.models import Intake
from notifications.models import Message
from tests.factories import AppointmentFactory, UserFactory, nothing_new, submit_intake

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
STAFF = "staff"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def full(**answers):
    return ("intake", answers)


def recheck(**report):
    return ("recheck", report)


def doctor_clears(which=-1, **reasked):
    return ("doctor", which, reasked)


def answered_in_error(which=-1, **reasked):
    return ("error", which, reasked)


def _apply(step, client, staff, blocks):
    kind = step[0]
    if kind == "intake":
        intake = submit_intake(client, **step[1])
        if intake.blocks_booking:
            blocks.append(intake)
    elif kind == "recheck":
        intake = recheck_record(client=client, report=nothing_new(**step[1]))
        if intake is not None and intake.blocks_booking:
            blocks.append(intake)
    else:
        _, which, reasked = step
        target = blocks[which]
        lift_fields = (
            {"doctor_name": "Dr A. Khan", "practice": "Riverside Surgery", "cleared_on": date(2026, 12, 4)}
            if kind == "doctor"
            else {"note": "Ticked bladder by mistake; confirmed by phone."}
        )
        _, new_intake = block_lift(
            intake=target,
            kind="doctor" if kind == "doctor" else "answered_in_error",
            reasked=nothing_new(**reasked),
            recorded_by=staff,
            **lift_fields,
        )
        if new_intake is not None and new_intake.blocks_booking:
            blocks.append(new_intake)


HISTORIES = {
    "A&E client answers the whole intake again with no": (
        [full(saddle_numbness=True), full()],
        ["EMERGENCY", "EMERGENCY"],
    ),
    "see-a-doctor client answers the whole intake again with no": (
        [full(known_blood_clot=True), full()],
        ["SEE_DOCTOR", "SEE_DOCTOR"],
    ),
    "severe weakness then a re-check of mild weakness": (
        [full(leg_weakness="severe_or_worsening"), recheck(leg_weakness="mild")],
        ["EMERGENCY", "EMERGENCY"],
    ),
    "blood clot then a re-check of new mild weakness": (
        [full(known_blood_clot=True), recheck(leg_weakness="mild")],
        ["SEE_DOCTOR", "SEE_DOCTOR"],
    ),
    "a later A&E answer raises a see-a-doctor block": (
        [full(known_blood_clot=True), recheck(bladder_bowel_change=True)],
        ["SEE_DOCTOR", "EMERGENCY"],
    ),
    "a re-check with nothing new changes nothing": (
        [full(anticoagulants=True), recheck()],
        ["CAUTION", "CAUTION"],
    ),
    "a doctor clears a blood clot": (
        [full(known_blood_clot=True), doctor_clears()],
        ["SEE_DOCTOR", "CLEAR"],
    ),
    "a doctor clears, and the caution beside the block stays": (
        [full(known_blood_clot=True, anticoagulants=True), doctor_clears()],
        ["SEE_DOCTOR", "CAUTION"],
    ),
    "a doctor clears an emergency after the hospital": (
        [full(both_legs=True), doctor_clears()],
        ["EMERGENCY", "CLEAR"],
    ),
    "staff correct an answer given in error": (
        [full(bladder_bowel_change=True), answered_in_error()],
        ["EMERGENCY", "CLEAR"],
    ),
    "a yes when the questions are asked again at the clearance is a new block": (
        [full(known_blood_clot=True), doctor_clears(fever_or_unexplained_weight_loss=True)],
        ["SEE_DOCTOR", "SEE_DOCTOR"],
    ),
    "clearing one block leaves an older one in force": (
        [full(saddle_numbness=True), full(known_blood_clot=True), doctor_clears(-1)],
        ["EMERGENCY", "EMERGENCY", "EMERGENCY"],
    ),
    "a cleared flag stays cleared through a re-check that adds a caution": (
        [full(known_blood_clot=True), doctor_clears(), recheck(leg_weakness="mild")],
        ["SEE_DOCTOR", "CLEAR", "CAUTION"],
    ),
    "a cleared flag reported anew at a re-check blocks again": (
        [full(known_blood_clot=True), doctor_clears(), recheck(known_blood_clot=True)],
        ["SEE_DOCTOR", "CLEAR", "SEE_DOCTOR"],
    ),
    "new numbness for a client with a cancer history is an emergency": (
        [
            full(cancer_history=True, pain_radiates_below_knee=False, numbness_tingling=False),
            doctor_clears(),
            recheck(numbness_tingling=True),
        ],
        ["SEE_DOCTOR", "CLEAR", "EMERGENCY"],
    ),
    "an operation since the intake": (
        [full(), recheck(recent_surgery_weeks=2)],
        ["CLEAR", "SEE_DOCTOR"],
    ),
    "worse pain now with osteoporosis": (
        [full(osteoporosis=True, pain_score=5), recheck(pain_score=9)],
        ["CAUTION", "SEE_DOCTOR"],
    ),
    "less pain now never lowers anything": (
        [full(pain_score=9), recheck(pain_score=2)],
        ["CAUTION", "CAUTION"],
    ),
}


@pytest.mark.parametrize(("steps", "outcomes"), HISTORIES.values(), ids=HISTORIES.keys())
def test_the_outcome_in_force_after_each_step(db, clinic, steps, outcomes):
    client = UserFactory()
    staff = UserFactory(is_staff=True)
    blocks: list[Intake] = []
    seen = []
    for step in steps:
        _apply(step, client, staff, blocks)
        seen.append(client_standing(client).outcome)

    assert seen == outcomes


def test_an_uncleared_block_does_not_expire_with_the_intakes_validity(db, clinic):
    client = UserFactory()
    with time_machine.travel(NOW - timedelta(days=200), tick=False):
        submit_intake(client, calf_swelling_redness_warmth=True)

    assert client_standing(client).outcome == "SEE_DOCTOR"


def test_the_recheck_keeps_the_worse_leg_weakness_and_stores_only_what_it_adds(db, clinic):
    client = UserFactory()
    first = submit_intake(client, leg_weakness="severe_or_worsening", anticoagulants=True)

    second = recheck_record(client=client, report=nothing_new(leg_weakness="mild"))

    assert second.rechecked_from == first
    assert second.answers["leg_weakness"] == "severe_or_worsening"
    assert second.answers["anticoagulants"] is True
    assert recheck_record(client=client, report=nothing_new()) is None


def test_a_lifted_block_is_kept_with_who_recorded_it(db, clinic):
    client = UserFactory()
    staff = UserFactory(is_staff=True)
    intake = submit_intake(client, bladder_bowel_change=True)

    clearance, _ = block_lift(
        intake=intake,
        kind="answered_in_error",
        note="Meant the other question; confirmed by phone.",
        reasked=nothing_new(),
        recorded_by=staff,
    )

    assert clearance.recorded_by == staff
    assert clearance.reasked_answers == nothing_new()
    assert intake.clearances.get() == clearance


def test_a_client_who_becomes_blocked_has_no_booked_future_appointment_and_no_pending_reminder(
    db, clinic, service, therapist, client_user
):
    from notifications import outbox

    later = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=NOW + timedelta(days=3)
    )
    outbox.appointment_booked(later, now=NOW)
    past = AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=service,
        start=NOW - timedelta(days=3),
        status=Appointment.Status.COMPLETED,
    )
    assert Message.objects.filter(kind=Message.Kind.REMINDER, status=Message.Status.QUEUED).exists()

    submit_intake(client_user, saddle_numbness=True)

    later.refresh_from_db()
    past.refresh_from_db()
    assert later.status == Appointment.Status.CANCELLED
    assert later.cancellation_reason == Appointment.CancellationReason.HEALTH_CHECK
    assert past.status == Appointment.Status.COMPLETED
    assert not Appointment.objects.filter(client=client_user, status="booked", start__gt=NOW).exists()
    assert (
        not Message.objects.filter(recipient=client_user, status=Message.Status.QUEUED)
        .exclude(kind=Message.Kind.HEALTH_CHECK)
        .exists()
    )
    assert Message.objects.filter(recipient=client_user, kind=Message.Kind.HEALTH_CHECK).count() == 1


def test_the_health_check_email_says_nothing_clinical(
    db, clinic, service, therapist, client_user, mailoutbox
):
    from notifications.dispatch import messages_dispatch_due

    AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=NOW + timedelta(days=3)
    )
    submit_intake(client_user, saddle_numbness=True)

    messages_dispatch_due()

    (email,) = [each for each in mailoutbox if "contact" in each.subject]
    body = email.body.lower()
    assert email.subject == f"Please contact {clinic.name}"
    assert service.name.lower() in body  # which appointment was released
    for clinical in ("numb", "saddle", "a&e", "red flag", "emergency", "bladder"):
        assert clinical not in body


def test_a_client_with_nothing_booked_who_becomes_blocked_gets_no_email(db, clinic, client_user):
    submit_intake(client_user, saddle_numbness=True)

    assert not Message.objects.filter(recipient=client_user, kind=Message.Kind.HEALTH_CHECK).exists()


def test_client_pages_for_a_blocked_client_offer_no_booking_or_changes(
    client, clinic, service, therapist, client_user
):
    later = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=NOW + timedelta(days=3)
    )
    submit_intake(client_user, known_blood_clot=True)
    client.force_login(client_user)

    home = client.get("/").content.decode()
    book = client.get(
        f"/book/?service={service.pk}&therapist={therapist.pk}&date=2026-12-07"
    ).content.decode()
    mine = client.get("/appointments/").content.decode()

    assert "Online booking is paused for you" in home and ">Book<" not in home
    assert "Online booking is paused for you" in book and "/book/confirm/" not in book
    assert "check with your doctor" in mine
    assert f"/appointments/{later.pk}/reschedule/" not in mine
    assert f"/appointments/{later.pk}/cancel/" not in mine
