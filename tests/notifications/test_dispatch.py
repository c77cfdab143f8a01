import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from bookings.selectors import clinic_get
from notifications.dispatch import (
    BATCH_SIZE,
    MAX_ATTEMPTS,
    SENDING_TIMEOUT,
    message_send,
    messages_claim,
    messages_dispatch_due,
    messages_heartbeat,
)
from notifications.models import Message
from notifications.outbox import link_message
from notifications.selectors import messaging_settings_get
from tests.factories import AppointmentFactory, UserFactory

from .conftest import (
    MONDAY_10,
    NOW,
    FailingEmailBackend,
    MailSessions,
    RefusingOneAddress,
    TakenOverWhileSending,
    dispatch_at,
    messages_of,
)

Kind, Status = Message.Kind, Message.Status
FAILING = "tests.notifications.conftest.FailingEmailBackend"


def confirmation_of(appointment):
    return messages_of(appointment, kind=Kind.CONFIRMATION)[0]


def test_a_claimed_message_cannot_be_claimed_by_a_second_dispatcher(booked):
    with time_machine.travel(NOW, tick=False):
        first = messages_claim(now=NOW, limit=10)
        second = messages_claim(now=NOW, limit=10)

    assert first == [confirmation_of(booked).pk]
    assert second == []
    assert (confirmation_of(booked).status, confirmation_of(booked).attempts) == (Status.SENDING, 1)


def test_a_failed_send_retries_with_backoff_then_ends_failed(booked, settings):
    settings.EMAIL_BACKEND = FAILING
    moment = NOW
    retry_times = []
    for _ in range(MAX_ATTEMPTS):
        dispatch_at(moment)
        message = confirmation_of(booked)
        retry_times.append(message.due_at - moment)
        moment = message.due_at

    assert retry_times[:-1] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    ]
    assert (message.status, message.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert "ConnectionRefusedError: mail server down" in message.last_error
    dispatch_at(moment + timedelta(days=1))
    assert confirmation_of(booked).status == Status.FAILED  # no sixth attempt


def test_a_message_that_failed_can_be_sent_again_from_the_admin(booked, admin_client):
    message = confirmation_of(booked)
    Message.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=MAX_ATTEMPTS)

    # At the test's own clock: the action queues the message for "now", and a real clock past
    # NOW would leave it due after the dispatch below.
    with time_machine.travel(NOW, tick=False):
        response = admin_client.post(
            "/admin/notifications/message/",
            {"action": "send_again", "_selected_action": [message.pk]},
            follow=True,
        )

    assert "1 message(s) queued to send again" in response.content.decode()
    (email,) = dispatch_at(NOW + timedelta(minutes=1))
    assert email.subject == "Your appointment on Monday 7 December"
    assert confirmation_of(booked).status == Status.SENT


def test_a_message_left_sending_by_a_killed_worker_is_sent_after_the_timeout(booked):
    # A worker claimed the confirmation, then died before sending it.
    with time_machine.travel(NOW, tick=False):
        messages_claim(now=NOW, limit=10)

    assert dispatch_at(NOW + SENDING_TIMEOUT - timedelta(seconds=1)) == []
    sent = dispatch_at(NOW + SENDING_TIMEOUT + timedelta(seconds=1))

    assert [email.subject for email in sent] == ["Your appointment on Monday 7 December"]
    assert (confirmation_of(booked).status, confirmation_of(booked).attempts) == (Status.SENT, 2)


def due_confirmations(therapist, service, count):
    """`count` booked appointments, each with its confirmation due at NOW."""
    appointments = [
        AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=2 * i))
        for i in range(count)
    ]
    Message.objects.bulk_create(
        Message(kind=Kind.CONFIRMATION, recipient=a.client, appointment=a, due_at=NOW, dedupe_key=f"c:{a.pk}")
        for a in appointments
    )


BEAT = timedelta(seconds=60)


@pytest.mark.parametrize(
    "first_tick_after", [timedelta(seconds=1), SENDING_TIMEOUT - timedelta(seconds=1), BEAT]
)
def test_messages_left_sending_by_a_killed_worker_go_within_two_minutes(
    clinic, service, therapist, first_tick_after
):
    due_confirmations(therapist, service, 25)
    # A worker claims a batch, sends three of it and is killed at NOW.
    with time_machine.travel(NOW, tick=False):
        claimed = messages_claim(now=NOW, limit=BATCH_SIZE)
        batch = list(Message.objects.filter(pk__in=claimed).order_by("pk"))
        for message in batch[:3]:
            messages_heartbeat([message], now=NOW)
            message_send(message, clinic=clinic_get(), messaging=messaging_settings_get())

    # Beat starts a dispatcher every minute, whatever the phase of its ticks against the crash.
    tick = NOW + first_tick_after
    while tick <= NOW + timedelta(minutes=2):
        dispatch_at(tick)
        tick += BEAT

    message_ids = [email.extra_headers["Message-ID"] for email in mail.outbox]
    assert len(message_ids) == len(set(message_ids)) == 25
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    assert max(Message.objects.values_list("sent_at", flat=True)) <= NOW + timedelta(minutes=2)


