import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from bookings.services import appointment_book
from notifications.dispatch import (
    SENDING_TIMEOUT,
    messages_claim,
    messages_dispatch_due,
    messages_reclaim_stuck,
)
from notifications.models import Message
from tests.factories import nothing_new

# Friday morning, and the Monday after at 10:00 (UTC+0 in London in December).
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


class FailingEmailBackend:
    """A mail server that refuses every message."""

    sent_attempts = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return None

    def close(self):
        return None

    def send_messages(self, messages):
        FailingEmailBackend.sent_attempts += len(messages)
        raise ConnectionRefusedError("mail server down")


class ReclaimedWhileSendingBackend(locmem.EmailBackend):
    """Delivers, but so slowly that another dispatcher reclaims the row meanwhile."""

    def send_messages(self, messages):
        messages_reclaim_stuck(now=timezone.now() + SENDING_TIMEOUT + timedelta(seconds=1))
        return super().send_messages(messages)


class RefusingOneAddress(locmem.EmailBackend):
    """A mail server that refuses one recipient and delivers to everyone else."""

    refused = "refused@example.com"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"No such user")})
        return super().send_messages(messages)


class MailSessions(locmem.EmailBackend):
    """Counts the sessions opened with the mail server, and any email sent outside one."""

    opened = 0
    sent_outside_a_session = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        MailSessions.opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        if not self.is_open:
            MailSessions.sent_outside_a_session += len(messages)
        return super().send_messages(messages)


class TakenOverWhileSending(locmem.EmailBackend):
    """Stalls past SENDING_TIMEOUT while it sends: meanwhile another dispatcher reclaims the
    row and claims it again (its attempt 2). Then delivers, or if `fails`, loses the server."""

    fails = False

    def send_messages(self, messages):
        later = timezone.now() + SENDING_TIMEOUT + timedelta(seconds=1)
        messages_reclaim_stuck(now=later)
        messages_claim(now=later, limit=10)
        if TakenOverWhileSending.fails:
            raise ConnectionResetError("the mail server went away")
        return super().send_messages(messages)


class SlowMailServer(locmem.EmailBackend):
    """Takes `takes` per message (the test's clock moves on), while another dispatcher reclaims
    whatever looks stuck and, if `rival_sends`, sends it: set by `slow_mail_server`."""

    traveller = None
    takes = timedelta(seconds=30)
    rival_sends = False
    reclaimed = 0

    def send_messages(self, messages):
        cls = SlowMailServer
        cls.traveller.shift(cls.takes)
        if cls.rival_sends:
            cls.rival_sends = False  # one rival, and it is not itself slow
            cls.reclaimed += messages_dispatch_due()["reclaimed"]
        else:
            cls.reclaimed += messages_reclaim_stuck(now=timezone.now())
        return super().send_messages(messages)


@pytest.fixture
def slow_mail_server(settings):
    """A SlowMailServer on a clock frozen at NOW; shifts it as each message goes."""
    settings.EMAIL_BACKEND = "tests.notifications.conftest.SlowMailServer"
    with time_machine.travel(NOW, tick=False) as traveller:
        SlowMailServer.traveller, SlowMailServer.reclaimed = traveller, 0
        yield SlowMailServer
    SlowMailServer.traveller, SlowMailServer.rival_sends = None, False
    SlowMailServer.takes = timedelta(seconds=30)


def dispatch_at(moment):
    """Run one dispatcher at `moment`; the emails it sent."""
    before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        messages_dispatch_due()
    return mail.outbox[before:]


def book(client, therapist, service, start=MONDAY_10, now=NOW):
    with time_machine.travel(now, tick=False):
        return appointment_book(
            client=client, therapist=therapist, service=service, start=start, red_flags=nothing_new()
        )


def messages_of(appointment, **filters):
    return list(Message.objects.filter(appointment=appointment, **filters).order_by("due_at", "pk"))


@pytest.fixture
def booked(clinic, service, therapist, client_user):
    return book(client_user, therapist, service)
