"""What one booking costs the database, and where a taken time's alternatives are looked up."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bookings import alternatives, services
from bookings.errors import BookingRefused, IntakeRequired, SlotUnavailable
from bookings.models import Appointment, WorkingHours
from bookings.services import appointment_book, appointment_reschedule
from intake.models import Intake
from intake.triage import Outcome
from notifications.models import Message
from tests.factories import (
    AppointmentFactory,
    TherapistFactory,
    UserFactory,
    completed_sessions,
    nothing_new,
    submit_intake,
)
from tests.plans import rows_read

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alternatives_looked_up(monkeypatch):
    """For each time alternatives are looked up: was a transaction open then?"""
    seen: list[bool] = []
    free_slots = alternatives.free_slots

    def spy(**kwargs):
        seen.append(connection.in_atomic_block)
        return free_slots(**kwargs)

    monkeypatch.setattr(alternatives, "free_slots", spy)
    return seen


def test_booking_a_named_therapist_costs_ten_queries(
    clinic, service, therapist, client_user, django_assert_num_queries
):
    # The clinic; then, in the booking's transaction (a savepoint here, inside the test's), the
    # client's lock, the gate (one read of the standing, which the re-check is compared with),
    # the therapist's lock, one recount (closure, diaries, hours, time off), the appointment and
    # the outbox (settings, rows).
    with django_assert_num_queries(10):
        appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10, red_flags=nothing_new()
        )


def test_booking_anyone_costs_fourteen_queries(
    clinic, service, therapist, client_user, django_assert_num_queries
):
    TherapistFactory(services=[service])
    # As above, but the recount before assigning asks only about the time and the client's
    # diary; then every candidate's lock, free_slots for the day (3) and the day's bookings.
    with django_assert_num_queries(14):
        appointment = appointment_book(
            client=client_user, therapist=None, service=service, start=MONDAY_10, red_flags=nothing_new()
        )

    assert appointment.therapist is not None


def test_a_recheck_with_something_new_is_still_recorded_before_the_booking_refuses(
    clinic, service, therapist, client_user
):
    with pytest.raises(IntakeRequired):
        appointment_book(
            client=client_user,
            therapist=therapist,
            service=service,
            start=MONDAY_10,
            red_flags=nothing_new(saddle_numbness=True),
        )

    assert Intake.objects.filter(client=client_user).count() == 2
    assert not Appointment.objects.exists()


def test_a_recheck_reporting_a_new_caution_is_recorded_and_the_booking_goes_ahead_under_it(
    clinic, service, therapist, client_user
):
    appointment = appointment_book(
        client=client_user,
        therapist=therapist,
        service=service,
        start=MONDAY_10,
        red_flags=nothing_new(leg_weakness="mild"),
    )

    newest = Intake.objects.filter(client=client_user).latest("created_at", "pk")
    assert newest.outcome == Outcome.CAUTION
    # The gate read again after the re-check: the therapist is told of the new caution.
    assert Message.objects.filter(kind=Message.Kind.CAUTION_BOOKED, appointment=appointment).exists()


def test_a_blocked_client_is_refused_before_their_recheck_is_looked_at(
    clinic, service, therapist, client_user
):
    submit_intake(client_user, saddle_numbness=True)

    with pytest.raises(IntakeRequired):
        appointment_book(
            client=client_user,
            therapist=therapist,
            service=service,
            start=MONDAY_10,
            red_flags={"nonsense": 1},
        )

    assert Intake.objects.filter(client=client_user).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_taken_time_looks_up_its_alternatives_after_the_transaction_has_ended(
    clinic, service, therapist, client_user, alternatives_looked_up
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as refused:
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert refused.value.alternatives
    assert alternatives_looked_up == [False]


@pytest.mark.django_db(transaction=True)
def test_anyone_with_nobody_free_looks_up_alternatives_after_the_transaction_has_ended(
    clinic, service, therapist, client_user, alternatives_looked_up
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as refused:
        appointment_book(client=client_user, therapist=None, service=service, start=MONDAY_10)

    assert refused.value.alternatives
    assert alternatives_looked_up == [False]


@pytest.mark.django_db(transaction=True)
def test_moving_onto_a_taken_time_looks_up_alternatives_after_the_transaction_has_ended(
    clinic, service, therapist, client_user, alternatives_looked_up
):
    mine = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=4))

    with pytest.raises(SlotUnavailable) as refused:
        appointment_reschedule(appointment=mine, start=MONDAY_10 + timedelta(hours=4), by=client_user)

    assert refused.value.alternatives
    assert alternatives_looked_up == [False]


@pytest.mark.django_db(transaction=True)
def test_a_refusal_inside_a_callers_transaction_looks_up_nothing_until_it_is_read(
    clinic, service, therapist, client_user, alternatives_looked_up
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as refused, transaction.atomic():  # as a series books its sessions
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    assert alternatives_looked_up == []

    assert refused.value.alternatives
    assert alternatives_looked_up == [False]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_when_the_recount_misses_a_booking_the_constraint_refuses_and_alternatives_come_after(
    clinic, service, therapist, client_user, alternatives_looked_up, monkeypatch
):
    # As if the other booking committed between the recount and the insert.
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)
    monkeypatch.setattr(services, "_check_bookable", lambda **kwargs: None)

    with pytest.raises(SlotUnavailable) as refused:
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert refused.value.alternatives
    assert alternatives_looked_up == [False]
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_a_taken_time_undoes_only_that_booking(
    clinic, service, therapist, client_user
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with transaction.atomic():
        first = appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=2)
        )
        with pytest.raises(SlotUnavailable) as refused:
            appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
        assert refused.value.alternatives  # looked up in the caller's transaction, still usable
        second = appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=4)
        )

    assert set(Appointment.objects.filter(client=client_user)) == {first, second}


@pytest.mark.django_db(transaction=True)
def test_a_taken_time_that_reaches_the_callers_transaction_undoes_all_of_it(
    clinic, service, therapist, client_user
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable), transaction.atomic():
        appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=2)
        )
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert not Appointment.objects.filter(client=client_user).exists()


@pytest.mark.parametrize(
    ("local_start", "bookable"),
    [((10, 0), True), ((12, 0), True), ((12, 30), False), ((8, 30), False)],
)
def test_on_the_day_the_clocks_change_working_hours_are_still_matched_in_local_time(
    clinic, service, local_start, bookable
):
    # Sunday 28 March 2027: London goes from GMT to BST at 01:00. She works 09:00-13:00 that day.
    sunday = datetime(2027, 3, 28, tzinfo=clinic.tz)
    therapist = TherapistFactory(services=[service], weekly_hours=[])
    WorkingHours.objects.create(therapist=therapist, weekday=6, start_time=time(9), end_time=time(13))
    now = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)
    client = UserFactory()
    submit_intake(client, at=now)
    start = sunday.replace(hour=local_start[0], minute=local_start[1])

    def book() -> Appointment:
        return appointment_book(client=client, therapist=therapist, service=service, start=start, now=now)

    if bookable:
        assert book().start == start
    else:
        with pytest.raises(BookingRefused, match="isn't working"):
            book()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.django_db
def test_the_recount_reads_the_therapists_appointments_still_to_come_not_their_years_of_history(
    clinic, service, therapist
):
    """Three years of a therapist's past sessions, and the recount of a booking next week still
    reads a handful of rows: the index on (therapist, blocked_until) starts at the new time."""
    client = UserFactory()
    submit_intake(client, at=NOW)
    past = [MONDAY_10 - timedelta(days=day, hours=hour) for day in range(7, 3 * 365, 2) for hour in (0, 3)]
    assert completed_sessions(client=client, therapist=therapist, service=service, starts=past) > 1000

    with CaptureQueriesContext(connection) as booking:
        appointment_book(
            client=client, therapist=therapist, service=service, start=MONDAY_10, red_flags=nothing_new()
        )

    (recount,) = [query["sql"] for query in booking.captured_queries if "bookings_closure" in query["sql"]]
    assert rows_read(recount, "bookings_appointment") < 20
