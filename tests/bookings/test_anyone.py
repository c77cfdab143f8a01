"""'Anyone' means the clinic picks: each free time shown once, a free therapist assigned at booking."""

from datetime import UTC, datetime, time
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from bookings.errors import BookingRefused, CautionRuledOut, IntakeRequired, SlotUnavailable
from bookings.models import Appointment, Service
from bookings.services import appointment_book
from tests.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    nothing_new,
    recheck_form_data,
    submit_intake,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday morning; London is on UTC in December
MONDAY = "2026-12-07"
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_10_PARAM = "2026-12-07T10:00Z"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def three_therapists(service):
    """Listed Ana, Ben, Cat (display order); created the other way round, so pk order differs."""
    cat = TherapistFactory(services=[service], display_order=3, user__first_name="Cat", user__last_name="Ng")
    ben = TherapistFactory(services=[service], display_order=2, user__first_name="Ben", user__last_name="Ode")
    ana = TherapistFactory(services=[service], display_order=1, user__first_name="Ana", user__last_name="Sá")
    return ana, ben, cat


def text(response):
    return unescape(response.content.decode())


def anyone_confirm_url(service, start=MONDAY_10_PARAM):
    return f"{reverse('book_confirm')}?service={service.pk}&therapist=any&start={start}"


def test_anyone_lists_each_free_time_once_and_leads_to_the_confirmation_as_anyone(
    client, clinic, service, three_therapists
):
    response = client.get(reverse("book"), {"service": service.pk, "therapist": "any", "date": MONDAY})

    starts = [slot.start for slot in response.context["slots"]]
    assert len(starts) == len(set(starts)) == 26  # 09:00-12:00 and 14:00-17:00, every 15 minutes
    assert f'href="{anyone_confirm_url(service)}"' in text(response)
    for name in ("Ana Sá", "Ben Ode", "Cat Ng"):
        assert name not in text(response).split("free-times-heading")[1]
    assert "we book you with the first free therapist" in text(response)


def test_anyone_still_shows_a_time_only_one_therapist_has_free(client, clinic, service, three_therapists):
    ana, ben, cat = three_therapists
    for each in (ana, ben):
        AppointmentFactory(therapist=each, service=service, start=MONDAY_10)

    response = client.get(reverse("book"), {"service": service.pk, "date": MONDAY})

    starts = [slot.start for slot in response.context["slots"]]
    assert starts.count(MONDAY_10) == 1
    AppointmentFactory(therapist=cat, service=service, start=MONDAY_10)
    starts = [
        slot.start
        for slot in client.get(reverse("book"), {"service": service.pk, "date": MONDAY}).context["slots"]
    ]
    assert MONDAY_10 not in starts


def test_the_confirm_page_for_anyone_says_the_first_free_therapist(
    client, client_user, clinic, service, therapist
):
    client.force_login(client_user)

    response = client.get(anyone_confirm_url(service))

    assert "The first free therapist" in text(response)
    assert "Maya Patel" not in text(response)
    assert "Confirm booking" in text(response)
    assert not Appointment.objects.exists()


