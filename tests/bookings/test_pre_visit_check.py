"""The day-of check (spec §3, re-screening): the reminder's link, the client's page, and the
rule that a session is completed only after the check."""

from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.errors import BookingRefused
from bookings.models import Appointment, PreVisitCheck
from bookings.previsit import PRE_VISIT_TOKEN_SALT, pre_visit_check_for, pre_visit_token
from bookings.services import appointment_book, appointment_record_attendance
from intake.models import Intake
from intake.recheck import RECHECK_QUESTIONS
from notifications.dispatch import messages_dispatch_due
from tests.factories import (
    AppointmentFactory,
    UserFactory,
    answer_pre_visit_check,
    recheck_form_data,
    submit_intake,
)

# Friday morning, and the Monday after at 10:00 (London is on UTC in December).
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
MONDAY_8 = MONDAY_10 - timedelta(hours=2)
AFTER_SESSION = MONDAY_10 + timedelta(minutes=65)
GO_TO_A_AND_E = "Go to A&E now or call 999"


def text(response):
    """The page's words as a reader sees them: no tags, single spaces."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def check_url(appointment):
    return reverse("pre_visit_check", args=[pre_visit_token(appointment)])


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def monday(clinic, service, therapist, client_user):
    """Sam Jones's appointment with Maya Patel on Monday at 10:00, booked on Friday."""
    return AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)


def test_reminder_links_to_the_pre_visit_check_without_clinical_detail(client, clinic, service, therapist):
    sam = UserFactory(email="sam@example.com", first_name="Sam")
    submit_intake(sam, leg_weakness="mild", anticoagulants=True)  # C7 and C1: nothing of it in the email
    appointment = appointment_book(
        client=sam, therapist=therapist, service=service, start=MONDAY_10, red_flags=None
    )
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        messages_dispatch_due()
    with time_machine.travel(MONDAY_10 - timedelta(hours=24), tick=False):
        messages_dispatch_due()
    confirmation, reminder = [email for email in mail.outbox if email.to == ["sam@example.com"]]

    assert reminder.subject == "Reminder: your appointment on Monday 7 December"
    assert "Before you come: a 1-minute health check" in reminder.body
    link = next(word for word in reminder.body.split() if "/visit-check/" in word)
    assert f'href="{link}"' in reminder.alternatives[0][0]
    token = urlsplit(link).path.split("/")[2]
    # The URL carries only the appointment and its end, signed.
    assert signing.loads(token, salt=PRE_VISIT_TOKEN_SALT) == {
        "a": appointment.pk,
        "e": int(appointment.end.timestamp()),
    }
    with time_machine.travel(MONDAY_8, tick=False):
        assert "Your appointment: Monday 7 December at 10:00." in text(client.get(urlsplit(link).path))
    clinical = ["weak", "blood", "thinner", "red flag", "sciatica", "intake", "caution", "A&E"]
    for email in (reminder, confirmation):
        words = (email.subject + email.body + email.alternatives[0][0]).lower()
        assert not [word for word in clinical if word.lower() in words]
    assert "/visit-check/" not in confirmation.body


def test_client_answers_the_pre_visit_check_from_the_link_without_signing_in(client, monday):
    with time_machine.travel(MONDAY_10 - timedelta(days=1), tick=False):
        early = client.get(check_url(monday))
    assert "Please open this link again on Monday 7 December" in text(early)
    assert RECHECK_QUESTIONS["saddle_numbness"] not in text(early)

    with time_machine.travel(MONDAY_8, tick=False):
        page = client.get(check_url(monday))
        answered = client.post(check_url(monday), recheck_form_data("check"))

    assert page.status_code == 200
    assert "Your appointment: Monday 7 December at 10:00." in text(page)
    assert RECHECK_QUESTIONS["saddle_numbness"] in text(page)
    assert "Deep tissue" not in text(page) and "Maya" not in text(page)  # the day and time only
    assert "Is the weakness in your leg worse" not in text(page)  # asked only of a C7 client
    assert "Thank you, see you at 10:00" in text(answered)
    check = PreVisitCheck.objects.get(appointment=monday)
    assert (check.answered_by, check.answered_at, check.stops_session, check.intake) == (
        None,
        MONDAY_8,
        False,
        None,
    )
    monday.refresh_from_db()
    assert monday.status == Appointment.Status.BOOKED


