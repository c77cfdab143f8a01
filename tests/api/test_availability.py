from datetime import UTC, datetime, time

import time_machine

from bookings.models import Appointment
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory

from .conftest import MONDAY


def availability(api, **params):
    return api.get("/availability", params)


def test_availability_lists_slots_in_the_clinics_zone_sorted_by_start(anonymous_api, service, therapist):
    response = availability(anonymous_api, service=service.pk, start=MONDAY, end=MONDAY)

    assert response.status_code == 200
    body = response.json()
    assert body["time_zone"] == "Europe/London"
    assert body["slots"][0] == {
        "therapist": therapist.pk,
        "start": "2026-12-07T09:00:00+00:00",
        "end": "2026-12-07T10:00:00+00:00",
    }
    assert body["slots"][-1]["start"] == "2026-12-07T17:00:00+00:00"
    starts = [slot["start"] for slot in body["slots"]]
    assert starts == sorted(starts)
    assert "2026-12-07T12:15:00+00:00" not in starts  # would run into lunch


def test_availability_in_summer_carries_the_british_summer_time_offset(anonymous_api, service, therapist):
    with time_machine.travel(datetime(2027, 6, 4, 9, 0, tzinfo=UTC), tick=False):
        response = availability(anonymous_api, service=service.pk, start="2027-06-07", end="2027-06-07")

    assert response.json()["slots"][0]["start"] == "2027-06-07T09:00:00+01:00"


def test_availability_leaves_out_booked_time(anonymous_api, service, therapist):
    AppointmentFactory(therapist=therapist, service=service, start=datetime(2026, 12, 7, 10, 0, tzinfo=UTC))

    starts = [
        slot["start"]
        for slot in availability(anonymous_api, service=service.pk, start=MONDAY, end=MONDAY).json()["slots"]
    ]

    assert "2026-12-07T10:00:00+00:00" not in starts
    assert starts[0] == "2026-12-07T11:15:00+00:00"


def test_availability_without_a_therapist_offers_everyone_and_with_one_only_them(
    anonymous_api, service, therapist
):
    morning_only = TherapistFactory(services=[service], weekly_hours=[(time(9), time(12))])

    everyone = availability(anonymous_api, service=service.pk, start=MONDAY, end=MONDAY).json()["slots"]
    just_one = availability(
        anonymous_api, service=service.pk, therapist=morning_only.pk, start=MONDAY, end=MONDAY
    ).json()["slots"]

    assert {slot["therapist"] for slot in everyone} == {therapist.pk, morning_only.pk}
    assert {slot["therapist"] for slot in just_one} == {morning_only.pk}
    assert just_one[-1]["start"] == "2026-12-07T11:00:00+00:00"


def test_availability_allows_62_days_at_once(anonymous_api, service, therapist):
    response = availability(anonymous_api, service=service.pk, start="2026-12-05", end="2027-02-04")

    assert response.status_code == 200
    assert response.json()["slots"]


def test_availability_refuses_more_than_62_days_at_once(anonymous_api, service, therapist):
    response = availability(anonymous_api, service=service.pk, start="2026-12-05", end="2027-02-05")

    assert response.status_code == 422
    assert response.json()["errors"] == {"end": ["Ask for at most 62 days at a time."]}
    assert "62 days" in response.json()["detail"]


def test_availability_refuses_an_end_before_the_start(anonymous_api, service, therapist):
    response = availability(anonymous_api, service=service.pk, start="2026-12-08", end="2026-12-07")

    assert response.status_code == 422
    assert response.json()["detail"].startswith("end:")


def test_availability_for_an_unknown_or_retired_service_names_the_field(anonymous_api, service, therapist):
    retired = ServiceFactory(is_active=False)

    for service_id in (retired.pk, 987654):
        response = availability(anonymous_api, service=service_id, start=MONDAY, end=MONDAY)

        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["service"]
        assert response.json()["detail"] == f"service: There is no service with id {service_id}."


def test_availability_for_an_unknown_therapist_names_the_field(anonymous_api, service, therapist):
    response = availability(anonymous_api, service=service.pk, therapist=987654, start=MONDAY, end=MONDAY)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["therapist"]


def test_availability_without_dates_lists_the_missing_fields(anonymous_api, service):
    response = availability(anonymous_api, service=service.pk)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"start", "end"}


def test_a_cancelled_appointment_frees_its_slot_in_availability(anonymous_api, service, therapist):
    AppointmentFactory(
        therapist=therapist,
        service=service,
        start=datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
        status=Appointment.Status.CANCELLED,
    )

    starts = [
        slot["start"]
        for slot in availability(anonymous_api, service=service.pk, start=MONDAY, end=MONDAY).json()["slots"]
    ]

    assert "2026-12-07T10:00:00+00:00" in starts


def test_availability_also_lists_each_time_once_with_who_is_free(anonymous_api, service, therapist):
    other = TherapistFactory(services=[service], weekly_hours=[(time(9), time(12))])

    body = availability(anonymous_api, service=service.pk, start=MONDAY, end=MONDAY).json()

    times = [each["start"] for each in body["times"]]
    assert times == sorted(set(times)) == sorted({slot["start"] for slot in body["slots"]})
    assert body["times"][0] == {
        "start": "2026-12-07T09:00:00+00:00",
        "end": "2026-12-07T10:00:00+00:00",
        "therapists": sorted([therapist.pk, other.pk]),
    }
    assert body["times"][-1]["therapists"] == [therapist.pk]
