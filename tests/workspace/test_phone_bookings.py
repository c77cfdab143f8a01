from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.models import User
from bookings.models import Appointment
from bookings.services import appointment_book
from intake.models import Intake
from intake.selectors import intake_latest
from tests.factories import AppointmentFactory, UserFactory, submit_intake

from .data import MONDAY_10, NOW, intake_form_data, red_flag_data

MONDAY_10_PARAM = "2026-12-07T10:00Z"


def text(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def confirm_url(client_user, service, therapist, start=MONDAY_10_PARAM):
    path = reverse("workspace:client_book_confirm", args=[client_user.pk])
    return f"{path}?service={service.pk}&therapist={therapist.pk}&start={start}"


def confirm_post(service, therapist, start=MONDAY_10_PARAM, **red_flags):
    return {"service": service.pk, "therapist": therapist.pk, "start": start, **red_flag_data(**red_flags)}


def test_the_desk_finds_a_client_by_name_or_phone(as_desk, client_user):
    by_name = as_desk.get(reverse("workspace:client_list"), {"q": "sam jon"})
    by_phone = as_desk.get(reverse("workspace:client_list"), {"q": "900123"})

    assert list(by_name.context["clients"]) == [client_user]
    assert client_user in by_phone.context["clients"]


def test_the_desk_creates_a_new_client_without_a_password(as_desk, clinic):
    response = as_desk.post(
        reverse("workspace:client_new"),
        {"first_name": "Priya", "last_name": "Shah", "email": "Priya@Example.com", "phone": "07700 900789"},
    )

    priya = User.objects.get(email="priya@example.com")
    assert response["Location"] == reverse("workspace:client", args=[priya.pk])
    assert (priya.get_full_name(), priya.phone, priya.has_usable_password()) == (
        "Priya Shah",
        "07700 900789",
        False,
    )


def test_creating_a_client_who_already_has_an_account_finds_them(as_desk, client_user):
    response = as_desk.post(
        reverse("workspace:client_new"),
        {"first_name": "Samuel", "last_name": "Jones", "email": "CLIENT@example.com"},
        follow=True,
    )

    assert response.context["client"] == client_user
    assert "already has an account" in text(response)
    assert User.objects.filter(email__iexact="client@example.com").count() == 1


def test_the_desk_fills_in_the_intake_on_the_clients_behalf(as_desk, front_desk_user):
    new_client = UserFactory(first_name="Priya", last_name="Shah")

    response = as_desk.post(
        reverse("workspace:client_intake", args=[new_client.pk]),
        intake_form_data(anticoagulants=True),
        follow=True,
    )

    intake = Intake.objects.get(client=new_client)
    assert (intake.outcome, intake.submitted_by) == ("CAUTION", front_desk_user)
    assert intake.positioning == "side-lying"
    page = text(response)
    assert "Intake saved for Priya Shah. They can book." in page
    assert "Caution: therapist alerted" in page
    assert "Takes blood thinners" not in page  # the desk sees the outcome, not the reasons


def test_a_missing_answer_in_the_intake_is_shown_on_its_question(as_desk, client_user):
    data = intake_form_data()
    del data["saddle_numbness"]

    response = as_desk.post(reverse("workspace:client_intake", args=[client_user.pk]), data)

    assert response.context["form"].errors["saddle_numbness"] == ["Please answer yes or no."]


def test_the_booking_page_lists_free_times_that_lead_to_the_confirmation(
    as_desk, client_user, service, therapist
):
    response = as_desk.get(
        reverse("workspace:client_book", args=[client_user.pk]), {"service": service.pk, "date": "2026-12-07"}
    )

    assert [slot.start.strftime("%H:%M") for slot in response.context["slots"]][:2] == ["09:00", "09:15"]
    anyone = confirm_url(client_user, service, therapist).replace(
        f"therapist={therapist.pk}", "therapist=any"
    )
    assert anyone.replace("&", "&amp;") in response.content.decode()  # "anyone": the clinic picks


def test_the_desk_books_on_the_clients_behalf(as_desk, client_user, front_desk_user, service, therapist):
    response = as_desk.post(
        reverse("workspace:client_book_confirm", args=[client_user.pk]),
        confirm_post(service, therapist),
        follow=True,
    )

    appointment = Appointment.objects.get()
    assert (appointment.client, appointment.start, appointment.booked_by) == (
        client_user,
        MONDAY_10,
        front_desk_user,
    )
    assert "Booked: Deep tissue for Sam Jones on Monday 7 December at 10:00 with Maya Patel." in text(
        response
    )


def test_booking_for_a_client_without_an_intake_asks_the_desk_to_fill_it_in(
    as_desk, clinic, service, therapist
):
    new_client = UserFactory(first_name="Priya", last_name="Shah")

    response = as_desk.post(
        reverse("workspace:client_book_confirm", args=[new_client.pk]), confirm_post(service, therapist)
    )

    assert not Appointment.objects.exists()
    page = text(response)
    assert "Not booked. Please fill in the health questionnaire before booking." in page
    assert reverse("workspace:client_intake", args=[new_client.pk]) in response.content.decode()


def test_a_new_red_flag_at_phone_booking_refuses_it_and_is_recorded(as_desk, service, therapist):
    client_user = UserFactory(first_name="Rene", last_name="Old")
    submit_intake(client_user, at=NOW - timedelta(days=2))
    response = as_desk.post(
        reverse("workspace:client_book_confirm", args=[client_user.pk]),
        confirm_post(service, therapist, saddle_numbness="yes"),
    )

    assert not Appointment.objects.exists()
    assert intake_latest(client_user).outcome == "EMERGENCY"
    page = text(response)
    assert "Red flag: do not treat (emergency)" in page
    assert "Go to A&E now" in page
    assert (
        page.count("Confirm the booking") == 1
    )  # the title only: no form under the "please don't book" alert


def test_the_desk_is_not_asked_the_recheck_for_a_blocked_client(as_desk, service, therapist):
    blocked = UserFactory()
    submit_intake(blocked, at=NOW - timedelta(days=2), known_blood_clot=True)

    page = text(
        as_desk.get(
            reverse("workspace:client_book_confirm", args=[blocked.pk]), confirm_post(service, therapist)
        )
    )

    assert "Red flag: do not treat until a doctor clears" in page
    assert "Since your intake" not in page
    assert page.count("Confirm the booking") == 1  # the title only


def test_the_desk_move_asks_the_recheck_and_a_new_red_flag_releases_the_appointment(
    as_desk, service, therapist
):
    returning = UserFactory()
    submit_intake(returning, at=NOW - timedelta(days=2))
    appointment = AppointmentFactory(client=returning, therapist=therapist, service=service, start=MONDAY_10)
    url = reverse("workspace:appointment_move", args=[appointment.pk])
    choice = {"therapist": therapist.pk, "start": "2026-12-07T14:00Z"}

    asked = text(as_desk.get(url, choice))
    response = as_desk.post(url, {**choice, **red_flag_data(both_legs="yes")})

    assert "Since your intake, have you had any of these?" in asked
    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10
    assert appointment.status == Appointment.Status.CANCELLED
    assert "Go to A&E now" in text(response)


def test_a_taken_slot_offers_times_nearby(as_desk, client_user, service, therapist):
    someone = UserFactory()
    submit_intake(someone)
    appointment_book(client=someone, therapist=therapist, service=service, start=MONDAY_10)

    response = as_desk.post(
        reverse("workspace:client_book_confirm", args=[client_user.pk]), confirm_post(service, therapist)
    )

    assert "Sorry, that time is no longer available." in text(response)
    assert response.context["alternatives"]


def test_the_desk_moves_an_appointment_inside_the_cancellation_window(
    as_desk, client_user, service, therapist
):
    tomorrow = NOW + timedelta(days=1)  # Saturday 09:00, inside the 24-hour window
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=tomorrow)
    move_url = reverse("workspace:appointment_move", args=[appointment.pk])

    choose = as_desk.get(move_url, {"date": "2026-12-07"})
    assert choose.context["slots"]
    response = as_desk.post(move_url, {"therapist": therapist.pk, "start": MONDAY_10_PARAM}, follow=True)

    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10
    assert "is now on Monday 7 December at 10:00" in text(response)


