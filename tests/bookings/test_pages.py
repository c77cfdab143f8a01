from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bookings.models import Appointment
from intake.recheck import RECHECK_QUESTIONS
from intake.triage import CAUTION_ADVICE, SAFETY_NET
from tests.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    recheck_form_data,
    submit_intake,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday morning; London is on UTC in December
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_10_PARAM = "2026-12-07T10:00Z"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    return client


@pytest.fixture
def returning_client(db, client):
    """A client whose intake is two days old: booking asks the re-check."""
    user = UserFactory(email="returning@example.com")
    submit_intake(user, at=NOW - timedelta(days=2))
    client.force_login(user)
    return user


def text(response):
    return unescape(response.content.decode())


def confirm_url(service, therapist, start=MONDAY_10_PARAM):
    return f"{reverse('book_confirm')}?service={service.pk}&therapist={therapist.pk}&start={start}"


def test_home_lists_the_services_with_a_book_button(client, clinic, service):
    ServiceFactory(name="Hot stones", is_active=False)

    response = client.get(reverse("home"))

    assert "Deep tissue" in text(response)
    assert "60 minutes · £65.00" in text(response)
    assert "Firm, slow pressure" in text(response)
    assert f'href="/book/?service={service.pk}"' in text(response)
    assert "Hot stones" not in text(response)
    assert reverse("therapists") in text(response)


def test_therapists_page_shows_each_therapist_with_bio_and_services(client, clinic, service, therapist):
    response = client.get(reverse("therapists"))

    assert "Maya Patel" in text(response)
    assert "Sports and remedial massage." in text(response)
    assert "Deep tissue" in text(response)


def test_booking_page_shows_the_days_free_slots_to_anyone(client, clinic, service, therapist):
    response = client.get(reverse("book"), {"service": service.pk, "therapist": "any", "date": "2026-12-07"})

    assert response.status_code == 200
    assert "Monday 7 December 2026" in text(response)
    shown = [slot.start.strftime("%H:%M") for slot in response.context["slots"]]
    assert shown[0] == "09:00" and shown[-1] == "17:00"
    # "Anyone" leaves the therapist to the clinic: the time leads to the confirmation as anyone.
    anyone = f"{reverse('book_confirm')}?service={service.pk}&therapist=any&start={MONDAY_10_PARAM}"
    assert f'href="{anyone}"' in text(response)
    assert f'href="{confirm_url(service, therapist)}"' not in text(response)


def test_booking_page_with_a_therapist_leads_to_the_confirmation_with_them(
    client, clinic, service, therapist
):
    response = client.get(
        reverse("book"), {"service": service.pk, "therapist": therapist.pk, "date": "2026-12-07"}
    )

    assert f'href="{confirm_url(service, therapist)}"' in text(response)


def test_booking_page_shows_times_in_the_clinics_zone(client, clinic, service, therapist):
    clinic.time_zone = "America/New_York"
    clinic.save()

    response = client.get(reverse("book"), {"service": service.pk, "date": "2026-12-07"})

    assert response.context["slots"][0].start == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert ">09:00<" in text(response)


def test_booking_page_with_nothing_free_today_shows_the_first_day_with_free_times(
    client, clinic, service, therapist
):
    with time_machine.travel(datetime(2026, 12, 5, 17, 30, tzinfo=UTC), tick=False):  # Saturday evening
        response = client.get(reverse("book"), {"service": service.pk})

    assert "Nothing is free today: here is the first day with free times." in text(response)
    assert "Monday 7 December 2026" in text(response)
    assert response.context["slots"][0].start == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert "date=2026-12-06" in response.context["previous_day_url"]
    assert "date=2026-12-08" in response.context["next_free_day_url"]