def test_an_unanswered_question_on_the_link_is_shown_and_nothing_is_stored(client, monday):
    data = recheck_form_data("check")
    del data["check-saddle_numbness"]

    with time_machine.travel(MONDAY_8, tick=False):
        response = client.post(check_url(monday), data)

    assert response.status_code == 200
    assert "Please answer yes or no." in text(response)
    assert not PreVisitCheck.objects.exists()


def test_pre_visit_link_expires_after_the_appointment(client, monday):
    url = check_url(monday)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(monday.end, tick=False):
        expired = client.get(url)
        posted = client.post(url, recheck_form_data("check"))

    assert expired.status_code == 404
    assert "This link has expired" in text(expired)
    assert posted.status_code == 404
    assert not PreVisitCheck.objects.exists()


def test_a_tampered_link_or_one_for_an_appointment_no_longer_booked_is_expired(client, monday):
    forged = signing.dumps({"a": monday.pk, "e": int(monday.end.timestamp())}, salt="another.salt")
    assert client.get(reverse("pre_visit_check", args=[forged])).status_code == 404

    url = check_url(monday)
    Appointment.objects.filter(pk=monday.pk).update(status=Appointment.Status.CANCELLED)
    with time_machine.travel(MONDAY_8, tick=False):
        response = client.get(url)

    assert response.status_code == 404
    assert "This link has expired" in text(response)


def test_a_new_red_flag_on_the_day_stops_the_session_and_records_an_intake(client, monday, therapist):
    with time_machine.travel(MONDAY_8, tick=False):
        response = client.post(check_url(monday), recheck_form_data("check", bladder_bowel_change="yes"))

    assert "Please don't come for your massage" in text(response)
    assert GO_TO_A_AND_E in text(response)
    assert "Your appointment on Monday 7 December at 10:00 is off" in text(response)
    assert "contact the clinic on 020 7946 0000" in text(response)
    check = PreVisitCheck.objects.get(appointment=monday)
    assert check.stops_session
    first_intake = Intake.objects.exclude(pk=check.intake.pk).get()
    assert (check.intake.outcome, check.intake.rechecked_from) == ("EMERGENCY", first_intake)
    assert "E1" in [reason["code"] for reason in check.intake.reasons]
    monday.refresh_from_db()
    assert (monday.status, monday.cancellation_reason) == ("cancelled", "health_check")
    with time_machine.travel(MONDAY_10 + timedelta(minutes=5), tick=False):
        assert client.get(check_url(monday)).status_code == 404  # the appointment is off


def test_a_new_red_flag_after_the_start_stops_the_session_and_calls_it_off(monday, therapist):
    # Asked by the therapist once the client is in the room: the session will not take place.
    check = answer_pre_visit_check(
        monday,
        at=MONDAY_10 + timedelta(minutes=2),
        answered_by=therapist.user,
        calf_swelling_redness_warmth=True,
    )

    assert check.stops_session
    monday.refresh_from_db()
    assert (monday.status, monday.cancellation_reason) == ("cancelled", "health_check")
    for status in ("completed", "no_show"):
        with pytest.raises(BookingRefused):
            appointment_record_attendance(
                appointment=monday, status=status, by=therapist.user, now=AFTER_SESSION
            )


