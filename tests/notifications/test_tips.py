import importlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from bookings.models import Appointment
from bookings.previsit import pre_visit_check_for
from bookings.screening import block_lift
from bookings.services import appointment_record_attendance
from intake.models import Clearance, Intake
from intake.services import intake_submit
from intake.triage import SAFETY_NET
from notifications.emails import tip_email
from notifications.models import Message, MessagingSettings, Tip, TipsOptOut
from notifications.tips import STOP_SIGNS, Variant
from tests.factories import answer_pre_visit_check, clear_answers, nothing_new, submit_intake

from .conftest import MONDAY_10, NOW, book, dispatch_at, messages_of

Kind, Status = Message.Kind, Message.Status
AFTER_SESSION = MONDAY_10 + timedelta(hours=2)
# What each variant of the day-1 tip says and the others don't.
STANDARD_STRETCHES = "Knee to chest (lower back)"
GENTLE_ONLY = "For you, gentle is the rule"
ASK_THE_MIDWIFE = "check with your midwife before you start any new stretches"
NO_STRETCHING_YET = "don't start a stretching programme until your surgeon"
CLOT_SIGNS = "Watch for signs of a blood clot"


def complete(appointment, status=Appointment.Status.COMPLETED, at=AFTER_SESSION):
    if status == Appointment.Status.COMPLETED and pre_visit_check_for(appointment) is None:
        answer_pre_visit_check(appointment)  # a session is completed only after the day-of check
    with time_machine.travel(at, tick=False):
        return appointment_record_attendance(appointment=appointment, status=status, by=appointment.client)


def london_10(day):
    return datetime.combine(day, time(10), tzinfo=UTC)  # London is UTC+0 in December


@pytest.fixture(autouse=True)
def _seeded_tips(db):
    # The data migration's tips; a transactional test elsewhere in the suite may have flushed them.
    seed = importlib.import_module("notifications.migrations.0004_tip_variants").seed_tips
    seed(django_apps, None)


@pytest.fixture
def session(booked):
    complete(booked)
    return booked


def first_tip():
    """The day-1 tip as the client gets it (the dispatcher runs at 10:00 the day after)."""
    (email,) = dispatch_at(london_10(date(2026, 12, 8)))
    return email


def session_after_a_cleared_block(client, therapist, service, *, by, **answers):
    """A session completed after a doctor cleared the client's red flag (the tips queue after it)."""
    # The fixture's CLEAR intake was written at the real time: put it before this one, which
    # must be the newest whatever today's date is.
    Intake.objects.filter(client=client).update(created_at=NOW - timedelta(days=1))
    blocked = submit_intake(client, at=NOW - timedelta(hours=1), **answers)
    block_lift(
        intake=blocked,
        kind=Clearance.Kind.DOCTOR,
        doctor_name="Dr Rao",
        practice="Riverside Surgery",
        cleared_on=date(2026, 12, 4),
        reasked=nothing_new(),
        recorded_by=by,
        now=NOW - timedelta(minutes=30),
    )
    session = book(client, therapist, service)
    complete(session)
    return session


def tip_emails(sent):
    return [email for email in sent if email.subject.startswith("A tip")]


def test_a_completed_session_queues_tips_on_days_1_3_5_7_at_10_local(session):
    tips = messages_of(session, kind=Kind.TIP)

    assert [(m.tip.day, m.due_at) for m in tips] == [
        (1, london_10(date(2026, 12, 8))),
        (3, london_10(date(2026, 12, 10))),
        (5, london_10(date(2026, 12, 12))),
        (7, london_10(date(2026, 12, 14))),
    ]


def test_the_first_tip_comes_the_day_after_at_10_with_named_stretches_to_do_at_home(session):
    assert dispatch_at(london_10(date(2026, 12, 8)) - timedelta(minutes=1)) == []

    email = first_tip()

    assert email.subject == "A tip from Riverside Massage"
    assert "Stretching between sessions" in email.body
    for stretch in (STANDARD_STRETCHES, "Figure-four stretch (piriformis", "Hamstring stretch with a towel"):
        assert stretch in email.body
    assert "Hold for 20 to 30 seconds" in email.body
    assert "<p>Once or twice a day, lie on your back" in email.alternatives[0][0]
    for other_variant in (GENTLE_ONLY, ASK_THE_MIDWIFE, NO_STRETCHING_YET):
        assert other_variant not in email.body