def test_booking_page_for_a_day_the_client_chose_says_it_is_full_and_offers_the_next_free_day(
    client, clinic, service, therapist
):
    with time_machine.travel(datetime(2026, 12, 5, 17, 30, tzinfo=UTC), tick=False):  # Saturday evening
        response = client.get(reverse("book"), {"service": service.pk, "date": "2026-12-05"})

    assert "Saturday 5 December 2026" in text(response)
    assert "There are no free times on this day" in text(response)
    assert "Nothing is free" not in text(response)
    assert "Next day with free times: Monday 7 December" in text(response)
    assert "date=2026-12-07" in response.context["next_free_day_url"]


@pytest.mark.parametrize(
    "query",
    [
        {"service": "abc"},
        {"service": "999999999999999999999"},
        {"service": "{service}", "date": "not-a-date"},
        {"service": "{service}", "date": "9999-12-31"},
        {"service": "{service}", "date": "2020-01-01"},
        {"service": "{service}", "therapist": "nobody"},
    ],
)
def test_a_bad_booking_query_shows_a_friendly_message(client, clinic, service, therapist, query):
    query = {key: value.format(service=service.pk) for key, value in query.items()}

    response = client.get(reverse("book"), query)

    assert response.status_code == 200
    assert "Please check the choices below" in text(response)
    assert "slots" not in response.context


def test_a_therapist_who_does_not_offer_the_service_is_explained(client, clinic, service, therapist):
    other = TherapistFactory(
        services=[ServiceFactory(name="Swedish")], user__first_name="Lee", user__last_name="Chan"
    )

    response = client.get(reverse("book"), {"service": service.pk, "therapist": other.pk})

    assert "Lee Chan doesn't offer Deep tissue" in text(response)


def test_confirming_without_logging_in_sends_to_sign_up_and_keeps_the_slot(
    client, clinic, service, therapist
):
    url = confirm_url(service, therapist)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("signup"))
    signup_page = client.get(response.url)
    assert signup_page.context["next"] == url
    assert "Already have an account?" in text(signup_page)
    assert not Appointment.objects.exists()


def test_confirm_page_shows_the_safety_net_before_the_button(logged_in, service, therapist, clinic):
    page = text(logged_in.get(confirm_url(service, therapist)))

    advice = page.index("Please keep this in mind")
    assert advice < page.index("Confirm booking") < page.index("What to expect at your first visit")
    for paragraph in SAFETY_NET:
        assert paragraph.format(emergency_number=clinic.emergency_number) in page
    assert "adapt the massage" not in page


def test_confirm_page_gives_a_caution_client_their_advice(client, service, therapist, clinic):
    on_blood_thinners = UserFactory()
    submit_intake(on_blood_thinners, anticoagulants=True)
    client.force_login(on_blood_thinners)

    page = text(client.get(confirm_url(service, therapist)))

    assert "Your therapist will read your answers and adapt the massage" in page
    assert CAUTION_ADVICE["C1"] in page


def test_confirm_page_summarises_the_slot_before_booking(logged_in, service, therapist, clinic):
    response = logged_in.get(confirm_url(service, therapist))

    assert "Deep tissue, 60 minutes" in text(response)
    assert "Maya Patel" in text(response)
    assert "Monday 7 December 2026 at 10:00" in text(response)
    assert "Confirm booking" in text(response)
    assert not Appointment.objects.exists()


NO_NEW_RED_FLAGS = recheck_form_data()


def test_confirming_asks_the_recheck_questions_and_books_nothing_until_answered(
    client, returning_client, clinic, service, therapist
):
    response = client.post(
        confirm_url(service, therapist),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM},
    )

    assert response.status_code == 200
    assert "Please answer yes or no." in text(response)
    assert RECHECK_QUESTIONS["saddle_numbness"] in text(response)
    assert not Appointment.objects.exists()


def test_confirming_right_after_the_full_intake_does_not_ask_the_same_questions_again(
    logged_in, clinic, service, therapist
):
    page = logged_in.get(confirm_url(service, therapist))

    assert RECHECK_QUESTIONS["saddle_numbness"] not in text(page)
    response = logged_in.post(
        confirm_url(service, therapist),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM},
    )
    assert response.status_code == 302
    assert Appointment.objects.count() == 1