def test_the_desk_cancels_inside_the_cancellation_window(as_desk, client_user, service, therapist):
    soon = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    appointment = appointment_book(client=client_user, therapist=therapist, service=service, start=soon)

    response = as_desk.post(reverse("workspace:appointment_cancel", args=[appointment.pk]), follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert "Cancelled: Sam Jones's Deep tissue" in text(response)


def test_cancelling_an_appointment_that_already_happened_shows_the_refusal(as_desk, past_appointment):
    past_appointment.status = Appointment.Status.COMPLETED
    past_appointment.save()

    response = as_desk.post(reverse("workspace:appointment_cancel", args=[past_appointment.pk]), follow=True)

    assert "This appointment is no longer booked, so it can't be changed." in text(response)


def test_a_clients_page_for_the_desk_offers_booking_and_the_intake(as_desk, client_user, service, therapist):
    AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    response = as_desk.get(reverse("workspace:client", args=[client_user.pk]))

    html = response.content.decode()
    assert reverse("workspace:client_book", args=[client_user.pk]) in html
    assert reverse("workspace:client_intake", args=[client_user.pk]) in html
    assert "pain-series" not in html  # no clinical chart for the desk
    assert "Intake clear" in text(response)


def test_the_desk_sees_no_free_times_for_a_blocked_client_only_the_advice_to_read(
    as_desk, service, therapist
):
    blocked = UserFactory()
    submit_intake(blocked, both_legs=True)

    page = text(
        as_desk.get(
            reverse("workspace:client_book", args=[blocked.pk]), {"service": service.pk, "date": "2026-12-07"}
        )
    )

    assert "Read this to the caller" in page
    assert "Go to A&E now" in page
    assert "client_book_confirm" not in page and "/book/confirm" not in page