def test_the_heat_and_ice_tip_says_how_long_with_a_cloth_and_never_on_numb_skin(session):
    dispatch_at(london_10(date(2026, 12, 8)))

    (email,) = dispatch_at(london_10(date(2026, 12, 10)))

    assert "Heat and ice" in email.body
    assert "for 15 to 20 minutes" in email.body and "up to 20 minutes" in email.body
    assert "wrap the pack in a towel or cloth" in email.body
    assert "Never put heat or ice on skin that feels numb" in email.body


def test_a_no_show_gets_no_tips(booked):
    complete(booked, status=Appointment.Status.NO_SHOW)

    assert messages_of(booked, kind=Kind.TIP) == []


def test_a_session_marked_a_no_show_by_mistake_and_corrected_gets_its_tips_back(session):
    complete(session, status=Appointment.Status.NO_SHOW)
    assert {tip.status for tip in messages_of(session, kind=Kind.TIP)} == {Status.CANCELLED}

    complete(session, at=AFTER_SESSION + timedelta(hours=1))

    tips = messages_of(session, kind=Kind.TIP)
    assert [tip.status for tip in tips] == [Status.QUEUED] * 4
    assert "Knee to chest" in first_tip().body
    assert dispatch_at(london_10(date(2026, 12, 8))) == []  # and once only


def test_a_client_who_opted_out_meanwhile_gets_no_tips_back_when_a_no_show_is_corrected(session):
    complete(session, status=Appointment.Status.NO_SHOW)
    TipsOptOut.objects.create(user=session.client)

    complete(session, at=AFTER_SESSION + timedelta(hours=1))

    assert {tip.status for tip in messages_of(session, kind=Kind.TIP)} == {Status.CANCELLED}


def test_recording_the_session_twice_writes_the_tips_once(session):
    complete(session)

    assert len(messages_of(session, kind=Kind.TIP)) == 4


def test_tips_in_new_york_are_due_at_10_new_york_time_across_the_clock_change(
    clinic, service, therapist, client_user
):
    clinic.time_zone = "America/New_York"
    clinic.save()
    # Friday 30 October 2026, 10:00 in New York (EDT, UTC-4); the clocks go back on 1 November.
    friday = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
    appointment = book(client_user, therapist, service, start=friday, now=friday - timedelta(days=3))
    complete(appointment, at=friday + timedelta(hours=2))

    due = [m.due_at for m in messages_of(appointment, kind=Kind.TIP)]

    assert due == [
        datetime(2026, 10, 31, 14, 0, tzinfo=UTC),  # Saturday 10:00 EDT
        datetime(2026, 11, 2, 15, 0, tzinfo=UTC),  # Monday 10:00 EST
        datetime(2026, 11, 4, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 6, 15, 0, tzinfo=UTC),
    ]


def test_a_tip_time_in_quiet_hours_moves_to_the_next_morning(booked):
    MessagingSettings.objects.create(tip_time=time(22), quiet_hours_start=time(21), quiet_hours_end=time(8))

    complete(booked)

    first = messages_of(booked, kind=Kind.TIP)[0]
    assert first.due_at == datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # not 22:00 on the 8th


def test_a_tip_dispatched_late_at_night_waits_for_the_morning(session):
    # The workers were down all day: at 23:00 the first tip is overdue but it is quiet hours.
    assert dispatch_at(datetime(2026, 12, 8, 23, 0, tzinfo=UTC)) == []
    first = messages_of(session, kind=Kind.TIP)[0]
    assert (first.status, first.due_at, first.attempts) == (
        Status.QUEUED,
        datetime(2026, 12, 9, 8, 0, tzinfo=UTC),
        0,
    )

    (email,) = dispatch_at(datetime(2026, 12, 9, 8, 0, tzinfo=UTC))
    assert "Stretching between sessions" in email.body