def test_a_new_red_flag_when_confirming_blocks_the_booking_and_shows_the_advice(
    client, returning_client, clinic, service, therapist
):
    client_user = returning_client
    response = client.post(
        confirm_url(service, therapist),
        {
            "service": service.pk,
            "therapist": therapist.pk,
            "start": MONDAY_10_PARAM,
            **NO_NEW_RED_FLAGS,
            "bladder_bowel_change": "yes",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("intake_result")
    assert "Go to A&E now" in text(response)
    assert not Appointment.objects.exists()
    assert client_user.intakes.first().outcome == "EMERGENCY"


def test_a_client_without_an_intake_is_sent_to_it_and_back_to_the_chosen_time(clinic, service, therapist):
    newcomer = UserFactory()
    browser = Client()
    browser.force_login(newcomer)

    response = browser.get(confirm_url(service, therapist))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("intake_start") + "?next=")
    assert "start%3D2026-12-07T10%3A00Z" in response["Location"]


def test_booking_a_free_slot_creates_one_appointment_and_shows_the_confirmation(
    logged_in, client_user, clinic, service, therapist
):
    clinic.address = "1 River Street\nLondon"
    clinic.save()

    response = logged_in.post(
        confirm_url(service, therapist),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM, **NO_NEW_RED_FLAGS},
        follow=True,
    )

    appointment = Appointment.objects.get()
    assert (appointment.client, appointment.therapist, appointment.start) == (
        client_user,
        therapist,
        MONDAY_10,
    )
    assert response.redirect_chain == [(reverse("appointment_booked", args=[appointment.pk]), 302)]
    assert "You're booked in" in text(response)
    assert "Monday 7 December 2026 at 10:00" in text(response)
    assert "£65.00" in text(response)
    assert "1 River Street" in text(response)
    assert "What to expect at your first visit" in text(response)
    assert "lie on your side with pillows" in text(response)


def test_the_booked_page_leaves_out_the_first_visit_for_a_client_who_has_had_a_session(
    logged_in, client_user, clinic, service, therapist
):
    AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=service,
        start=NOW - timedelta(days=7),
        status=Appointment.Status.COMPLETED,
    )
    booked = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    response = logged_in.get(reverse("appointment_booked", args=[booked.pk]))

    assert "You're booked in" in text(response)
    assert "What to expect at your first visit" not in text(response)
    assert "until Sunday 6 December, 10:00" in text(response)  # the 24-hour cancellation window
    assert "020 7946 0000" in text(response)
    assert "Go to A&E or call 999 if you get: sciatica in both legs" in text(response)  # the safety net


def test_booking_a_slot_just_taken_shows_alternatives_and_creates_nothing(
    logged_in, clinic, service, therapist
):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10)

    response = logged_in.post(
        confirm_url(service, therapist),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM, **NO_NEW_RED_FLAGS},
    )

    assert response.status_code == 200
    assert "Sorry, that time is no longer available" in text(response)
    alternatives = response.context["alternatives"]
    assert alternatives and MONDAY_10 not in [slot.start for slot in alternatives]
    assert alternatives[0].url.startswith(reverse("book_confirm"))
    assert "Confirm booking" not in text(response)
    assert Appointment.objects.count() == 1


def test_booking_a_time_the_rules_refuse_shows_why_and_creates_nothing(logged_in, clinic, service, therapist):
    sunday = "2026-12-06T10:00Z"

    response = logged_in.post(
        confirm_url(service, therapist, sunday),
        {"service": service.pk, "therapist": therapist.pk, "start": sunday, **NO_NEW_RED_FLAGS},
    )

    assert "Maya Patel isn't working at that time." in text(response)
    assert not Appointment.objects.exists()


def test_a_confirm_link_with_a_bad_time_shows_a_friendly_message(logged_in, clinic, service, therapist):
    response = logged_in.get(confirm_url(service, therapist, "tomorrow-ish"))

    assert response.status_code == 200
    assert "we couldn't find that appointment time" in text(response)