def test_session_cannot_be_marked_completed_without_the_pre_visit_check(
    monday, therapist, service, client_user
):
    with pytest.raises(BookingRefused, match="day-of health check"):
        appointment_record_attendance(
            appointment=monday, status="completed", by=therapist.user, now=AFTER_SESSION
        )
    monday.refresh_from_db()
    assert monday.status == Appointment.Status.BOOKED

    # A check answered on another day is not the day-of check.
    answer_pre_visit_check(monday)
    PreVisitCheck.objects.update(answered_at=MONDAY_10 - timedelta(days=1))
    with pytest.raises(BookingRefused, match="day-of health check"):
        appointment_record_attendance(
            appointment=monday, status="completed", by=therapist.user, now=AFTER_SESSION
        )

    answer_pre_visit_check(monday)
    completed = appointment_record_attendance(
        appointment=monday, status="completed", by=therapist.user, now=AFTER_SESSION
    )
    assert completed.status == Appointment.Status.COMPLETED

    tuesday = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=MONDAY_10 + timedelta(days=1)
    )
    no_show = appointment_record_attendance(
        appointment=tuesday, status="no_show", by=therapist.user, now=tuesday.end
    )
    assert no_show.status == Appointment.Status.NO_SHOW  # a no-show needs no check


def test_c7_client_whose_weakness_is_worse_is_sent_to_a_and_e(client, clinic, service, therapist):
    sam = UserFactory(email="sam@example.com")
    submit_intake(sam, leg_weakness="mild")  # C7: mild, stable weakness
    appointment = AppointmentFactory(client=sam, therapist=therapist, service=service, start=MONDAY_10)

    with time_machine.travel(MONDAY_8, tick=False):
        page = client.get(check_url(appointment))
        unanswered = client.post(check_url(appointment), recheck_form_data("check"))
        answered = client.post(check_url(appointment), recheck_form_data("check", weakness_worse="yes"))

    assert "Is the weakness in your leg worse than before?" in text(page)
    assert "Please answer yes or no." in text(unanswered)
    assert GO_TO_A_AND_E in text(answered)
    check = PreVisitCheck.objects.get()
    assert (check.weakness_worse, check.stops_session, check.answers["leg_weakness"]) == (True, True, "none")
    assert check.intake.outcome == "EMERGENCY"
    assert "E3" in [reason["code"] for reason in check.intake.reasons]


def test_c7_client_whose_weakness_is_not_worse_comes_in(client, clinic, service, therapist):
    sam = UserFactory(email="sam@example.com")
    submit_intake(sam, leg_weakness="mild")
    appointment = AppointmentFactory(client=sam, therapist=therapist, service=service, start=MONDAY_10)

    with time_machine.travel(MONDAY_8, tick=False):
        answered = client.post(check_url(appointment), recheck_form_data("check", weakness_worse="no"))

    assert "Thank you, see you at 10:00" in text(answered)
    check = PreVisitCheck.objects.get()
    assert (check.weakness_worse, check.stops_session, check.intake) == (False, False, None)


def test_completed_is_refused_when_the_intake_is_out_of_date_on_the_day(client, monday, therapist):
    # Sam's only intake is 91 days old on the day of the appointment (the clinic allows 90).
    Intake.objects.update(created_at=MONDAY_10 - timedelta(days=91))
    answer_pre_visit_check(monday)

    with pytest.raises(BookingRefused) as refused:
        appointment_record_attendance(
            appointment=monday, status="completed", by=therapist.user, now=AFTER_SESSION
        )

    assert refused.value.message == (
        "The client's health questionnaire is out of date: fill it in with them first."
    )
    client.force_login(therapist.user)
    with time_machine.travel(AFTER_SESSION, tick=False):
        page = client.get(reverse("workspace:appointment", args=[monday.pk]))
    assert "The client's health questionnaire is out of date: fill it in with them first." in text(page)
    assert "Mark completed" not in text(page)
    assert "Mark no-show" in text(page)


def test_the_day_of_check_opens_at_midnight_in_the_clinics_time_zone(clinic, service, therapist, client_user):
    # Monday 7 June 2027 at 09:00 in London is 08:00 UTC (summer time): the day opens at 23:00 UTC.
    june = AppointmentFactory(
        client=client_user, therapist=therapist, service=service, start=datetime(2027, 6, 7, 8, 0, tzinfo=UTC)
    )

    with pytest.raises(ValidationError, match="asked on the day of the appointment"):
        answer_pre_visit_check(june, at=datetime(2027, 6, 6, 22, 59, tzinfo=UTC))
    check = answer_pre_visit_check(june, at=datetime(2027, 6, 6, 23, 0, tzinfo=UTC))

    assert pre_visit_check_for(june) == check
