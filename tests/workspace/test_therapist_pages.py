import json
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.models import Appointment
from privacy.models import AccessRecord
from tests.factories import AppointmentFactory, UserFactory, answer_pre_visit_check, submit_intake
from workspace.models import SessionNote, SessionNoteRevision

from .data import MONDAY_10, NOW, THURSDAY_10, note_data


def text(response):
    """The page's words as a reader sees them: no tags, single spaces."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def html(response):
    return unescape(response.content.decode())


@pytest.fixture
def as_therapist(client, therapist):
    client.force_login(therapist.user)
    return client


@pytest.fixture
def caution_client(client_user):
    """Sam Jones now takes blood thinners: a CAUTION intake (C1)."""
    submit_intake(client_user, anticoagulants=True)
    return client_user


def appointment_url(appointment):
    return reverse("workspace:appointment", args=[appointment.pk])


def test_agenda_lists_todays_and_the_weeks_own_appointments_with_outcomes_in_words(
    as_therapist, service, therapist, other_therapist, caution_client
):
    today = AppointmentFactory(
        client=caution_client, therapist=therapist, service=service, start=NOW + timedelta(hours=2)
    )
    blocked = UserFactory(first_name="Rita", last_name="Redflag")
    submit_intake(blocked, calf_swelling_redness_warmth=True)  # S5: see a doctor first
    AppointmentFactory(client=blocked, therapist=therapist, service=service, start=THURSDAY_10)
    AppointmentFactory(
        client=UserFactory(first_name="Nadia", last_name="Nobody"),
        therapist=other_therapist,
        service=service,
        start=NOW,
    )

    response = as_therapist.get(reverse("workspace:agenda"))

    assert [each.pk for each in response.context["agenda"].today] == [today.pk]
    page = text(response)
    assert "Today, Friday 4 December 2026" in page
    assert "Sam Jones" in page and "Deep tissue" in page
    assert "Caution: see reasons" in page
    assert "Rita Redflag" in page  # Thursday, in the same week
    assert "Red flag: do not treat until a doctor clears" in page
    assert "Nadia Nobody" not in page  # another therapist's client


def test_agenda_moves_by_week(as_therapist, service, therapist, client_user):
    AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    this_week = as_therapist.get(reverse("workspace:agenda"))
    next_week = as_therapist.get(reverse("workspace:agenda"), {"date": "2026-12-07"})

    assert "Sam Jones" not in text(this_week)
    assert "Sam Jones" in text(next_week)
    assert [day.day.isoformat() for day in next_week.context["agenda"].week][0] == "2026-12-07"


def test_appointment_page_shows_the_intake_reasons_preferences_and_handling(
    as_therapist, past_appointment, caution_client
):
    response = as_therapist.get(appointment_url(past_appointment))

    page = text(response)
    assert "Caution: see reasons" in page
    assert "C1" in page and "Takes blood thinners" in page
    assert "Handling: No forceful or deep-tissue pressure; watch for bruising." in page
    assert "side-lying" in page  # positioning preference
    assert "Medium" in page  # pressure preference
    assert "Sit through work" in page  # goals
    assert 'id="session-note-form"' in html(response)


def test_a_see_doctor_intake_links_to_the_doctors_clearance_page(as_therapist, past_appointment, client_user):
    intake = submit_intake(client_user, known_blood_clot=True)

    response = as_therapist.get(appointment_url(past_appointment))

    assert reverse("intake_clearance", args=[intake.pk]) in html(response)
    assert "do not treat. Answering again doesn't lift it." in text(response)


def test_front_desk_sees_the_outcome_but_not_the_reasons_or_notes(
    client, front_desk_user, past_appointment, caution_client, therapist
):
    client.force_login(therapist.user)
    client.post(appointment_url(past_appointment), note_data(findings="Tight piriformis"))
    client.force_login(front_desk_user)

    response = client.get(appointment_url(past_appointment))

    page = text(response)
    assert "Caution: therapist alerted" in page
    assert "Takes blood thinners" not in page
    assert "Tight piriformis" not in page
    assert "session-note-form" not in html(response)


def test_writing_a_session_note_saves_it_with_its_first_revision(as_therapist, past_appointment, therapist):
    response = as_therapist.post(appointment_url(past_appointment), note_data())

    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=past_appointment)
    assert note.techniques == ["trigger_point", "piriformis"]
    assert (note.pain_before, note.pain_after) == (6, 3)
    assert note.author == therapist.user
    assert [(r.number, r.content["findings"]) for r in note.revisions.all()] == [
        (1, "Tight left piriformis and glutes.")
    ]
    page = text(as_therapist.get(response["Location"]))
    assert "Session note saved." in page
    assert "Trigger point, Piriformis work" in page
    assert "6/10 before → 3/10 after" in page


def test_changing_a_session_note_keeps_every_earlier_version(as_therapist, past_appointment):
    as_therapist.post(appointment_url(past_appointment), note_data())
    as_therapist.post(
        appointment_url(past_appointment), note_data(findings="Also tight hamstrings.", pain_after="2")
    )

    note = SessionNote.objects.get(appointment=past_appointment)
    assert note.findings == "Also tight hamstrings."
    revisions = list(SessionNoteRevision.objects.filter(note=note).order_by("number"))
    assert [(r.number, r.content["findings"], r.content["pain_after"]) for r in revisions] == [
        (1, "Tight left piriformis and glutes.", 3),
        (2, "Also tight hamstrings.", 2),
    ]
    assert "History: 2 versions" in text(as_therapist.get(appointment_url(past_appointment)))


@pytest.mark.parametrize("score", ["11", "-1", "", "seven"])
def test_a_pain_score_outside_0_to_10_is_refused_on_the_field(as_therapist, past_appointment, score):
    response = as_therapist.post(appointment_url(past_appointment), note_data(pain_after=score))

    assert response.status_code == 200
    assert response.context["form"].errors["pain_after"]
    assert not SessionNote.objects.exists()


def test_no_session_note_before_the_appointment_starts(as_therapist, service, therapist, client_user):
    later = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    response = as_therapist.post(appointment_url(later), note_data())

    assert response.status_code == 200
    assert "The session note can be written once the appointment has started." in text(response)
    assert not SessionNote.objects.exists()


def test_the_therapist_marks_the_appointment_completed(as_therapist, past_appointment):
    answer_pre_visit_check(past_appointment)

    response = as_therapist.post(
        reverse("workspace:appointment_attendance", args=[past_appointment.pk]), {"status": "completed"}
    )

    past_appointment.refresh_from_db()
    assert past_appointment.status == Appointment.Status.COMPLETED
    assert "marked as completed" in text(as_therapist.get(response["Location"]))


def test_marking_an_appointment_that_has_not_started_shows_the_refusal(
    as_therapist, service, therapist, client_user
):
    later = AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    response = as_therapist.post(
        reverse("workspace:appointment_attendance", args=[later.pk]), {"status": "no_show"}, follow=True
    )

    assert "An appointment can be marked only once it has started." in text(response)
    later.refresh_from_db()
    assert later.status == Appointment.Status.BOOKED


def test_client_page_charts_pain_across_sessions_and_lists_every_intake_newest_first(
    as_therapist, service, therapist, client_user
):
    for days_ago, before, after in ((14, 8, 5), (7, 6, 3), (1, 4, 2)):
        appointment = AppointmentFactory(
            client=client_user, therapist=therapist, service=service, start=NOW - timedelta(days=days_ago)
        )
        as_therapist.post(
            appointment_url(appointment), note_data(pain_before=str(before), pain_after=str(after))
        )
    submit_intake(client_user, anticoagulants=True)

    response = as_therapist.get(reverse("workspace:client", args=[client_user.pk]))

    page = html(response)
    assert "chart.js-4.6.1/chart.umd.js" in page
    series = json.loads(
        page.split('<script id="pain-series" type="application/json">')[1].split("</script>")[0]
    )
    assert series == {
        "labels": ["20 Nov 2026", "27 Nov 2026", "3 Dec 2026"],
        "before": [8, 6, 4],
        "after": [5, 3, 2],
    }
    outcomes = [intake.outcome for intake in response.context["intakes"]]
    assert outcomes == ["CAUTION", "CLEAR"]
    assert page.index("Takes blood thinners") < page.index("Intake clear")


def test_opening_an_appointment_keeps_an_access_record_of_the_intake_and_notes(
    as_therapist, past_appointment, therapist
):
    as_therapist.get(appointment_url(past_appointment))

    records = AccessRecord.objects.order_by("what")
    assert [(r.viewer, r.client, r.what, r.appointment) for r in records] == [
        (therapist.user, past_appointment.client, "intake", past_appointment),
        (therapist.user, past_appointment.client, "session_notes", past_appointment),
    ]
    assert records[0].path == appointment_url(past_appointment)


def test_front_desk_opening_an_appointment_is_recorded_as_the_outcome_only(
    client, front_desk_user, past_appointment
):
    client.force_login(front_desk_user)

    client.get(appointment_url(past_appointment))
    client.get(reverse("workspace:client", args=[past_appointment.client_id]))

    assert list(AccessRecord.objects.values_list("viewer", "what")) == [
        (front_desk_user.pk, "intake_outcome"),
        (front_desk_user.pk, "intake_outcome"),
    ]


def test_a_refused_page_keeps_no_access_record(client, other_therapist, past_appointment):
    client.force_login(other_therapist.user)

    client.get(appointment_url(past_appointment))

    assert not AccessRecord.objects.exists()
