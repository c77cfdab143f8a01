from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.errors import IntakeRequired, RecheckRequired, SlotUnavailable
from bookings.models import Appointment, Closure, TimeOff
from bookings.services import appointment_cancel
from care.errors import SeriesRefused
from care.models import Series, SeriesAppointment
from care.selectors import plan_progress
from care.series import series_preview, session_days
from care.services import series_book, series_cancel
from intake.models import Intake
from notifications.models import Message
from tests.factories import AppointmentFactory, UserFactory, nothing_new, submit_intake

from .conftest import MONDAY_10, NOW

LONDON = ZoneInfo("Europe/London")


def weekly(first, count):
    return [first + timedelta(weeks=k) for k in range(count)]


def book(plan, starts, **kwargs):
    return series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=starts,
        plan=plan,
        booked_by=kwargs.pop("booked_by", plan.client),
        **kwargs,
    )


# --- Stepping ------------------------------------------------------------------------------------


def test_weekly_and_fortnightly_sessions_keep_the_first_sessions_weekday():
    assert session_days(date(2026, 12, 7), 3, "weekly") == [
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
    ]
    assert session_days(date(2026, 12, 7), 3, "fortnightly") == [
        date(2026, 12, 7),
        date(2026, 12, 21),
        date(2027, 1, 4),
    ]


def test_twice_weekly_sessions_fall_on_two_fixed_weekdays_never_a_sunday():
    monday = session_days(date(2026, 12, 7), 4, "twice_weekly")
    thursday = session_days(date(2026, 12, 10), 4, "twice_weekly")

    assert [day.strftime("%a %d") for day in monday] == ["Mon 07", "Thu 10", "Mon 14", "Thu 17"]
    assert [day.strftime("%a %d") for day in thursday] == ["Thu 10", "Mon 14", "Thu 17", "Mon 21"]


def test_a_weekly_series_keeps_its_local_time_when_the_clocks_go_forward(clinic, plan):
    # London goes from GMT to BST on Sunday 28 March 2027.
    with time_machine.travel(datetime(2027, 3, 19, 9, tzinfo=UTC), tick=False):
        submit_intake(plan.client)
        first = datetime(2027, 3, 23, 10, tzinfo=UTC)  # Tuesday 10:00 GMT

        proposals = series_preview(
            client=plan.client,
            therapist=plan.therapist,
            service=plan.service,
            first_start=first,
            sessions=3,
            frequency="weekly",
        )
        series = book(plan, [p.proposed for p in proposals])

    starts = [a.start for a in Appointment.objects.filter(series_member__series=series).order_by("start")]
    assert [s.astimezone(LONDON).strftime("%a %d %b %H:%M") for s in starts] == [
        "Tue 23 Mar 10:00",
        "Tue 30 Mar 10:00",
        "Tue 06 Apr 10:00",
    ]
    assert starts[1] - starts[0] == timedelta(days=7, hours=-1)  # not 168 hours


# --- Preview ------------------------------------------------------------------------------------


def test_the_preview_marks_free_sessions_and_offers_that_weeks_nearest_times_for_the_rest(
    clinic, plan, therapist, service
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=1))  # taken
    TimeOff.objects.create(
        therapist=therapist,
        start=MONDAY_10 + timedelta(weeks=2, hours=-1),
        end=MONDAY_10 + timedelta(weeks=2, hours=3),
        reason="Course",
    )
    Closure.objects.create(date=date(2026, 12, 28), reason="Christmas")

    proposals = series_preview(
        client=plan.client,
        therapist=therapist,
        service=service,
        first_start=MONDAY_10,
        sessions=4,
        frequency="weekly",
    )

    assert [p.is_free for p in proposals] == [True, False, False, False]
    assert proposals[0].alternatives == ()
    assert proposals[1].reason == "Maya Patel isn't free then."
    assert proposals[2].reason == "Maya Patel is away then."
    assert proposals[3].reason == "The clinic is closed that day."
    week_two = proposals[1].alternatives
    assert week_two and all(date(2026, 12, 14) <= s.start.date() <= date(2026, 12, 20) for s in week_two)
    assert MONDAY_10 + timedelta(weeks=1) not in [s.start for s in week_two]
    # The nearest first: 11:15 the same morning, once the other appointment's buffer is over.
    assert datetime(2026, 12, 14, 11, 15, tzinfo=UTC) in [s.start for s in week_two]
    assert all(s.start.date() != date(2026, 12, 28) for s in proposals[3].alternatives)
    assert not Appointment.objects.filter(client=plan.client).exists()
    assert not Series.objects.exists()


