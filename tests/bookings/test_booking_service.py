from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection

from bookings.errors import BookingRefused, CancellationWindowClosed, SlotUnavailable
from bookings.models import Appointment, Closure, TimeOff
from bookings.services import (
    appointment_book,
    appointment_cancel,
    appointment_record_attendance,
    appointment_reschedule,
)
from tests.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    answer_pre_visit_check,
    submit_intake,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def test_booking_a_free_slot_creates_a_booked_appointment(clinic, service, therapist, client_user):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.end == MONDAY_10 + timedelta(minutes=60)
    assert appointment.blocked_until == MONDAY_10 + timedelta(minutes=75)
    assert Appointment.objects.count() == 1


def test_booking_a_taken_slot_offers_nearby_alternatives(clinic, service, therapist, client_user):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as refused:
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert "no longer available" in refused.value.message
    assert refused.value.alternatives
    assert all(slot.therapist_id == therapist.pk for slot in refused.value.alternatives)
    assert MONDAY_10 not in [slot.start for slot in refused.value.alternatives]
    assert Appointment.objects.count() == 1


def test_booking_into_another_appointments_buffer_is_refused(clinic, service, therapist, client_user):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(minutes=60)
        )


@pytest.mark.parametrize(
    "neighbour",
    [
        "appointment after",
        "appointment before",
        "time off after",
        "time off before",
        "own appointment before",
    ],
)
def test_a_booking_may_meet_its_neighbours_exactly(clinic, service, therapist, client_user, neighbour):
    # The booking runs 10:00-11:00 and keeps the therapist until 11:15 (its buffer).
    if neighbour == "appointment after":
        AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(minutes=75))
    elif neighbour == "appointment before":  # 08:45-09:45, buffer until 10:00
        AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 - timedelta(minutes=75))
    elif neighbour == "time off after":
        TimeOff.objects.create(
            therapist=therapist, start=MONDAY_10 + timedelta(hours=1), end=MONDAY_10 + timedelta(hours=2)
        )
    elif neighbour == "time off before":
        TimeOff.objects.create(therapist=therapist, start=MONDAY_10 - timedelta(hours=1), end=MONDAY_10)
    else:
        other = TherapistFactory(services=[service])
        AppointmentFactory(
            client=client_user, therapist=other, service=service, start=MONDAY_10 - timedelta(hours=1)
        )

    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert appointment.start == MONDAY_10


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), "already passed"),
        (datetime(2026, 12, 4, 10, 0, tzinfo=UTC), "2 hours' notice"),
        (datetime(2027, 6, 7, 10, 0, tzinfo=UTC), "up to 60 days ahead"),
        (datetime(2026, 12, 7, 10, 5, tzinfo=UTC), "15-minute grid"),
        (datetime(2026, 12, 7, 7, 0, tzinfo=UTC), "isn't working"),
        (datetime(2026, 12, 7, 12, 30, tzinfo=UTC), "isn't working"),  # runs into lunch
        (datetime(2026, 12, 6, 10, 0, tzinfo=UTC), "isn't working"),  # Sunday
    ],
)
def test_unbookable_times_are_refused_with_a_clear_message(
    clinic, service, therapist, client_user, start, message
):
    with pytest.raises(BookingRefused) as refused:
        appointment_book(client=client_user, therapist=therapist, service=service, start=start)

    assert message in refused.value.message
    assert not Appointment.objects.exists()


def test_a_service_the_therapist_does_not_offer_is_refused(clinic, therapist, client_user):
    swedish = ServiceFactory(name="Swedish")

    with pytest.raises(BookingRefused, match="doesn't offer Swedish"):
        appointment_book(client=client_user, therapist=therapist, service=swedish, start=MONDAY_10)


def test_time_off_and_closures_are_refused(clinic, service, therapist, client_user):
    TimeOff.objects.create(therapist=therapist, start=MONDAY_10, end=MONDAY_10 + timedelta(hours=2))
    Closure.objects.create(date=date(2026, 12, 8))

    with pytest.raises(BookingRefused, match="away"):
        appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    with pytest.raises(BookingRefused, match="closed"):
        appointment_book(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(days=1)
        )


def test_a_client_cannot_overlap_their_own_appointment_with_another_therapist(
    clinic, service, therapist, client_user
):
    other = TherapistFactory(services=[service])
    appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(BookingRefused, match="already have an appointment"):
        appointment_book(
            client=client_user, therapist=other, service=service, start=MONDAY_10 + timedelta(minutes=30)
        )


def test_naive_start_times_are_refused(clinic, service, therapist, client_user):
    with pytest.raises(BookingRefused, match="time zone"):
        appointment_book(
            client=client_user,
            therapist=therapist,
            service=service,
            start=datetime.combine(date(2026, 12, 7), time(10)),  # noqa: DTZ001
        )


def test_cancelling_frees_the_slot_for_someone_else(clinic, service, therapist, client_user):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    appointment_cancel(appointment=appointment, by=client_user)

    other_client = UserFactory()
    submit_intake(other_client)
    appointment_book(client=other_client, therapist=therapist, service=service, start=MONDAY_10)
    assert Appointment.objects.filter(status=Appointment.Status.BOOKED).count() == 1


def test_cancelling_inside_the_window_is_refused_with_the_clinic_phone(
    clinic, service, therapist, client_user
):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    with time_machine.travel(MONDAY_10 - timedelta(hours=3), tick=False):
        with pytest.raises(CancellationWindowClosed) as refused:
            appointment_cancel(appointment=appointment, by=client_user)

    assert clinic.phone in refused.value.message
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_front_desk_can_cancel_inside_the_window(clinic, service, therapist, client_user, front_desk_user):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    with time_machine.travel(MONDAY_10 - timedelta(hours=3), tick=False):
        appointment_cancel(appointment=appointment, by=front_desk_user)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_rescheduling_moves_the_appointment_and_may_overlap_its_old_time(
    clinic, service, therapist, client_user
):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    moved = appointment_reschedule(
        appointment=appointment, start=MONDAY_10 + timedelta(minutes=30), by=client_user
    )

    assert moved.pk == appointment.pk
    assert moved.start == MONDAY_10 + timedelta(minutes=30)
    assert Appointment.objects.count() == 1


def test_rescheduling_onto_a_taken_slot_leaves_the_appointment_where_it_was(
    clinic, service, therapist, client_user
):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=4))

    with pytest.raises(SlotUnavailable):
        appointment_reschedule(appointment=appointment, start=MONDAY_10 + timedelta(hours=4), by=client_user)

    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")
def test_the_database_refuses_overlapping_appointments_whatever_the_code_does(clinic, service, therapist):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(IntegrityError, match="appointment_no_overlap_per_therapist"):
        AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(minutes=70))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")
def test_the_database_allows_a_cancelled_appointment_under_a_new_one(clinic, service, therapist):
    AppointmentFactory(
        therapist=therapist, service=service, start=MONDAY_10, status=Appointment.Status.CANCELLED
    )

    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    assert Appointment.objects.count() == 2


def test_an_appointment_is_marked_completed_once_it_has_started(clinic, service, therapist, client_user):
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    with pytest.raises(BookingRefused, match="once it has started"):
        appointment_record_attendance(appointment=appointment, status="completed", by=therapist.user)
    answer_pre_visit_check(appointment)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=65), tick=False):
        appointment_record_attendance(appointment=appointment, status="completed", by=therapist.user)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
