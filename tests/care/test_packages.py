from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from bookings.services import appointment_book, appointment_cancel
from care.packages import package_paying_for, package_remaining, package_sessions_left
from care.services import package_sell, series_book
from tests.factories import AppointmentFactory, PackageFactory, ServiceFactory

from .conftest import MONDAY_10, NOW


@pytest.fixture
def five_sessions(service):
    return PackageFactory(service=service, sessions=5, valid_days=30, price=Decimal("300.00"))


def sell(package, client, by, **kwargs):
    return package_sell(
        client=client,
        package=package,
        payment_method=kwargs.pop("payment_method", "card"),
        amount_paid=kwargs.pop("amount_paid", Decimal("300.00")),
        by=by,
        **kwargs,
    )


def test_the_desk_sells_a_package_valid_for_its_days(clinic, five_sessions, client_user, front_desk_user):
    purchase = sell(five_sessions, client_user, front_desk_user)

    assert (purchase.sessions, purchase.amount_paid, purchase.payment_method) == (
        5,
        Decimal("300.00"),
        "card",
    )
    assert purchase.expires_on == date(2027, 1, 3)
    assert purchase.sold_by == front_desk_user and purchase.sold_at == NOW
    [balance] = package_remaining(client_user)
    assert (balance.sessions, balance.used, balance.remaining) == (5, 0, 5)


@pytest.mark.parametrize("who", ["client", "therapist"])
def test_only_the_desk_and_admins_sell_packages(clinic, five_sessions, client_user, therapist, who):
    by = client_user if who == "client" else therapist.user

    with pytest.raises(PermissionDenied):
        sell(five_sessions, client_user, by)


def test_a_package_no_longer_sold_or_a_bad_amount_is_refused_by_field(
    clinic, five_sessions, client_user, front_desk_user
):
    five_sessions.is_active = False
    five_sessions.save()

    with pytest.raises(ValidationError) as refused:
        sell(five_sessions, client_user, front_desk_user, amount_paid=Decimal("-1"), payment_method="barter")

    assert set(refused.value.message_dict) == {"package", "amount_paid", "payment_method"}


def test_each_booked_session_of_the_service_draws_from_the_package_and_a_cancellation_gives_it_back(
    clinic, five_sessions, service, therapist, client_user, front_desk_user
):
    sell(five_sessions, client_user, front_desk_user)
    single = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    series_book(
        client=client_user,
        therapist=therapist,
        service=service,
        starts=[MONDAY_10 + timedelta(weeks=k) for k in (1, 2)],
        booked_by=client_user,
    )
    AppointmentFactory(client=client_user, service=ServiceFactory(), start=MONDAY_10 + timedelta(days=1))

    [balance] = package_remaining(client_user)
    assert (balance.used, balance.booked_ahead, balance.remaining) == (3, 3, 2)

    appointment_cancel(appointment=single, by=client_user)

    [balance] = package_remaining(client_user)
    assert (balance.used, balance.remaining) == (2, 3)
    assert package_paying_for(single) is None


def test_the_oldest_purchase_pays_first_and_a_session_after_expiry_is_not_covered(
    clinic, five_sessions, service, therapist, client_user, front_desk_user
):
    older = sell(PackageFactory(service=service, sessions=2, valid_days=10), client_user, front_desk_user)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        newer = sell(five_sessions, client_user, front_desk_user)
    starts = [MONDAY_10 + timedelta(weeks=k) for k in range(4)]  # 7, 14, 21, 28 December
    for start in starts:
        AppointmentFactory(client=client_user, therapist=therapist, service=service, start=start)

    balances = {b.purchase: b for b in package_remaining(client_user)}

    assert older.expires_on == date(2026, 12, 14)
    assert balances[older].used == 2  # the 7th and the 14th
    assert balances[newer].used == 2  # the 21st and the 28th
    assert package_sessions_left(client_user) == 3


def test_a_session_before_the_sale_or_after_expiry_draws_nothing(
    clinic, five_sessions, service, therapist, client_user, front_desk_user
):
    AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=NOW - timedelta(days=2)
    )
    purchase = sell(five_sessions, client_user, front_desk_user)
    AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(days=40)
    )

    [balance] = package_remaining(client_user)

    assert balance.used == 0 and purchase.expires_on < (MONDAY_10 + timedelta(days=40)).date()


def test_a_missed_session_still_uses_its_package_session(
    clinic, five_sessions, service, therapist, client_user, front_desk_user
):
    sell(five_sessions, client_user, front_desk_user)
    AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=service,
        start=NOW + timedelta(hours=3),
        status="no_show",
    )

    [balance] = package_remaining(client_user)

    assert (balance.used, balance.booked_ahead) == (1, 0)


def test_a_package_runs_out_after_its_sessions(clinic, service, therapist, client_user, front_desk_user):
    sell(PackageFactory(service=service, sessions=2), client_user, front_desk_user)
    appointments = [
        AppointmentFactory(
            client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=k)
        )
        for k in range(3)
    ]

    [balance] = package_remaining(client_user)

    assert balance.remaining == 0
    assert balance.appointment_ids == tuple(a.pk for a in appointments[:2])
    assert package_paying_for(appointments[2]) is None
