"""Cautions that change what can be booked online (bookings/cautions.py, spec §3 handling notes)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from bookings.errors import CautionRuledOut
from bookings.models import Appointment, Service
from bookings.services import appointment_book, appointment_reschedule
from tests.factories import ServiceFactory, TherapistFactory, UserFactory, nothing_new, submit_intake

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # a Friday; London is on UTC in December
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_14 = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
MONDAY = "2026-12-07"

BLOOD_THINNERS = "As you take blood thinners, we don't offer firm or deep-pressure massage online."


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def deep_tissue(db):
    return ServiceFactory(name="Deep tissue massage", pressure=Service.Pressure.DEEP)


@pytest.fixture
def swedish(db):
    return ServiceFactory(name="Swedish massage", pressure=Service.Pressure.GENTLE)


@pytest.fixture
def maya(deep_tissue, swedish):
    """Not pregnancy trained."""
    return TherapistFactory(services=[deep_tissue, swedish], user__first_name="Maya", user__last_name="Patel")


@pytest.fixture
def lena(deep_tissue, swedish):
    return TherapistFactory(
        services=[deep_tissue, swedish],
        pregnancy_trained=True,
        user__first_name="Lena",
        user__last_name="Novak",
    )


def client_with(**answers):
    client = UserFactory(first_name="Kim", last_name="Lee")
    submit_intake(client, **answers)
    return client


@pytest.fixture
def on_blood_thinners(db):
    return client_with(anticoagulants=True)


@pytest.fixture
def pregnant(db):
    return client_with(pregnant=True)


def test_client_on_blood_thinners_is_not_offered_deep_tissue_online(
    client, clinic, on_blood_thinners, deep_tissue, swedish, maya
):
    client.force_login(on_blood_thinners)

    page = client.get(reverse("book"))

    offered = list(page.context["form"].fields["service"].queryset)
    assert offered == [swedish]
    text = page.content.decode().replace("&#x27;", "'")
    assert BLOOD_THINNERS in text
    assert "The gentler treatments in the list are open to you" in text
    assert "Not offered online for you" in text and "Deep tissue massage" in text


def test_choosing_deep_tissue_by_its_link_shows_no_times_to_a_client_on_blood_thinners(
    client, clinic, on_blood_thinners, deep_tissue, maya
):
    client.force_login(on_blood_thinners)

    page = client.get(reverse("book"), {"service": deep_tissue.pk, "date": MONDAY})

    assert "service" in page.context["form"].errors
    assert not page.context.get("slots")


def test_client_on_blood_thinners_cannot_book_deep_tissue(clinic, on_blood_thinners, deep_tissue, maya):
    with pytest.raises(CautionRuledOut) as refused:
        appointment_book(client=on_blood_thinners, therapist=maya, service=deep_tissue, start=MONDAY_10)

    assert refused.value.message.startswith(BLOOD_THINNERS)
    assert not Appointment.objects.exists()


def test_the_refusal_names_the_gentler_treatments_and_the_clinics_phone(
    clinic, on_blood_thinners, deep_tissue, swedish, maya
):
    with pytest.raises(CautionRuledOut) as refused:
        appointment_book(client=on_blood_thinners, therapist=maya, service=deep_tissue, start=MONDAY_10)

    assert "choose a gentler treatment (Swedish massage)" in refused.value.message
    assert clinic.phone in refused.value.message
    # The desk's wording names what is ruled out, never the condition.
    assert "blood" not in refused.value.for_staff
    assert "deep pressure" in refused.value.for_staff


def test_client_on_blood_thinners_can_book_a_gentle_service(clinic, on_blood_thinners, swedish, maya):
    appointment = appointment_book(client=on_blood_thinners, therapist=maya, service=swedish, start=MONDAY_10)

    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.caution_override == ""


@pytest.mark.parametrize("pressure", [Service.Pressure.FIRM, Service.Pressure.DEEP])
def test_osteoporosis_rules_out_firm_and_deep_pressure_online(clinic, maya, pressure):
    trigger_point = ServiceFactory(name="Trigger point therapy", pressure=pressure)
    maya.services.add(trigger_point)
    with_osteoporosis = client_with(osteoporosis=True, pain_score=4)

    with pytest.raises(CautionRuledOut) as refused:
        appointment_book(client=with_osteoporosis, therapist=maya, service=trigger_point, start=MONDAY_10)

    assert refused.value.message.startswith(
        "As you have osteoporosis, we don't offer firm or deep-pressure massage online."
    )


def test_a_clear_client_can_book_deep_tissue(clinic, client_user, deep_tissue, maya):
    appointment = appointment_book(client=client_user, therapist=maya, service=deep_tissue, start=MONDAY_10)

    assert appointment.service == deep_tissue


def test_client_on_blood_thinners_cannot_book_deep_tissue_through_the_api(
    client, clinic, on_blood_thinners, deep_tissue, maya
):
    client.force_login(on_blood_thinners)

    response = client.post(
        "/api/v1/appointments",
        {
            "service": deep_tissue.pk,
            "therapist": maya.pk,
            "start": "2026-12-07T10:00:00+00:00",
            "red_flags": nothing_new(),
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith(BLOOD_THINNERS)
    assert not Appointment.objects.exists()


def test_the_api_offers_a_client_on_blood_thinners_no_slots_for_deep_tissue(
    client, clinic, on_blood_thinners, deep_tissue, swedish, maya
):
    client.force_login(on_blood_thinners)
    dates = {"start": MONDAY, "end": MONDAY}

    deep = client.get("/api/v1/availability", {"service": deep_tissue.pk, **dates})
    gentle = client.get("/api/v1/availability", {"service": swedish.pk, **dates})
    anonymous = client.__class__().get("/api/v1/availability", {"service": deep_tissue.pk, **dates})

    assert deep.status_code == 200 and deep.json()["slots"] == []
    assert gentle.json()["slots"]
    assert anonymous.json()["slots"]  # nobody signed in: booking will ask who they are


def test_pregnant_client_is_offered_only_pregnancy_trained_therapists(
    client, clinic, pregnant, maya, lena, swedish
):
    client.force_login(pregnant)

    page = client.get(reverse("book"), {"service": swedish.pk, "therapist": "any", "date": MONDAY})

    choices = [label for _, label in page.context["form"].fields["therapist"].choices]
    assert choices == ["Anyone", "Lena Novak"]
    assert page.context["slots"]
    assert "we book you with a therapist trained in pregnancy massage" in page.content.decode()
    with_lena = client.get(reverse("book"), {"service": swedish.pk, "therapist": lena.pk, "date": MONDAY})
    assert [slot.start for slot in page.context["slots"]] == [
        slot.start for slot in with_lena.context["slots"]
    ]


def test_pregnant_client_cannot_book_a_therapist_who_is_not_pregnancy_trained(
    clinic, pregnant, maya, lena, swedish
):
    with pytest.raises(CautionRuledOut) as refused:
        appointment_book(client=pregnant, therapist=maya, service=swedish, start=MONDAY_10)

    assert "Maya Patel isn't, so please choose Lena Novak." in refused.value.message
    booked = appointment_book(client=pregnant, therapist=lena, service=swedish, start=MONDAY_10)
    assert booked.therapist == lena


def test_the_api_offers_a_pregnant_client_only_pregnancy_trained_therapists_slots(
    client, clinic, pregnant, maya, lena, swedish
):
    client.force_login(pregnant)
    dates = {"start": MONDAY, "end": MONDAY}

    anyone = client.get("/api/v1/availability", {"service": swedish.pk, **dates}).json()["slots"]
    with_maya = client.get("/api/v1/availability", {"service": swedish.pk, "therapist": maya.pk, **dates})

    assert anyone and {slot["therapist"] for slot in anyone} == {lena.pk}
    assert with_maya.json()["slots"] == []


def test_a_pregnant_client_cannot_move_their_appointment_to_a_therapist_who_is_not_pregnancy_trained(
    clinic, pregnant, maya, lena, swedish
):
    booked = appointment_book(client=pregnant, therapist=lena, service=swedish, start=MONDAY_10)

    with pytest.raises(CautionRuledOut):
        appointment_reschedule(
            appointment=booked, start=MONDAY_14, therapist=maya, by=pregnant, red_flags=None
        )

    booked.refresh_from_db()
    assert (booked.therapist, booked.start) == (lena, MONDAY_10)


def test_a_client_cannot_give_themselves_an_override(clinic, on_blood_thinners, deep_tissue, maya):
    with pytest.raises(CautionRuledOut):
        appointment_book(
            client=on_blood_thinners,
            therapist=maya,
            service=deep_tissue,
            start=MONDAY_10,
            booked_by=on_blood_thinners,
            caution_override="My doctor said it's fine",
        )

    assert not Appointment.objects.exists()


def test_front_desk_can_book_deep_tissue_for_a_client_on_blood_thinners_with_a_reason(
    clinic, on_blood_thinners, deep_tissue, maya, front_desk_user
):
    with pytest.raises(CautionRuledOut):
        appointment_book(
            client=on_blood_thinners,
            therapist=maya,
            service=deep_tissue,
            start=MONDAY_10,
            booked_by=front_desk_user,
            caution_override="   ",
        )

    appointment = appointment_book(
        client=on_blood_thinners,
        therapist=maya,
        service=deep_tissue,
        start=MONDAY_10,
        booked_by=front_desk_user,
        caution_override="GP letter on file: deep tissue agreed, lighter on the calves.",
    )

    assert appointment.caution_override == "GP letter on file: deep tissue agreed, lighter on the calves."
    assert appointment.booked_by == front_desk_user


def test_the_desk_can_move_a_pregnant_clients_appointment_to_an_untrained_therapist_with_a_reason(
    clinic, pregnant, maya, lena, swedish, front_desk_user
):
    booked = appointment_book(client=pregnant, therapist=lena, service=swedish, start=MONDAY_10)

    moved = appointment_reschedule(
        appointment=booked,
        start=MONDAY_14,
        therapist=maya,
        by=front_desk_user,
        red_flags=None,
        caution_override="Lena is off sick; Maya has done the pregnancy course and starts next week.",
    )

    assert (moved.therapist, moved.start) == (maya, MONDAY_14)
    assert moved.caution_override.startswith("Lena is off sick")


def test_the_confirm_page_explains_a_ruled_out_service_before_asking_anything(
    client, clinic, on_blood_thinners, deep_tissue, maya
):
    client.force_login(on_blood_thinners)

    page = client.get(
        reverse("book_confirm"),
        {"service": deep_tissue.pk, "therapist": maya.pk, "start": "2026-12-07T10:00Z"},
    )

    assert BLOOD_THINNERS in page.content.decode().replace("&#x27;", "'")
    assert "Confirm booking" not in page.content.decode()


def test_a_pregnant_client_moving_online_is_offered_only_pregnancy_trained_therapists(
    client, clinic, pregnant, maya, lena, swedish
):
    booked = appointment_book(client=pregnant, therapist=lena, service=swedish, start=MONDAY_10)
    client.force_login(pregnant)

    page = client.get(
        reverse("appointment_reschedule", args=[booked.pk]), {"therapist": "any", "date": MONDAY}
    )

    choices = [label for _, label in page.context["search"].fields["therapist"].choices]
    assert choices == ["Anyone", "Lena Novak"]
    assert {slot.therapist_name for slot in page.context["slots"]} == {"Lena Novak"}