def test_booking_anyone_assigns_the_free_therapist_with_the_fewest_bookings_that_day(
    clinic, client_user, service, three_therapists
):
    ana, ben, cat = three_therapists
    AppointmentFactory(therapist=ana, service=service, start=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    AppointmentFactory(therapist=ana, service=service, start=datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    AppointmentFactory(therapist=ben, service=service, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    AppointmentFactory(therapist=cat, service=service, start=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    # Bookings on other days and cancelled ones don't count.
    AppointmentFactory(therapist=cat, service=service, start=datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    AppointmentFactory(
        therapist=ben,
        service=service,
        start=datetime(2026, 12, 7, 16, 0, tzinfo=UTC),
        status=Appointment.Status.CANCELLED,
    )

    first = appointment_book(client=client_user, therapist=None, service=service, start=MONDAY_10)
    other_client = UserFactory()
    submit_intake(other_client)
    second = appointment_book(client=other_client, therapist=None, service=service, start=MONDAY_10)

    assert first.therapist == ben  # one booking each for Ben and Cat: Ben is listed first
    assert second.therapist == cat  # Ben is now busy at 10:00; Ana has the most bookings


def test_ties_go_by_display_order_not_by_who_was_added_first(clinic, client_user, service, three_therapists):
    ana, _, _ = three_therapists

    booked = appointment_book(client=client_user, therapist=None, service=service, start=MONDAY_10)

    assert booked.therapist == ana


def test_booking_anyone_when_everyone_is_taken_offers_each_nearby_time_once(
    clinic, client_user, service, three_therapists
):
    for each in three_therapists:
        AppointmentFactory(therapist=each, service=service, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as taken:
        appointment_book(client=client_user, therapist=None, service=service, start=MONDAY_10)

    starts = [slot.start for slot in taken.value.alternatives]
    assert starts and len(starts) == len(set(starts))
    assert MONDAY_10 not in starts
    assert Appointment.objects.filter(client=client_user).count() == 0


def test_booking_anyone_through_the_pages_names_the_therapist_on_the_confirmation(
    client, client_user, clinic, service, therapist
):
    client.force_login(client_user)

    response = client.post(
        anyone_confirm_url(service),
        {"service": service.pk, "therapist": "any", "start": MONDAY_10_PARAM, **recheck_form_data()},
        follow=True,
    )

    appointment = Appointment.objects.get()
    assert appointment.therapist == therapist
    assert "You're booked in" in text(response)
    assert "Maya Patel" in text(response)
    assert "The first free therapist" not in text(response)


def test_a_taken_time_for_anyone_offers_times_that_book_anyone_again(
    client, client_user, clinic, service, therapist
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)
    client.force_login(client_user)

    response = client.post(
        anyone_confirm_url(service), {"service": service.pk, "therapist": "any", "start": MONDAY_10_PARAM}
    )

    assert "Sorry, that time is no longer available" in text(response)
    alternatives = response.context["alternatives"]
    assert alternatives and all("therapist=any&" in button.url for button in alternatives)
    assert Appointment.objects.count() == 1


@pytest.fixture
def swedish(db):
    return ServiceFactory(name="Swedish massage", pressure=Service.Pressure.GENTLE)


@pytest.fixture
def maya_and_lena(swedish):
    maya = TherapistFactory(services=[swedish], user__first_name="Maya", user__last_name="Patel")
    lena = TherapistFactory(
        services=[swedish],
        pregnancy_trained=True,
        display_order=5,
        user__first_name="Lena",
        user__last_name="Novak",
    )
    return maya, lena


@pytest.fixture
def pregnant(db):
    client = UserFactory(first_name="Kim", last_name="Lee")
    submit_intake(client, pregnant=True)
    return client


def test_a_pregnant_client_booking_anyone_gets_a_pregnancy_trained_therapist(
    clinic, pregnant, swedish, maya_and_lena
):
    maya, lena = maya_and_lena
    AppointmentFactory(therapist=lena, service=swedish, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))

    booked = appointment_book(client=pregnant, therapist=None, service=swedish, start=MONDAY_10)

    assert booked.therapist == lena  # though Maya is free, listed first and less busy


def test_a_pregnant_client_is_refused_anyone_when_only_untrained_therapists_are_free(
    clinic, pregnant, swedish, maya_and_lena
):
    maya, lena = maya_and_lena
    AppointmentFactory(therapist=lena, service=swedish, start=MONDAY_10)

    with pytest.raises(SlotUnavailable) as taken:
        appointment_book(client=pregnant, therapist=None, service=swedish, start=MONDAY_10)

    assert taken.value.alternatives
    assert {slot.therapist_id for slot in taken.value.alternatives} == {lena.pk}
    assert not Appointment.objects.filter(client=pregnant).exists()


def test_a_pregnant_clients_anyone_times_are_only_those_of_pregnancy_trained_therapists(
    client, clinic, pregnant, swedish, maya_and_lena
):
    maya, lena = maya_and_lena
    AppointmentFactory(therapist=lena, service=swedish, start=MONDAY_10)  # Maya alone is free at 10:00
    client.force_login(pregnant)

    page = client.get(reverse("book"), {"service": swedish.pk, "therapist": "any", "date": MONDAY})

    starts = [slot.start for slot in page.context["slots"]]
    assert starts and MONDAY_10 not in starts


def test_anyone_does_not_get_round_a_service_the_clients_cautions_rule_out(clinic, service, therapist):
    on_blood_thinners = UserFactory()
    submit_intake(on_blood_thinners, anticoagulants=True)
    service.pressure = Service.Pressure.DEEP
    service.save()

    with pytest.raises(CautionRuledOut):
        appointment_book(client=on_blood_thinners, therapist=None, service=service, start=MONDAY_10)

    assert not Appointment.objects.exists()


def test_the_intake_gate_refuses_anyone_before_any_therapist_is_picked(clinic, service, therapist):
    blocked = UserFactory()
    submit_intake(blocked, saddle_numbness=True)

    with pytest.raises(IntakeRequired):
        appointment_book(
            client=blocked, therapist=None, service=service, start=MONDAY_10, red_flags=nothing_new()
        )

    assert not Appointment.objects.exists()


def test_anyone_refuses_a_time_outside_the_clinics_rules_with_the_reason(
    clinic, client_user, service, therapist
):
    with pytest.raises(BookingRefused) as refused:
        appointment_book(
            client=client_user,
            therapist=None,
            service=service,
            start=datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
        )

    assert refused.value.message == "Online bookings need at least 2 hours' notice."


# The JSON API


@pytest.fixture
def client_api(client_user):
    from tests.api.conftest import ApiClient

    api = ApiClient()
    api.browser.force_login(client_user)
    return api


def test_the_api_books_anyone_with_therapist_null_and_says_who(client_api, clinic, service, three_therapists):
    ana, _, _ = three_therapists
    body = {
        "service": service.pk,
        "therapist": None,
        "start": "2026-12-07T10:00:00+00:00",
        "red_flags": nothing_new(),
    }

    response = client_api.post("/appointments", body)

    assert response.status_code == 201
    assert response.json()["therapist"] == ana.pk


def test_the_api_documents_therapist_null_as_anyone(client_api, clinic):
    schema = client_api.get("/openapi.json").json()["components"]["schemas"]

    therapist = schema["AppointmentIn"]["properties"]["therapist"]
    assert {"type": "null"} in therapist["anyOf"]
    assert "null for anyone" in therapist["description"]
    assert "times" in schema["AvailabilityOut"]["properties"]


def test_availability_lists_each_time_once_with_the_therapists_free_then(
    client_api, clinic, service, three_therapists
):
    ana, ben, cat = three_therapists
    AppointmentFactory(therapist=ben, service=service, start=MONDAY_10)
    morning_only = TherapistFactory(services=[service], weekly_hours=[(time(9), time(10))])

    body = client_api.get("/availability", {"service": service.pk, "start": MONDAY, "end": MONDAY}).json()

    times = {each["start"]: each for each in body["times"]}
    assert len(times) == len(body["times"])
    # Ben's 10:00 appointment rules out his 09:00 too (an hour's massage and 15 minutes to reset).
    assert times["2026-12-07T09:00:00+00:00"]["therapists"] == sorted([ana.pk, cat.pk, morning_only.pk])
    assert times["2026-12-07T10:00:00+00:00"] == {
        "start": "2026-12-07T10:00:00+00:00",
        "end": "2026-12-07T11:00:00+00:00",
        "therapists": sorted([ana.pk, cat.pk]),
    }
    assert len(body["slots"]) == sum(len(each["therapists"]) for each in body["times"])


# The front desk's phone booking


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def test_the_desk_sees_each_time_once_for_anyone_and_books_the_least_busy(
    as_desk, client_user, service, three_therapists
):
    ana, ben, cat = three_therapists
    AppointmentFactory(therapist=ana, service=service, start=datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    page = as_desk.get(
        reverse("workspace:client_book", args=[client_user.pk]), {"service": service.pk, "date": MONDAY}
    )

    starts = [slot.start for slot in page.context["slots"]]
    assert len(starts) == len(set(starts)) == 26
    confirm = reverse("workspace:client_book_confirm", args=[client_user.pk])
    assert (
        f"{confirm}?service={service.pk}&amp;therapist=any&amp;start={MONDAY_10_PARAM}"
        in page.content.decode()
    )
    response = as_desk.post(
        confirm,
        {"service": service.pk, "therapist": "any", "start": MONDAY_10_PARAM, **recheck_form_data()},
        follow=True,
    )

    assert Appointment.objects.get(client=client_user).therapist == ben
    assert "with Ben Ode." in text(response)