def test_tips_stop_when_the_next_session_comes(session, therapist, service):
    dispatch_at(london_10(date(2026, 12, 8)))  # day 1
    book(
        session.client, therapist, service, start=datetime(2026, 12, 11, 10, 0, tzinfo=UTC), now=AFTER_SESSION
    )

    day_3 = dispatch_at(london_10(date(2026, 12, 10)))  # with the new booking's confirmation and reminder
    assert [e.subject for e in day_3 if e.subject.startswith("A tip")] == ["A tip from Riverside Massage"]
    assert dispatch_at(london_10(date(2026, 12, 12))) == []  # the next session was on the 11th

    statuses = [m.status for m in messages_of(session, kind=Kind.TIP)]
    assert statuses == [Status.SENT, Status.SENT, Status.SKIPPED, Status.QUEUED]
    assert dispatch_at(london_10(date(2026, 12, 14))) == []


# --- Variants: chosen when the tip is sent, from the outcome in force ---------------------------


def test_client_eight_weeks_after_surgery_gets_no_stretching_programme(session):
    submit_intake(session.client, recent_surgery_weeks=8)  # C4

    email = first_tip()

    assert NO_STRETCHING_YET in email.body
    assert escape(NO_STRETCHING_YET) in email.alternatives[0][0]
    assert STANDARD_STRETCHES not in email.body and "Hold for" not in email.body
    assert CLOT_SIGNS in email.body


def test_client_whose_recent_operation_a_doctor_cleared_still_gets_no_stretching_programme(
    client_user, therapist, service, front_desk_user
):
    # An operation 3 weeks ago (S8) blocks booking until a doctor clears it; C4 is not in force.
    session_after_a_cleared_block(client_user, therapist, service, by=front_desk_user, recent_surgery_weeks=3)

    email = first_tip()

    assert NO_STRETCHING_YET in email.body
    assert STANDARD_STRETCHES not in email.body


def test_client_thirteen_weeks_after_surgery_gets_the_standard_stretches(session):
    submit_intake(session.client, recent_surgery_weeks=13)

    email = first_tip()

    assert STANDARD_STRETCHES in email.body
    assert NO_STRETCHING_YET not in email.body and CLOT_SIGNS not in email.body


def test_pregnant_client_is_asked_to_check_with_her_midwife_and_stretches_sitting(session):
    submit_intake(session.client, pregnant=True)  # C2

    email = first_tip()

    assert ASK_THE_MIDWIFE in email.body
    assert "Seated hamstring stretch" in email.body
    assert STANDARD_STRETCHES not in email.body


@pytest.mark.parametrize(
    "caution",
    [{"anticoagulants": True}, {"osteoporosis": True, "pain_score": 5}],
    ids=["blood thinners C1", "osteoporosis C3"],
)
def test_client_on_blood_thinners_or_with_osteoporosis_gets_only_gentle_stretches(session, caution):
    submit_intake(session.client, **caution)

    email = first_tip()

    assert GENTLE_ONLY in email.body
    assert "don't use a foam roller, massage ball or massage gun" in email.body
    assert "no hard twisting or bending" in email.body
    assert STANDARD_STRETCHES not in email.body


def test_client_with_osteoporosis_and_severe_pain_cleared_by_a_doctor_gets_only_gentle_stretches(
    client_user, therapist, service, front_desk_user
):
    # Osteoporosis with pain of 8 or more is S9, not C3: once cleared, no caution code is in force.
    session_after_a_cleared_block(
        client_user, therapist, service, by=front_desk_user, osteoporosis=True, pain_score=9
    )

    email = first_tip()

    assert GENTLE_ONLY in email.body
    assert STANDARD_STRETCHES not in email.body


