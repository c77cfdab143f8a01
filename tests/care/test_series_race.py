import threading
from datetime import timedelta

import pytest
from django.db import connection

from bookings.errors import SlotUnavailable
from bookings.models import Appointment
from care.errors import SeriesRefused
from care.models import Series, SeriesAppointment
from care.services import series_book
from tests.factories import TreatmentPlanFactory, UserFactory, submit_intake

from .conftest import MONDAY_10

RACERS = 6


@pytest.mark.django_db(transaction=True)
def test_series_racing_for_overlapping_times_end_with_one_series_and_no_partial_booking(
    clinic, service, therapist
):
    clients = [UserFactory() for _ in range(RACERS)]
    plans = []
    for each in clients:
        submit_intake(each)
        plans.append(TreatmentPlanFactory(client=each, therapist=therapist, service=service))
    # Every series is 4 weekly sessions. Half want Mondays at 10:00; the others want free Tuesdays
    # for three weeks and a last Monday that overlaps the 10:00 series' last session: a series
    # that is not all-or-none would leave its first three sessions behind.
    mondays = [MONDAY_10 + timedelta(weeks=k) for k in range(4)]
    tuesdays = [MONDAY_10 + timedelta(days=1, weeks=k) for k in range(3)]
    wanted = [
        mondays if i % 2 == 0 else [*tuesdays, mondays[3] + timedelta(minutes=15 * (i % 4 + 1))]
        for i in range(RACERS)
    ]
    start_together = threading.Barrier(RACERS)
    outcomes: list[object] = [None] * RACERS

    def book(i: int) -> None:
        try:
            start_together.wait()
            outcomes[i] = series_book(
                client=clients[i],
                therapist=therapist,
                service=service,
                starts=wanted[i],
                plan=plans[i],
                booked_by=clients[i],
            )
        except Exception as error:  # noqa: BLE001 - every outcome is inspected below
            outcomes[i] = error
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=book, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [o for o in outcomes if isinstance(o, Series)]
    losers = [o for o in outcomes if isinstance(o, SeriesRefused)]
    assert len(winners) == 1, outcomes
    assert len(losers) == RACERS - 1, outcomes
    assert all(isinstance(loser.refusal, SlotUnavailable) for loser in losers)
    winner = winners[0]
    booked = Appointment.objects.filter(therapist=therapist, status="booked")
    assert booked.count() == 4
    assert set(booked.values_list("client", flat=True)) == {winner.client_id}
    assert Series.objects.count() == 1
    assert SeriesAppointment.objects.filter(series=winner).count() == 4
