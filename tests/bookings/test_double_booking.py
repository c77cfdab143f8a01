import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from bookings.errors import SlotUnavailable
from bookings.models import Appointment
from bookings.services import appointment_book
from tests.factories import TherapistFactory, UserFactory, submit_intake

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
CLIENTS = 24


@pytest.mark.django_db(transaction=True)
def test_booking_the_same_and_overlapping_slots_at_once_creates_one_appointment(clinic, service, therapist):
    clients = [UserFactory() for _ in range(CLIENTS)]
    for each in clients:
        submit_intake(each, at=NOW)
    # Half ask for 10:00, the rest for times that overlap it (10:15 ... 10:45).
    starts = [MONDAY_10 + timedelta(minutes=15 * (i % 4)) if i % 2 else MONDAY_10 for i in range(CLIENTS)]
    start_together = threading.Barrier(CLIENTS)
    outcomes: list[object] = [None] * CLIENTS

    def book(i: int) -> None:
        try:
            start_together.wait()
            outcomes[i] = appointment_book(
                client=clients[i], therapist=therapist, service=service, start=starts[i]
            )
        except Exception as error:  # noqa: BLE001 - every outcome is inspected below
            outcomes[i] = error
        finally:
            connection.close()  # each thread had its own connection

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=book, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    winners = [o for o in outcomes if isinstance(o, Appointment)]
    losers = [o for o in outcomes if isinstance(o, SlotUnavailable)]
    assert len(winners) == 1
    assert len(losers) == CLIENTS - 1, [
        o for o in outcomes if not isinstance(o, Appointment | SlotUnavailable)
    ]
    assert all("no longer available" in loser.message and loser.alternatives for loser in losers)
    assert Appointment.objects.filter(therapist=therapist).count() == 1


ANYONE_CLIENTS = 12


@pytest.mark.django_db(transaction=True)
def test_booking_anyone_at_once_gives_each_free_therapist_one_appointment_and_refuses_the_rest(
    clinic, service
):
    therapists = [TherapistFactory(services=[service]) for _ in range(3)]
    clients = [UserFactory() for _ in range(ANYONE_CLIENTS)]
    for each in clients:
        submit_intake(each, at=NOW)
    start_together = threading.Barrier(ANYONE_CLIENTS)
    outcomes: list[object] = [None] * ANYONE_CLIENTS

    def book(i: int) -> None:
        try:
            start_together.wait()
            outcomes[i] = appointment_book(
                client=clients[i], therapist=None, service=service, start=MONDAY_10
            )
        except Exception as error:  # noqa: BLE001 - every outcome is inspected below
            outcomes[i] = error
        finally:
            connection.close()  # each thread had its own connection

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=book, args=(i,)) for i in range(ANYONE_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    winners = [o for o in outcomes if isinstance(o, Appointment)]
    losers = [o for o in outcomes if isinstance(o, SlotUnavailable)]
    assert len(winners) == 3, outcomes
    assert len(losers) == ANYONE_CLIENTS - 3, [
        o for o in outcomes if not isinstance(o, Appointment | SlotUnavailable)
    ]
    assert sorted(w.therapist_id for w in winners) == sorted(t.pk for t in therapists)
    assert all(
        loser.alternatives and MONDAY_10 not in [s.start for s in loser.alternatives] for loser in losers
    )
    assert Appointment.objects.filter(start=MONDAY_10).count() == 3