@pytest.mark.parametrize(
    ("cautions", "expected"),
    [
        ({"recent_surgery_weeks": 8, "pregnant": True}, NO_STRETCHING_YET),
        ({"recent_surgery_weeks": 8, "anticoagulants": True}, NO_STRETCHING_YET),
        ({"pregnant": True, "anticoagulants": True}, ASK_THE_MIDWIFE),
        ({"anticoagulants": True, "age": 55}, GENTLE_ONLY),
    ],
    ids=["surgery over pregnancy", "surgery over gentle", "pregnancy over gentle", "gentle over others"],
)
def test_when_several_cautions_apply_the_most_careful_variant_wins(session, cautions, expected):
    submit_intake(session.client, **cautions)

    email = first_tip()

    assert expected in email.body
    assert STANDARD_STRETCHES not in email.body


@pytest.mark.parametrize(
    "caution", [{"age": 55}, {"pain_score": 9}, {"leg_weakness": "mild"}], ids=["C5", "C8", "C7"]
)
def test_client_with_another_caution_gets_the_standard_stretches(session, caution):
    submit_intake(session.client, **caution)

    email = first_tip()

    assert STANDARD_STRETCHES in email.body


@pytest.mark.parametrize(
    "red_flag",
    [{"bladder_bowel_change": True}, {"recent_fracture_unhealed": True}, {"recent_surgery_weeks": 3}],
    ids=["emergency", "see a doctor", "operation 3 weeks ago, not cleared"],
)
def test_client_with_a_red_flag_in_force_gets_no_tip(session, red_flag):
    submit_intake(session.client, **red_flag)

    for day in (8, 10, 12, 14):
        assert tip_emails(dispatch_at(london_10(date(2026, 12, day)))) == []
    statuses = {m.status for m in messages_of(session, kind=Kind.TIP)}
    assert statuses <= {Status.CANCELLED, Status.SKIPPED}


@pytest.mark.parametrize(
    "red_flag", [{"saddle_numbness": True}, {"known_blood_clot": True}], ids=["emergency", "see a doctor"]
)
def test_a_tip_still_queued_when_a_red_flag_is_in_force_is_skipped_when_due(session, red_flag):
    # Recorded without the screening that withdraws the tips: sending checks again.
    intake_submit(client=session.client, answers=clear_answers(**red_flag), consent=True)

    assert dispatch_at(london_10(date(2026, 12, 8))) == []
    first = messages_of(session, kind=Kind.TIP)[0]
    assert first.status == Status.SKIPPED
    assert first.last_error == "The client's red flag is in force: no exercise advice."


def test_a_red_flag_stays_in_force_after_a_later_clear_intake(session):
    intake_submit(client=session.client, answers=clear_answers(recent_fracture_unhealed=True), consent=True)
    intake_submit(client=session.client, answers=clear_answers(), consent=True)  # only staff lift a block

    assert dispatch_at(london_10(date(2026, 12, 8))) == []
    assert messages_of(session, kind=Kind.TIP)[0].status == Status.SKIPPED


def test_client_with_no_current_intake_gets_no_tip(session):
    # Their only intake is older than the clinic's 90 days by the time the tip is due.
    Intake.objects.filter(client=session.client).update(created_at=datetime(2026, 6, 1, tzinfo=UTC))

    assert dispatch_at(london_10(date(2026, 12, 8))) == []
    first = messages_of(session, kind=Kind.TIP)[0]
    assert first.status == Status.SKIPPED
    assert first.last_error == "No current intake: no self-care tips."


# --- What every tip carries, whatever the admin writes --------------------------------------------


def test_every_tip_variant_carries_the_safety_net_and_stop_rule(clinic, client_user):
    tips = list(Tip.objects.all())
    assert [tip.day for tip in tips] == [1, 3, 5, 7]

    for tip in tips:
        for variant in Variant:
            message = Message(kind=Kind.TIP, recipient=client_user, tip=tip, dedupe_key=f"tip:0:{tip.day}")
            email = tip_email(message, clinic=clinic, variant=variant)
            html = email.alternatives[0][0]
            variant_text = getattr(tip, f"{variant}_text")
            expected = [
                variant_text.split("\n\n")[0],
                tip.stop_rule,
                STOP_SIGNS,
                *(paragraph.format(emergency_number="999") for paragraph in SAFETY_NET),
            ]
            for paragraph in expected:
                assert paragraph in email.body, (tip.day, variant, paragraph)
                assert escape(paragraph) in html, (tip.day, variant, paragraph)


