from datetime import UTC, date, datetime, time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bookings.models import Appointment, WorkingHours
from privacy.models import AccessRecord
from workspace.models import SessionNote, SessionNoteRevision
from workspace.services import (
    client_find_or_create,
    closure_add,
    session_note_save,
    time_off_add,
    working_hours_replace,
)

from .data import note_content


def test_a_session_note_and_its_revision_hold_the_same_content(past_appointment, therapist):
    note = session_note_save(appointment=past_appointment, author=therapist.user, content=note_content())

    revision = note.revisions.get()
    assert revision.content == {field: getattr(note, field) for field in revision.content}
    assert (revision.number, revision.saved_by) == (1, therapist.user)


def test_a_failed_revision_leaves_the_note_unchanged(past_appointment, therapist):
    session_note_save(appointment=past_appointment, author=therapist.user, content=note_content())

    with mock.patch.object(SessionNoteRevision.objects, "create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            session_note_save(
                appointment=past_appointment, author=therapist.user, content=note_content(plan="Changed")
            )

    assert SessionNote.objects.get().plan == "Weekly for three weeks."
    assert SessionNoteRevision.objects.count() == 1


def test_only_the_appointments_therapist_writes_its_note(past_appointment, other_therapist):
    with pytest.raises(ValidationError) as refused:
        session_note_save(appointment=past_appointment, author=other_therapist.user, content=note_content())

    assert refused.value.messages == ["Only the therapist who gave the session can write its note."]


@pytest.mark.parametrize("status", [Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW])
def test_no_note_for_a_session_that_did_not_happen(past_appointment, therapist, status):
    past_appointment.status = status
    past_appointment.save()

    with pytest.raises(ValidationError):
        session_note_save(appointment=past_appointment, author=therapist.user, content=note_content())
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_before", 11),
        ("pain_after", -1),
        ("pain_after", True),
        ("techniques", ["reiki"]),
        ("pressure", "crushing"),
    ],
)
def test_session_note_values_are_checked_by_the_service_too(past_appointment, therapist, field, value):
    with pytest.raises(ValidationError) as refused:
        session_note_save(
            appointment=past_appointment, author=therapist.user, content=note_content(**{field: value})
        )

    assert field in refused.value.message_dict


def test_overlapping_weekly_hours_are_refused_and_nothing_changes(therapist):
    with pytest.raises(ValidationError, match="On Monday, two sets of hours overlap."):
        working_hours_replace(
            therapist=therapist, intervals=[(0, time(9), time(13)), (0, time(12), time(15))]
        )

    assert WorkingHours.objects.filter(therapist=therapist).count() == 12


def test_time_off_must_end_after_it_starts(therapist):
    start = datetime(2026, 12, 7, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        time_off_add(therapist=therapist, start=start, end=start)

    assert list(refused.value.message_dict) == ["end"]


def test_closing_the_same_day_twice_is_refused_on_the_date(db):
    closure_add(day=date(2026, 12, 7))

    with pytest.raises(ValidationError) as refused:
        closure_add(day=date(2026, 12, 7))

    assert list(refused.value.message_dict) == ["date"]


def test_finding_a_client_ignores_the_case_of_the_email(client_user):
    found, created = client_find_or_create(
        first_name="", last_name="", email=" Client@Example.COM ", phone=""
    )

    assert (found, created) == (client_user, False)


def test_a_staff_members_email_is_not_taken_for_a_clients(therapist):
    with pytest.raises(ValidationError) as refused:
        client_find_or_create(first_name="Maya", last_name="Patel", email=therapist.user.email, phone="")

    assert refused.value.message_dict == {"email": ["This email belongs to a staff account, not a client."]}


def test_a_new_client_needs_a_name(db):
    with pytest.raises(ValidationError) as refused:
        client_find_or_create(first_name=" ", last_name="Shah", email="priya@example.com", phone="")

    assert list(refused.value.message_dict) == ["first_name"]


def test_admins_read_session_notes_with_their_revisions_and_that_is_recorded(
    client, clinic_admin, therapist, past_appointment
):
    note = session_note_save(appointment=past_appointment, author=therapist.user, content=note_content())
    session_note_save(
        appointment=past_appointment, author=therapist.user, content=note_content(plan="Fortnightly")
    )
    client.force_login(clinic_admin)

    response = client.get(reverse("admin:workspace_sessionnote_change", args=[note.pk]))

    assert response.status_code == 200
    assert "Fortnightly" in response.content.decode()
    assert "Weekly for three weeks." in response.content.decode()  # revision 1
    assert AccessRecord.objects.filter(viewer=clinic_admin, what="session_notes").count() == 1


def test_front_desk_cannot_open_session_notes_in_the_admin(
    client, front_desk_user, therapist, past_appointment
):
    note = session_note_save(appointment=past_appointment, author=therapist.user, content=note_content())
    client.force_login(front_desk_user)  # is_staff, so the admin site lets them in

    response = client.get(reverse("admin:workspace_sessionnote_change", args=[note.pk]))

    assert response.status_code in (302, 403)
    assert "Weekly for three weeks." not in response.content.decode()