def test_the_preview_offers_no_alternative_on_the_day_of_another_session(clinic, plan, therapist, service):
    # Twice a week, Monday and Thursday; Monday 14th is taken all day.
    TimeOff.objects.create(
        therapist=therapist,
        start=datetime(2026, 12, 14, 0, tzinfo=UTC),
        end=datetime(2026, 12, 15, 0, tzinfo=UTC),
        reason="Away",
    )

    proposals = series_preview(
        client=plan.client,
        therapist=therapist,
        service=service,
        first_start=MONDAY_10,
        sessions=4,
        frequency="twice_weekly",
    )

    taken = proposals[2]
    assert taken.day == date(2026, 12, 14) and not taken.is_free
    days = [s.start.date() for s in taken.alternatives]
    assert days == [date(2026, 12, 15), date(2026, 12, 16), date(2026, 12, 18), date(2026, 12, 19)]
    # Thursday is session 4's day; Monday is away; Sunday closed: the closest time on each other day.
    assert [s.start.time() for s in taken.alternatives] == [time(10)] * 4


def test_a_session_beyond_the_booking_horizon_is_to_be_booked_later(clinic, plan, therapist, service):
    proposals = series_preview(
        client=plan.client,
        therapist=therapist,
        service=service,
        first_start=MONDAY_10,
        sessions=10,
        frequency="weekly",
    )

    late = [p for p in proposals if p.too_far_ahead]
    assert [p.index for p in late] == [9]  # Monday 8 February; the clinic books 60 days ahead
    assert "more than 60 days ahead" in late[0].reason
    assert late[0].alternatives == ()


def test_the_preview_says_when_the_client_already_has_an_appointment_then(clinic, plan, therapist, service):
    AppointmentFactory(client=plan.client, service=service, start=MONDAY_10 + timedelta(weeks=1))

    proposals = series_preview(
        client=plan.client,
        therapist=therapist,
        service=service,
        first_start=MONDAY_10,
        sessions=2,
        frequency="weekly",
    )

    assert proposals[1].reason == "You already have an appointment then."


def test_sessions_after_the_clients_intake_goes_out_of_date_are_flagged_before_booking(
    clinic, therapist, service
):
    client = UserFactory()
    submit_intake(client, at=NOW - timedelta(days=80))  # current until Monday 14 December, 09:00

    proposals = series_preview(
        client=client,
        therapist=therapist,
        service=service,
        first_start=MONDAY_10,
        sessions=3,
        frequency="weekly",
    )

    assert [p.is_free for p in proposals] == [True, False, False]
    assert "questionnaire will be out of date" in proposals[1].reason
    assert [s.start for s in proposals[1].alternatives] == [datetime(2026, 12, 14, 9, tzinfo=UTC)]
    assert proposals[2].alternatives == ()


# --- Booking: all or none ----------------------------------------------------------------------


def test_booking_a_series_books_every_session_in_one_series_for_the_plan(clinic, plan):
    series = book(plan, weekly(MONDAY_10, 6))

    appointments = Appointment.objects.filter(series_member__series=series).order_by("start")
    assert [a.start for a in appointments] == weekly(MONDAY_10, 6)
    assert {(a.client, a.therapist, a.service, a.status) for a in appointments} == {
        (plan.client, plan.therapist, plan.service, "booked")
    }
    assert series.plan == plan and series.booked_by == plan.client
    progress = plan_progress(plan)
    assert (progress.sessions_booked_ahead, progress.sessions_to_book) == (6, 0)
    assert progress.next_session.start == MONDAY_10
    # Each session has its own confirmation (with its calendar file) and reminder.
    assert Message.objects.filter(kind=Message.Kind.CONFIRMATION).count() == 6


def test_a_series_with_one_taken_session_books_nothing_and_says_which_session(
    clinic, plan, therapist, service
):
    other = AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=2))

    with pytest.raises(SeriesRefused) as refused:
        book(plan, weekly(MONDAY_10, 4))

    assert refused.value.index == 2
    assert refused.value.start == MONDAY_10 + timedelta(weeks=2)
    assert isinstance(refused.value.refusal, SlotUnavailable)
    assert refused.value.message.startswith("Session 3: Sorry, that time is no longer available")
    alternatives = refused.value.alternatives
    assert alternatives and all(
        date(2026, 12, 21) <= s.start.date() <= date(2026, 12, 27) for s in alternatives
    )
    assert list(Appointment.objects.all()) == [other]
    assert not Series.objects.exists() and not SeriesAppointment.objects.exists()
    assert not Message.objects.exists()


