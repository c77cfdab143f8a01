from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from accounts.models import EmailChangeRequest, User
from accounts.services import user_email_change_request
from bookings.models import Appointment, PreVisitCheck
from data_rights.models import Erasure
from data_rights.services import client_erase, clients_retention_apply
from intake.models import Intake
from intake.selectors import intakes_blocking
from notifications.models import Message
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, UserFactory, submit_intake
from workspace.models import SessionNote, SessionNoteRevision

from .conftest import INTAKE_DETAILS, NOTE, NOW

Status = Appointment.Status


def erased_client(history):
    client = User.objects.get(pk=history.client.pk)
    assert client.email == f"erased-{client.pk}@invalid"
    assert (client.first_name, client.last_name, client.phone) == ("", "", "")
    assert not client.has_usable_password()
    assert not client.is_active
    return client


def test_erasing_an_account_cancels_future_appointments_and_anonymises_the_client(history, signed_in):
    on_their_phone = Client()
    on_their_phone.force_login(history.client)
    assert "2 appointments still to come are cancelled" in signed_in.get("/accounts/delete/").content.decode()

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert "Your account has been deleted" in response.content.decode()
    assert not response.context["user"].is_authenticated
    erased_client(history)
    # Both, the one inside the 24-hour cancellation window too.
    for appointment in (history.today, history.monday):
        appointment.refresh_from_db()
        assert (appointment.status, appointment.cancellation_reason) == (Status.CANCELLED, "account_erased")
    assert not Message.objects.filter(recipient=history.client, status=Message.Status.QUEUED).exists()
    assert Erasure.objects.get(client=history.client).reason == Erasure.Reason.CLIENT
    assert not Client().login(email="sam@example.com", password=PASSWORD)
    assert on_their_phone.get("/appointments/").status_code == 302  # every session is over


def test_a_wrong_password_deletes_nothing(history, signed_in):
    response = signed_in.post("/accounts/delete/", {"password": "not-my-password", "confirm": "on"})

    assert response.status_code == 200
    assert "That password isn&#x27;t right." in response.content.decode()
    history.client.refresh_from_db()
    assert (history.client.email, history.client.is_active) == ("sam@example.com", True)
    assert Appointment.objects.get(pk=history.monday.pk).status == Status.BOOKED


def test_erasure_keeps_intakes_and_session_notes_for_the_retention_period(history, signed_in, frozen):
    signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    client = erased_client(history)

    # What the client wrote beside the answers goes at once...
    intake = Intake.objects.get(client=client)
    assert [getattr(intake, field) for field in INTAKE_DETAILS if field != "pressure_preference"] == [""] * 6
    # ...the health record stays, tied to the anonymised account.
    assert (intake.outcome, intake.answers["pain_score"]) == ("CLEAR", 5)
    note = SessionNote.objects.get(appointment__client=client)
    assert (note.findings, note.pain_before, note.pain_after) == (NOTE["findings"], 6, 3)
    assert PreVisitCheck.objects.filter(appointment=history.past).exists()

    # Nothing changes until 8 years (the default) after the last appointment...
    frozen.move_to(NOW + timedelta(days=7 * 365))
    assert clients_retention_apply().health_text_removed == 0
    assert SessionNote.objects.get(pk=note.pk).findings == NOTE["findings"]

    # ...then the words go; the dates, answers, outcome and pain scores stay.
    frozen.move_to(NOW + timedelta(days=8 * 366))
    assert clients_retention_apply().health_text_removed == 1
    note.refresh_from_db()
    assert (note.client_reports, note.findings, note.plan, note.home_care) == ("", "", "", "")
    assert (note.pain_before, note.pain_after, note.techniques) == (6, 3, NOTE["techniques"])
    (revision,) = SessionNoteRevision.objects.filter(note=note)
    assert (revision.content["findings"], revision.content["pain_after"]) == ("", 3)
    assert Intake.objects.get(client=client).outcome == "CLEAR"
    assert Erasure.objects.get(client=client).health_text_removed_at is not None
    assert clients_retention_apply().health_text_removed == 0  # once


def test_the_api_deletes_the_account_with_the_password(history):
    api = ApiClient()
    api.browser.force_login(history.client)

    wrong = api.post("/me/delete", {"password": "nope"})
    assert (wrong.status_code, wrong.json()["errors"]) == (400, {"password": ["That password isn't right."]})
    response = api.post("/me/delete", {"password": PASSWORD})

    assert response.status_code == 204
    erased_client(history)
    assert api.get("/me/export").status_code == 401


def test_a_staff_account_is_not_erased_from_the_account_page(therapist):
    browser = Client()
    browser.force_login(therapist.user)

    response = browser.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    assert "This is a staff account" in response.content.decode()
    therapist.user.refresh_from_db()
    assert therapist.user.is_active


@pytest.mark.usefixtures("frozen")
def test_the_admin_can_erase_a_client(history, therapist, admin_client):
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user_id=User.objects.get(is_superuser=True).pk,
        content_type=user_type,
        object_id=str(history.client.pk),
        object_repr="Sam Jones",
        action_flag=CHANGE,
    )

    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "erase_clients", "_selected_action": [history.client.pk, therapist.user.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "1 client(s) erased" in page
    assert f"Not erased, staff accounts: {therapist.user.email}" in page
    client = erased_client(history)
    assert Appointment.objects.get(pk=history.monday.pk).status == Status.CANCELLED
    erasure = Erasure.objects.get(client=client)
    assert (erasure.reason, erasure.erased_by.is_superuser) == (Erasure.Reason.CLINIC, True)
    assert not LogEntry.objects.filter(object_repr="Sam Jones").exists()
    assert User.objects.get(pk=therapist.user.pk).is_active


def test_a_front_desk_member_is_not_offered_the_erase_action(history, front_desk_user):
    browser = Client()
    front_desk_user.user_permissions.add(*_user_admin_permissions())
    browser.force_login(front_desk_user)

    response = browser.get("/admin/accounts/user/")

    assert response.status_code == 200
    assert "Erase (anonymise) selected clients" not in response.content.decode()


def _user_admin_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="accounts")


def test_retention_leaves_a_client_erased_recently_alone(history, signed_in):
    signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert clients_retention_apply().health_text_removed == 0
    assert SessionNote.objects.get(appointment=history.past).findings == NOTE["findings"]


def test_a_new_client_can_sign_up_with_the_address_of_an_erased_account(history, signed_in):
    signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    UserFactory(email="sam@example.com")

    assert User.objects.filter(email="sam@example.com").count() == 1


def test_password_guesses_on_the_delete_page_count_towards_the_login_limit(history, signed_in):
    for _ in range(5):
        signed_in.post("/accounts/delete/", {"password": "a-guess", "confirm": "on"})

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 429
    history.client.refresh_from_db()
    assert history.client.is_active


def test_an_erased_client_leaves_the_front_desks_follow_up_list(clinic, frozen):
    client = UserFactory()
    submit_intake(client, at=NOW, bladder_bowel_change=True)  # EMERGENCY: on the follow-up list
    assert [intake.client for intake in intakes_blocking()] == [client]

    client_erase(client=client, reason=Erasure.Reason.CLINIC)

    assert not intakes_blocking().exists()


def test_an_email_change_waiting_for_confirmation_dies_with_the_account(history, signed_in):
    user_email_change_request(user=history.client, new_email="sam.new@example.com")

    signed_in.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    assert not EmailChangeRequest.objects.filter(user=history.client).exists()
    assert not User.objects.filter(email="sam.new@example.com").exists()