def test_my_appointments_lists_only_my_own(logged_in, client_user, clinic, service, therapist):
    AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=ServiceFactory(name="Swedish"),
        start=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        status=Appointment.Status.COMPLETED,
    )
    AppointmentFactory(
        service=ServiceFactory(name="Hot stones"), start=datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    )

    response = logged_in.get(reverse("my_appointments"))

    assert [item.appointment.start for item in response.context["upcoming"]] == [MONDAY_10]
    assert "Monday 7 December 2026 at 10:00 with Maya Patel" in text(response)
    assert "Swedish" in text(response) and "Completed" in text(response)
    assert "Hot stones" not in text(response)


def test_cancelling_an_appointment(logged_in, client_user, clinic, service, therapist):
    appointment = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10
    )
    url = reverse("appointment_cancel", args=[appointment.pk])

    assert "Cancel this appointment?" in text(logged_in.get(url))
    response = logged_in.post(url, follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert "Your Deep tissue appointment on Monday 7 December at 10:00 is cancelled." in text(response)


def test_cancelling_inside_the_window_is_refused_with_the_clinic_phone(
    logged_in, client_user, clinic, service, therapist
):
    this_afternoon = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    appointment = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=this_afternoon
    )

    response = logged_in.post(reverse("appointment_cancel", args=[appointment.pk]), follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert "Please call the clinic on 020 7946 0000." in text(response)


def test_rescheduling_shows_my_own_time_as_free_and_moves_the_appointment(
    logged_in, client_user, clinic, service, therapist
):
    appointment = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10
    )
    url = reverse("appointment_reschedule", args=[appointment.pk])

    page = logged_in.get(url)
    assert MONDAY_10 in [slot.start for slot in page.context["slots"]]
    later = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)  # overlaps the current time: only free once it moves
    chosen = logged_in.get(url, {"therapist": therapist.pk, "start": "2026-12-07T10:30Z"})
    assert "Move my appointment" in text(chosen)
    response = logged_in.post(
        f"{url}?therapist={therapist.pk}&start=2026-12-07T10:30Z",
        {"therapist": therapist.pk, "start": "2026-12-07T10:30Z"},
        follow=True,
    )

    appointment.refresh_from_db()
    assert appointment.start == later
    assert Appointment.objects.count() == 1
    assert "is now on Monday 7 December at 10:30 with Maya Patel" in text(response)


def test_rescheduling_to_a_taken_time_offers_alternatives_and_changes_nothing(
    logged_in, client_user, clinic, service, therapist
):
    appointment = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10
    )
    AppointmentFactory(therapist=therapist, service=service, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    url = reverse("appointment_reschedule", args=[appointment.pk])

    response = logged_in.post(url, {"therapist": therapist.pk, "start": "2026-12-07T14:00Z"})

    assert "Sorry, that time is no longer available" in text(response)
    assert response.context["alternatives"]
    appointment.refresh_from_db()
    assert appointment.start == MONDAY_10


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("appointment_booked", "get"),
        ("appointment_cancel", "get"),
        ("appointment_cancel", "post"),
        ("appointment_reschedule", "get"),
        ("appointment_reschedule", "post"),
    ],
)
def test_another_clients_appointment_is_not_found(logged_in, clinic, service, therapist, name, method):
    theirs = AppointmentFactory(client=UserFactory(), therapist=therapist, service=service, start=MONDAY_10)

    response = getattr(logged_in, method)(
        reverse(name, args=[theirs.pk]), {"therapist": therapist.pk, "start": "2026-12-07T14:00Z"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.start) == (Appointment.Status.BOOKED, MONDAY_10)


@pytest.mark.parametrize("red_flag", [{"saddle_numbness": True}, {"known_blood_clot": True}])
def test_a_blocked_client_cannot_book_by_posting_directly(clinic, service, therapist, red_flag):
    blocked = UserFactory()
    submit_intake(blocked, **red_flag)
    browser = Client()
    browser.force_login(blocked)

    response = browser.post(
        confirm_url(service, therapist),
        {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM, **NO_NEW_RED_FLAGS},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("intake_result")
    assert not Appointment.objects.exists()