def test_a_live_workers_heartbeat_keeps_its_claim_through_a_slow_batch(
    clinic, service, therapist, slow_mail_server
):
    # Each message takes 30 seconds, so the batch's last one waits 4.5 minutes for its turn, far
    # beyond SENDING_TIMEOUT; another dispatcher looks for stuck rows at every send.
    due_confirmations(therapist, service, BATCH_SIZE)

    messages_dispatch_due()

    assert slow_mail_server.reclaimed == 0
    assert len(mail.outbox) == BATCH_SIZE
    assert set(Message.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_stalled_worker_does_not_send_the_rows_another_worker_took_over(
    clinic, service, therapist, slow_mail_server
):
    # The first send stalls past SENDING_TIMEOUT; meanwhile another dispatcher reclaims the
    # whole batch and sends it. The stalled message itself may go twice (at least once), the
    # rest of the batch must not.
    due_confirmations(therapist, service, 3)
    slow_mail_server.takes, slow_mail_server.rival_sends = SENDING_TIMEOUT + timedelta(seconds=15), True

    messages_dispatch_due()

    assert slow_mail_server.reclaimed == 3
    sent_to = [email.to[0] for email in mail.outbox]
    first, *rest = Message.objects.order_by("pk")
    assert sent_to.count(first.recipient.email) == 2
    assert all(sent_to.count(message.recipient.email) == 1 for message in rest)
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_stuck_message_on_its_last_attempt_ends_failed_not_retried_forever(booked):
    Message.objects.filter(pk=confirmation_of(booked).pk).update(
        status=Status.SENDING, attempts=MAX_ATTEMPTS, claimed_at=NOW
    )

    assert dispatch_at(NOW + SENDING_TIMEOUT + timedelta(minutes=1)) == []
    assert confirmation_of(booked).status == Status.FAILED


def test_a_slow_worker_whose_row_was_reclaimed_mid_send_still_records_sent_so_it_is_not_resent(
    booked, settings
):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.ReclaimedWhileSendingBackend"
    dispatch_at(NOW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert confirmation_of(booked).status == Status.SENT
    assert dispatch_at(NOW + timedelta(hours=1)) == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_the_same_time_send_each_due_message_exactly_once(clinic, service, therapist):
    clients = [UserFactory() for _ in range(20)]
    appointments = [
        AppointmentFactory(
            client=clients[i % 20],
            therapist=therapist,
            service=service,
            start=MONDAY_10 + timedelta(hours=2 * i),
        )
        for i in range(60)
    ]
    Message.objects.bulk_create(
        Message(
            kind=Kind.CONFIRMATION,
            recipient=a.client,
            appointment=a,
            due_at=NOW,
            dedupe_key=f"confirmation:{a.pk}",
        )
        for a in appointments
    )
    start_together = threading.Barrier(2)
    errors = []

    def run_dispatcher():
        try:
            start_together.wait()
            messages_dispatch_due(batch_size=5)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        threads = [threading.Thread(target=run_dispatcher) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    message_ids = [email.extra_headers["Message-ID"] for email in mail.outbox]
    assert len(message_ids) == 60
    assert len(set(message_ids)) == 60
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_each_batch_goes_over_one_mail_session(clinic, service, therapist, settings):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.MailSessions"
    MailSessions.opened = MailSessions.sent_outside_a_session = 0
    due_confirmations(therapist, service, 10)

    with time_machine.travel(NOW, tick=False):
        messages_dispatch_due(batch_size=4)

    assert len(mail.outbox) == 10
    assert MailSessions.opened == 3  # batches of 4, 4 and 2
    assert MailSessions.sent_outside_a_session == 0


def due_appointment_messages(therapist, service, count):
    """`count` messages of each appointment kind in turn, all due at NOW."""
    kinds = [Kind.CONFIRMATION, Kind.REMINDER, Kind.MOVED, Kind.CANCELLED, Kind.CAUTION_BOOKED]
    appointments = [
        AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(hours=2 * i))
        for i in range(count)
    ]
    Message.objects.bulk_create(
        Message(
            kind=kinds[i % len(kinds)],
            recipient=therapist.user if kinds[i % len(kinds)] == Kind.CAUTION_BOOKED else a.client,
            appointment=a,
            due_at=NOW,
            dedupe_key=f"m:{a.pk}",
        )
        for i, a in enumerate(appointments)
    )


# Reclaiming, the clinic's settings, one batch (claim, load, calendar sequences, record) and the
# claim that finds nothing left: the same whatever the batch's size.
QUERIES_FOR_ONE_BATCH = 17


@pytest.mark.parametrize("count", [5, 40])
def test_a_batch_is_loaded_and_recorded_in_the_same_few_queries_whatever_its_size(
    clinic, service, therapist, count, django_assert_max_num_queries
):
    due_appointment_messages(therapist, service, count)

    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(QUERIES_FOR_ONE_BATCH):
        outcomes = messages_dispatch_due(batch_size=count)

    assert outcomes["sent"] == len(mail.outbox) == count
    assert set(Message.objects.values_list("status", "attempts", "sent_at")) == {(Status.SENT, 1, NOW)}


def test_a_batch_with_every_outcome_records_each_row_its_own_result_in_few_queries(
    clinic, service, therapist, settings, django_assert_max_num_queries
):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.RefusingOneAddress"
    due_confirmations(therapist, service, 4)
    going, cancelled, refused, *_ = Message.objects.order_by("pk").select_related("appointment")
    cancelled.appointment.status = cancelled.appointment.Status.CANCELLED
    cancelled.appointment.save()
    refused.recipient.email = RefusingOneAddress.refused
    refused.recipient.save()

    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(QUERIES_FOR_ONE_BATCH):
        outcomes = messages_dispatch_due()

    assert outcomes == {"sent": 2, "skipped": 1, "retry": 1, "reclaimed": 0}
    rows = {m.pk: m for m in Message.objects.all()}
    assert (rows[going.pk].status, rows[going.pk].sent_at, rows[going.pk].last_error) == (
        Status.SENT,
        NOW,
        "",
    )
    assert (rows[cancelled.pk].status, rows[cancelled.pk].last_error) == (
        Status.SKIPPED,
        "The appointment is no longer booked.",
    )
    retry = rows[refused.pk]
    assert (retry.status, retry.attempts, retry.due_at) == (Status.QUEUED, 1, NOW + timedelta(minutes=1))
    assert retry.last_error.startswith("SMTPRecipientsRefused")


@pytest.mark.parametrize("fails", [False, True], ids=["delivered", "refused"])
def test_a_worker_that_lost_its_row_mid_send_does_not_record_over_the_new_owner(booked, settings, fails):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.TakenOverWhileSending"
    TakenOverWhileSending.fails = fails
    try:
        dispatch_at(NOW)
    finally:
        TakenOverWhileSending.fails = False

    # The row is the other dispatcher's attempt 2, as it claimed it: not "sent" or "queued for
    # a retry" by the worker that held attempt 1.
    confirmation = confirmation_of(booked)
    assert (confirmation.status, confirmation.attempts) == (Status.SENDING, 2)
    assert confirmation.last_error == "The worker stopped while sending; sending again."


def test_a_link_message_goes_with_its_link_and_nothing_more(clinic, client_user, settings):
    settings.SITE_URL = "https://book.riverside.example"
    link_message(
        recipient=client_user,
        kind=Kind.REASSESSMENT,
        link="/care/reassessment/signed-token/",
        key="reassessment:1",
        now=NOW,
    )

    (email,) = dispatch_at(NOW)

    assert email.subject == "A short questionnaire from Riverside Massage"
    assert email.to == ["client@example.com"]
    assert "https://book.riverside.example/care/reassessment/signed-token/" in email.body
    assert Message.objects.get(kind=Kind.REASSESSMENT).status == Status.SENT


def test_failing_backend_is_really_used(booked, settings):
    settings.EMAIL_BACKEND = FAILING
    before = FailingEmailBackend.sent_attempts

    dispatch_at(NOW)

    assert FailingEmailBackend.sent_attempts == before + 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    "page",
    [
        "/admin/notifications/message/",
        "/admin/notifications/tip/",
        "/admin/notifications/messagingsettings/add/",
        "/admin/notifications/tipsoptout/",
    ],
)
def test_the_admin_pages_for_messages_and_tips_open(booked, admin_client, page):
    assert admin_client.get(page).status_code == 200
