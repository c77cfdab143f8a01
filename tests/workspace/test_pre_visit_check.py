"""The day-of check on the therapist's appointment page (spec §3, re-screening)."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.models import Appointment, PreVisitCheck
from intake.recheck import RECHECK_QUESTIONS
from tests.factories import AppointmentFactory, answer_pre_visit_check, recheck_form_data, submit_intake

from .data import NOW

# Later this Friday (the workspace tests run at 09:00 on Friday 4 December).
FRIDAY_11 = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
DURING_SESSION = FRIDAY_11 + timedelta(minutes=30)


def text(response):
    """The page's words as a reader sees them: no tags, single spaces."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def as_therapist(client, therapist):
    client.force_login(therapist.user)
    return client


@pytest.fixture
def today(clinic, service, therapist, client_user):
    """Sam Jones's session with Maya Patel at 11:00 today."""
    return AppointmentFactory(client=client_user, therapist=therapist, service=service, start=FRIDAY_11)


def page_url(appointment):
    return reverse("workspace:appointment", args=[appointment.pk])


def check_url(appointment):
    return reverse("workspace:appointment_pre_visit_check", args=[appointment.pk])


def test_therapist_asks_the_check_on_the_appointment_page(as_therapist, today, therapist):
    before = as_therapist.get(page_url(today))

    assert "Day-of health check" in text(before)
    assert "Not answered today. Ask the client before the session." in text(before)
    assert RECHECK_QUESTIONS["bladder_bowel_change"] in text(before)
    assert check_url(today) in before.content.decode()

    response = as_therapist.post(check_url(today), recheck_form_data("check"))

    assert response.status_code == 302
    after = as_therapist.get(response["Location"])
    assert "Day-of health check recorded." in text(after)
    assert "Answered 09:00 with Maya Patel: nothing new." in text(after)
    assert RECHECK_QUESTIONS["bladder_bowel_change"] not in text(after)
    check = PreVisitCheck.objects.get(appointment=today)
    assert (check.answered_by, check.stops_session) == (therapist.user, False)
    with time_machine.travel(DURING_SESSION + timedelta(minutes=35), tick=False):
        later = as_therapist.get(page_url(today))
        as_therapist.post(
            reverse("workspace:appointment_attendance", args=[today.pk]), {"status": "completed"}
        )
    assert "Mark completed" in text(later)
    today.refresh_from_db()
    assert today.status == Appointment.Status.COMPLETED


def test_the_page_says_when_the_client_answered_from_the_reminder(as_therapist, today):
    answer_pre_visit_check(today, at=NOW - timedelta(minutes=30))

    response = as_therapist.get(page_url(today))

    assert "Answered 08:30 by the client, from the reminder's link: nothing new." in text(response)


def test_a_missing_answer_is_shown_on_the_check_page_and_nothing_is_stored(as_therapist, today):
    data = recheck_form_data("check")
    del data["check-both_legs"]

    response = as_therapist.post(check_url(today), data)

    assert response.status_code == 200
    assert "Please answer yes or no." in text(response)
    assert not PreVisitCheck.objects.exists()


def test_a_yes_stops_the_session_shows_the_advice_and_offers_no_completed(as_therapist, today):
    with time_machine.travel(DURING_SESSION, tick=False):  # asked once the client is in the room
        response = as_therapist.post(check_url(today), recheck_form_data("check", saddle_numbness="yes"))
        page = as_therapist.get(response["Location"])

    assert "The health check stops this session: give the client the advice shown." in text(page)
    assert "Stop: don't treat. Give the client this advice" in text(page)
    assert "Go to A&E now or call 999" in text(page)
    assert "something new that stops the session." in text(page)
    assert "Mark completed" not in text(page)
    assert "Mark no-show" not in text(page)  # the session is called off, not missed
    today.refresh_from_db()
    assert (today.status, today.cancellation_reason) == ("cancelled", "health_check")


def test_c7_client_is_asked_whether_the_weakness_is_worse(as_therapist, today, client_user):
    submit_intake(client_user, leg_weakness="mild")  # C7

    page = as_therapist.get(page_url(today))
    response = as_therapist.post(check_url(today), recheck_form_data("check", weakness_worse="yes"))

    assert "Is the weakness in your leg worse than before?" in text(page)
    check = PreVisitCheck.objects.get()
    assert (check.weakness_worse, check.stops_session, check.intake.outcome) == (True, True, "EMERGENCY")
    assert "Go to A&E now or call 999" in text(as_therapist.get(response["Location"]))
    today.refresh_from_db()
    assert (today.status, today.cancellation_reason) == ("cancelled", "health_check")  # before 11:00


def test_only_staff_who_record_attendance_can_ask_the_check(client, today, other_therapist):
    client.force_login(other_therapist.user)

    response = client.post(check_url(today), recheck_form_data("check"))

    assert response.status_code == 404
    assert not PreVisitCheck.objects.exists()


def test_the_check_is_not_offered_for_an_appointment_on_another_day(as_therapist, past_appointment):
    response = as_therapist.get(page_url(past_appointment))

    assert RECHECK_QUESTIONS["bladder_bowel_change"] not in text(response)
    assert "Not answered today" not in text(response)
    assert "Ask the client the day-of health check before the session" in text(response)
    assert "Mark completed" not in text(response)
