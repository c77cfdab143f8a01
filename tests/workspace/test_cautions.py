"""Cautions in the staff workspace: the therapist is told, the desk may override with a reason,
and the session note does not suggest what the cautions rule out."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.models import Appointment, Service
from bookings.services import appointment_book, appointment_cancel, appointment_reschedule
from intake.services import intake_submit
from notifications.dispatch import messages_dispatch_due
from notifications.models import Message
from tests.factories import AppointmentFactory, ServiceFactory, UserFactory, clear_answers, submit_intake
from workspace.models import TherapistNotification

from .data import MONDAY_10, THURSDAY_10

MONDAY_10_PARAM = "2026-12-07T10:00Z"
CLINICAL_WORDS = ("blood", "thinner", "anticoagul", "caution", "pregnan", "osteopor", "intake:", "C1")


def text(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def on_blood_thinners(db):
    client = UserFactory(first_name="Kim", last_name="Lee")
    submit_intake(client, anticoagulants=True)
    return client


@pytest.fixture
def deep_tissue(therapist):
    deep = ServiceFactory(name="Deep tissue massage", pressure=Service.Pressure.DEEP)
    therapist.services.add(deep)
    return deep


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def test_therapist_is_notified_when_a_client_with_a_caution_books(
    client, clinic, service, therapist, on_blood_thinners
):
    booked = appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)
    client.force_login(therapist.user)

    agenda = client.get(reverse("workspace:agenda"))

    assert [n.appointment for n in agenda.context["notifications"]] == [booked]
    assert "A client with a caution booked with you: Kim Lee" in text(agenda)
    assert reverse("workspace:appointment", args=[booked.pk]) in agenda.content.decode()
    email = Message.objects.get(kind=Message.Kind.CAUTION_BOOKED)
    assert (email.recipient, email.appointment) == (therapist.user, booked)


def test_a_clear_client_booking_tells_the_therapist_nothing_extra(clinic, service, therapist, client_user):
    appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    assert not TherapistNotification.objects.exists()
    assert not Message.objects.filter(kind=Message.Kind.CAUTION_BOOKED).exists()


def test_the_therapist_marks_a_notification_read_and_it_leaves_the_agenda(
    client, clinic, service, therapist, on_blood_thinners
):
    appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)
    notification = TherapistNotification.objects.get()
    client.force_login(therapist.user)

    response = client.post(
        reverse("workspace:notification_read", args=[notification.pk]), {"next": reverse("workspace:agenda")}
    )

    assert response["Location"] == reverse("workspace:agenda")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get(reverse("workspace:agenda")).context["notifications"] == []


def test_a_therapist_cannot_mark_another_therapists_notification_read(
    client, clinic, service, therapist, other_therapist, on_blood_thinners
):
    appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)
    notification = TherapistNotification.objects.get()
    client.force_login(other_therapist.user)

    client.post(reverse("workspace:notification_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at is None


def test_caution_email_to_the_therapist_has_no_clinical_detail(clinic, service, therapist, on_blood_thinners):
    booked = appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)

    messages_dispatch_due()

    [email] = [sent for sent in mail.outbox if sent.to == [therapist.user.email]]
    assert email.subject == "A client booked with you on Monday 7 December"
    assert "Please read their intake before the session" in email.body
    assert f"/staff/appointments/{booked.pk}/" in email.body
    html = email.alternatives[0][0]
    for part in (email.subject, email.body, html):
        for word in (*CLINICAL_WORDS, "Kim", "Lee", service.name):
            assert word.lower() not in part.lower(), (word, part)


def test_the_caution_email_is_not_sent_once_the_appointment_is_cancelled(
    clinic, service, therapist, on_blood_thinners
):
    booked = appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)
    # Cancelled behind the outbox's back, as if between writing the row and sending it.
    Appointment.objects.filter(pk=booked.pk).update(status=Appointment.Status.CANCELLED)

    messages_dispatch_due()

    assert not [sent for sent in mail.outbox if sent.to == [therapist.user.email]]
    assert Message.objects.get(kind=Message.Kind.CAUTION_BOOKED).status == Message.Status.SKIPPED


def test_a_cancelled_appointment_leaves_the_agenda_notifications(
    client, clinic, service, therapist, on_blood_thinners
):
    booked = appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)
    appointment_cancel(appointment=booked, by=on_blood_thinners)
    client.force_login(therapist.user)

    assert client.get(reverse("workspace:agenda")).context["notifications"] == []
    assert Message.objects.get(kind=Message.Kind.CAUTION_BOOKED).status == Message.Status.CANCELLED


def test_moving_a_client_with_a_caution_to_another_therapist_tells_the_new_therapist(
    clinic, service, therapist, other_therapist, on_blood_thinners, front_desk_user
):
    booked = appointment_book(client=on_blood_thinners, therapist=therapist, service=service, start=MONDAY_10)

    appointment_reschedule(
        appointment=booked, start=MONDAY_10, therapist=other_therapist, by=front_desk_user, red_flags=None
    )
    messages_dispatch_due()

    assert TherapistNotification.objects.filter(recipient=other_therapist.user, appointment=booked).exists()
    recipients = [sent.to for sent in mail.outbox if sent.subject.startswith("A client booked with you")]
    assert recipients == [[other_therapist.user.email]]  # the first therapist's is skipped: it moved


def test_session_note_does_not_prefill_firm_pressure_for_osteoporosis(client, clinic, service, therapist):
    for_osteoporosis = UserFactory()
    intake_submit(
        client=for_osteoporosis,
        answers=clear_answers(osteoporosis=True, pain_score=4),
        consent=True,
        details={"pressure_preference": "firm", "positioning": "prone"},
    )
    appointment = AppointmentFactory(
        client=for_osteoporosis, therapist=therapist, service=service, start=THURSDAY_10
    )
    client.force_login(therapist.user)

    page = client.get(reverse("workspace:appointment", args=[appointment.pk]))

    assert page.context["form"].initial == {"pressure": "", "positioning": "prone"}


def test_session_note_prefills_firm_pressure_for_a_client_without_such_a_caution(
    client, clinic, service, therapist
):
    prefers_firm = UserFactory()
    intake_submit(
        client=prefers_firm,
        answers=clear_answers(),
        consent=True,
        details={"pressure_preference": "firm", "positioning": "prone"},
    )
    appointment = AppointmentFactory(
        client=prefers_firm, therapist=therapist, service=service, start=THURSDAY_10
    )
    client.force_login(therapist.user)

    page = client.get(reverse("workspace:appointment", args=[appointment.pk]))

    assert page.context["form"].initial["pressure"] == "firm"


def test_the_desk_sees_a_ruled_out_service_and_books_it_only_with_a_reason(
    as_desk, clinic, therapist, deep_tissue, on_blood_thinners
):
    url = reverse("workspace:client_book_confirm", args=[on_blood_thinners.pk])
    chosen = {"service": deep_tissue.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM}

    page = as_desk.get(url, chosen)
    without_reason = as_desk.post(url, chosen)
    assert not Appointment.objects.exists()
    with_reason = as_desk.post(url, chosen | {"caution_override": "Doctor's letter: deep tissue agreed."})

    assert "Not offered online for this client." in text(page)
    assert "rules out firm and deep-pressure treatments online" in text(page)
    assert "blood" not in page.context["caution_ruled_out"].lower()  # it names no condition
    assert "Give the reason for booking it anyway" in text(without_reason)
    assert with_reason.status_code == 302
    booked = Appointment.objects.get()
    assert (booked.service, booked.caution_override) == (deep_tissue, "Doctor's letter: deep tissue agreed.")


def test_the_desk_books_an_allowed_service_without_being_asked_for_a_reason(
    as_desk, clinic, service, therapist, on_blood_thinners
):
    url = reverse("workspace:client_book_confirm", args=[on_blood_thinners.pk])
    chosen = {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10_PARAM}

    page = as_desk.get(url, chosen)
    response = as_desk.post(url, chosen)

    assert "Not offered online" not in text(page)
    assert response.status_code == 302
    assert Appointment.objects.get().caution_override == ""


def test_the_therapist_sees_the_desks_reason_on_the_appointment(
    client, clinic, therapist, deep_tissue, on_blood_thinners, front_desk_user
):
    booked = appointment_book(
        client=on_blood_thinners,
        therapist=therapist,
        service=deep_tissue,
        start=MONDAY_10,
        booked_by=front_desk_user,
        caution_override="Doctor's letter: deep tissue agreed.",
    )
    client.force_login(therapist.user)

    page = client.get(reverse("workspace:appointment", args=[booked.pk]))

    assert "The reason given: Doctor's letter: deep tissue agreed." in text(page)


def test_the_desk_moves_a_pregnant_client_to_a_therapist_without_the_training_only_with_a_reason(
    as_desk, clinic, service, therapist, other_therapist
):
    pregnant = UserFactory()
    submit_intake(pregnant, pregnant=True)
    other_therapist.pregnancy_trained = True
    other_therapist.save()
    booked = appointment_book(client=pregnant, therapist=other_therapist, service=service, start=MONDAY_10)
    url = reverse("workspace:appointment_move", args=[booked.pk])
    chosen = {"therapist": therapist.pk, "start": "2026-12-07T14:00Z"}

    page = as_desk.get(url, chosen)
    without_reason = as_desk.post(url, chosen)
    with_reason = as_desk.post(url, chosen | {"caution_override": "Client asked for Maya; midwife agreed."})

    assert f"This client's intake rules out {therapist.name} online." in text(page)
    assert "Give the reason for booking it anyway" in text(without_reason)
    assert with_reason.status_code == 302
    booked.refresh_from_db()
    assert (booked.therapist, booked.caution_override) == (
        therapist,
        "Client asked for Maya; midwife agreed.",
    )
