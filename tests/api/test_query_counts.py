"""What the API's busiest answers cost the database: booking, and free slots with or without a name."""

import pytest

from tests.factories import TherapistFactory, nothing_new

MONDAY_10 = "2026-12-07T10:00:00+00:00"


@pytest.fixture
def booking(service, therapist):
    return {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10, "red_flags": nothing_new()}


def test_booking_a_named_therapist_costs_thirteen_queries(client_api, booking, django_assert_num_queries):
    # The session and the user; the service, asked with whether the therapist exists; the clinic,
    # read once for the booking and the answer's time zone; the service's other nine
    # (bookings/test_booking_cost.py).
    with django_assert_num_queries(13):
        response = client_api.post("/appointments", booking)

    assert response.status_code == 201


def test_booking_anyone_costs_seventeen_queries(client_api, booking, service, django_assert_num_queries):
    TherapistFactory(services=[service])

    with django_assert_num_queries(17):
        response = client_api.post("/appointments", {**booking, "therapist": None})

    assert response.status_code == 201


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "client"])
def test_free_slots_for_one_therapist_cost_no_more_queries_than_for_anyone(
    anonymous_api, client_api, service, therapist, signed_in, django_assert_num_queries
):
    TherapistFactory(services=[service])
    api = client_api if signed_in else anonymous_api
    window = {"service": service.pk, "start": "2026-12-07", "end": "2027-01-03"}
    # The service (with whether the therapist exists), the clinic, free_slots' three; for a
    # signed-in client, the session, the user and their standing, for the slots their cautions
    # allow (bookings.cautions), under the clinic already read.
    expected = 8 if signed_in else 5

    with django_assert_num_queries(expected):
        anyone = api.get("/availability", window)
    with django_assert_num_queries(expected):
        named = api.get("/availability", {**window, "therapist": therapist.pk})

    assert anyone.status_code == named.status_code == 200
    assert {slot["therapist"] for slot in named.json()["slots"]} == {therapist.pk}