def test_a_series_cannot_book_more_sessions_than_the_plan_has_left(clinic, plan):
    book(plan, weekly(MONDAY_10, 4))

    with pytest.raises(Exception, match="The plan has 2 sessions left to book"):
        book(plan, weekly(MONDAY_10 + timedelta(hours=4), 3))

    assert Appointment.objects.count() == 4


def test_a_red_flagged_client_cannot_book_a_series(clinic, plan):
    submit_intake(plan.client, saddle_numbness=True)

    with pytest.raises(IntakeRequired) as refused:
        book(plan, weekly(MONDAY_10, 3), red_flags=nothing_new())

    assert refused.value.outcome == "EMERGENCY"
    assert not Appointment.objects.filter(client=plan.client, status="booked").exists()
    assert not Series.objects.exists()


def test_the_recheck_is_asked_once_for_the_series_and_a_new_answer_stored_once(clinic, plan):
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        with pytest.raises(RecheckRequired):
            book(plan, weekly(MONDAY_10, 3))
        intakes_before = Intake.objects.filter(client=plan.client).count()

        book(plan, weekly(MONDAY_10, 3), red_flags=nothing_new(numbness_tingling=True, pain_score=7))

    assert Intake.objects.filter(client=plan.client).count() == intakes_before + 1
    assert Appointment.objects.filter(client=plan.client).count() == 3


def test_a_recheck_that_raises_a_red_flag_stays_on_record_though_the_series_is_refused(clinic, plan):
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        with pytest.raises(IntakeRequired):
            book(plan, weekly(MONDAY_10, 3), red_flags=nothing_new(bladder_bowel_change=True))

    assert Intake.objects.filter(client=plan.client).latest("created_at").outcome == "EMERGENCY"
    assert not Appointment.objects.filter(client=plan.client).exists()


def test_another_client_cannot_book_a_clients_plan(clinic, plan):
    stranger = UserFactory()

    with pytest.raises(Exception, match="Only the client or the clinic"):
        series_book(
            client=plan.client,
            therapist=plan.therapist,
            service=plan.service,
            starts=[MONDAY_10],
            plan=plan,
            booked_by=stranger,
        )


def test_the_front_desk_books_a_series_for_a_client(clinic, plan, front_desk_user):
    series = book(plan, weekly(MONDAY_10, 2), booked_by=front_desk_user)

    assert set(Appointment.objects.values_list("booked_by", flat=True)) == {front_desk_user.pk}
    assert series.booked_by == front_desk_user


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_one_session_leaves_the_others_booked(clinic, plan):
    series = book(plan, weekly(MONDAY_10, 3))
    second = Appointment.objects.get(start=MONDAY_10 + timedelta(weeks=1))

    appointment_cancel(appointment=second, by=plan.client)

    statuses = dict(Appointment.objects.filter(series_member__series=series).values_list("start", "status"))
    assert list(statuses.values()) == ["booked", "cancelled", "booked"]
    assert plan_progress(plan).sessions_to_book == 4


def test_a_client_cancelling_the_series_cancels_what_is_still_changeable_online(clinic, plan):
    series = book(plan, weekly(MONDAY_10, 3))

    with time_machine.travel(MONDAY_10 - timedelta(hours=10), tick=False):  # inside the 24 hours
        result = series_cancel(series=series, by=plan.client)

    assert [a.start for a in result.cancelled] == weekly(MONDAY_10, 3)[1:]
    assert [a.start for a in result.kept] == [MONDAY_10]
    assert Appointment.objects.get(start=MONDAY_10).status == "booked"


def test_the_desk_cancelling_a_series_cancels_every_session_still_to_come(clinic, plan, front_desk_user):
    series = book(plan, weekly(MONDAY_10, 3))
    first = Appointment.objects.get(start=MONDAY_10)
    first.status = Appointment.Status.COMPLETED
    first.save()

    with time_machine.travel(MONDAY_10 + timedelta(days=6, hours=10), tick=False):  # the next on Monday
        result = series_cancel(series=series, by=front_desk_user)

    assert len(result.cancelled) == 2 and result.kept == []
    assert list(Appointment.objects.order_by("start").values_list("status", flat=True)) == [
        "completed",
        "cancelled",
        "cancelled",
    ]


def test_a_client_cannot_cancel_another_clients_series(clinic, plan):
    series = book(plan, weekly(MONDAY_10, 2))

    with pytest.raises(Exception, match="Only the client or the clinic"):
        series_cancel(series=series, by=UserFactory())

    assert Appointment.objects.filter(status="booked").count() == 2