def test_an_admin_edit_cannot_drop_the_safety_net_or_the_stop_signs(session):
    Tip.objects.filter(day=1).update(
        standard_text="Just stretch.", stop_rule="Stop if it hurts.", sources="Our own words."
    )

    email = first_tip()

    assert "Just stretch." in email.body
    assert f"When to stop: Stop if it hurts. {STOP_SIGNS}" in email.body
    assert "Go to A&E or call 999 if you get: sciatica in both legs" in email.body


def test_the_safety_net_gives_the_clinics_own_emergency_number(session, clinic):
    clinic.emergency_number = "112"
    clinic.save()

    email = first_tip()

    assert "Go to A&E or call 112 if you get" in email.body
    assert "call 999" not in email.body


def test_tip_texts_are_the_admins_to_edit_and_reach_the_html_safely(session):
    Tip.objects.filter(day=1).update(
        title="Loosen up", standard_text="Edited <b>advice</b>.\n\nA second paragraph."
    )

    email = first_tip()
    html = email.alternatives[0][0]

    assert "Loosen up" in email.body and "Edited <b>advice</b>." in email.body
    assert "<p>Edited &lt;b&gt;advice&lt;/b&gt;.</p>" in html
    assert "<p>A second paragraph.</p>" in html


@pytest.mark.parametrize(
    ("variant", "defers_to"),
    [(Variant.PREGNANCY, "midwife"), (Variant.AFTER_SURGERY, "surg")],
)
def test_every_seeded_tip_for_pregnancy_or_after_surgery_defers_to_the_midwife_or_surgeon(variant, defers_to):
    for tip in Tip.objects.all():
        assert defers_to in getattr(tip, f"{variant}_text"), tip.day


def test_every_seeded_tip_notes_its_sources_and_what_is_general_knowledge():
    for tip in Tip.objects.all():
        assert "_" in tip.sources and ".txt" in tip.sources, tip.day  # an article, by its file
        assert "General knowledge" in tip.sources, tip.day


def test_the_clinical_lead_reviews_each_tip_with_its_variants_and_sources_in_the_admin(admin_client):
    tip = Tip.objects.get(day=3)

    page = admin_client.get(reverse("admin:notifications_tip_change", args=[tip.pk])).content.decode()

    for field in (
        "standard_text",
        "gentle_text",
        "pregnancy_text",
        "after_surgery_text",
        "stop_rule",
        "sources",
    ):
        assert f'name="{field}"' in page
    assert escape(STOP_SIGNS) in page  # what every email adds, whatever is written here
    assert "000_3ae7275ab9cd15df.txt" in page


# --- Unsubscribing ----------------------------------------------------------------------------


def test_a_tip_email_has_a_working_one_click_unsubscribe(session):
    email = first_tip()
    link = email.extra_headers["List-Unsubscribe"].strip("<>")

    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body and link in email.alternatives[0][0]
    path = link.removeprefix("http://127.0.0.1:8000")
    # What a mail system's one-click does (RFC 8058): a POST with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert dispatch_at(london_10(date(2026, 12, 10))) == []
    assert [m.status for m in messages_of(session, kind=Kind.TIP)[1:]] == [Status.CANCELLED] * 3


def test_an_unsubscribed_client_gets_no_tips_after_their_next_session(session, client, therapist, service):
    email = first_tip()
    client.post(email.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000"))
    later = book(
        session.client, therapist, service, start=datetime(2026, 12, 15, 10, 0, tzinfo=UTC), now=AFTER_SESSION
    )

    complete(later, at=datetime(2026, 12, 15, 12, 0, tzinfo=UTC))

    assert messages_of(later, kind=Kind.TIP) == []
