"""Desks issuing receipts at the same moment, each thread on its own database connection."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from documents.models import Receipt
from tests.factories import AppointmentFactory, UserFactory
from tests.workspace.data import THURSDAY_10

from .conftest import pay

DESKS = 8


class RolledBack(Exception):
    pass


def race(jobs):
    """Run each job in its own thread, all released at once; return what each returned or raised."""
    start_together = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(i):
        try:
            start_together.wait()
            outcomes[i] = jobs[i]()
        except Exception as error:  # noqa: BLE001 - every outcome is inspected by the test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def sessions(count, *, therapist, service):
    clients = [UserFactory() for _ in range(count)]
    return [
        AppointmentFactory(
            client=each, therapist=therapist, service=service, start=THURSDAY_10 - timedelta(days=i)
        )
        for i, each in enumerate(clients)
    ]


@pytest.mark.django_db(transaction=True)
def test_desks_issuing_receipts_at_once_get_consecutive_distinct_numbers(
    clinic, service, therapist, front_desk_user
):
    appointments = sessions(DESKS, therapist=therapist, service=service)

    outcomes = race([lambda a=a: pay(a, by=front_desk_user) for a in appointments])

    assert all(isinstance(each, Receipt) for each in outcomes), outcomes
    assert sorted(receipt.number for receipt in outcomes) == list(range(1, DESKS + 1))


@pytest.mark.django_db(transaction=True)
def test_a_receipt_rolled_back_mid_race_leaves_no_gap_in_the_numbers(
    clinic, service, therapist, front_desk_user
):
    appointments = sessions(DESKS, therapist=therapist, service=service)

    def issue_then_fail():
        with transaction.atomic():
            pay(appointments[0], by=front_desk_user)  # takes a number...
            raise RolledBack  # ...and the sale falls through

    jobs = [issue_then_fail] + [lambda a=a: pay(a, by=front_desk_user) for a in appointments[1:]]
    outcomes = race(jobs)

    assert isinstance(outcomes[0], RolledBack)
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, DESKS))


@pytest.mark.django_db(transaction=True)
def test_two_desks_taking_the_same_payment_at_once_issue_one_receipt(
    clinic, service, therapist, front_desk_user
):
    (appointment,) = sessions(1, therapist=therapist, service=service)

    outcomes = race([lambda: pay(appointment, by=front_desk_user, amount=str(Decimal(65)))] * 2)

    assert sorted(type(each).__name__ for each in outcomes) == ["Receipt", "ValidationError"]
    assert isinstance(next(o for o in outcomes if not isinstance(o, Receipt)), ValidationError)
    assert Receipt.objects.count() == 1
