"""Sending the outbox: claim due rows, send each, record what happened.

Any number of dispatchers may run at once (Celery beat starts one a minute; a run can outlast
that). A row is claimed by the conditional UPDATE that flips it from queued to sending
(healthchecks' sendalerts): whoever changes the row owns it, the others move on. On PostgreSQL
the candidates are picked with SELECT ... FOR UPDATE SKIP LOCKED so that dispatchers do not
queue up behind each other's rows.

A worker holds its claim by touching it: before a send, if HEARTBEAT_EVERY has passed since it
last did, it renews `claimed_at` on the rows of its batch that are still its own (the
heartbeat), and a row is reclaimed only once no one has touched it for SENDING_TIMEOUT. A killed
worker's rows are therefore back in the queue at the first dispatch after SENDING_TIMEOUT (beat
starts one a minute), and out within two minutes of the crash. A worker that stalled and lost a
row to a reclaim finds out at its next heartbeat, which is due by then, and leaves the row to
whoever holds it now; `attempts` is the fencing token.

Delivery is at least once. SMTP has no idempotency key, so a worker killed after the mail
server accepted a message but before "sent" was recorded leaves the row in "sending"; after
SENDING_TIMEOUT it is sent again. That window is a few milliseconds per message; every attempt
carries the same Message-ID header so the duplicate can be recognised. The other choice (never
retry a stuck row) would lose every message whose worker died before reaching the mail server,
which is the more common crash, and a lost reminder costs the clinic more than a duplicate.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from bookings.models import Appointment, Clinic
from bookings.selectors import appointments_released_for_health_check, clinic_get
from intake.selectors import intake_standing

from . import tips
from .emails import appointment_email, caution_booked_email, health_check_email, tip_email
from .models import Message, MessagingSettings
from .schedule import daytime_from, is_quiet
from .selectors import messaging_settings_get, tips_opted_out

logger = logging.getLogger(__name__)

Kind = Message.Kind
Status = Message.Status

# Small, so that a crash strands few rows and the batch's mail-server session stays short.
BATCH_SIZE = 10
MAX_ATTEMPTS = 5
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
# How long a claim lasts without a heartbeat: longer than one send (EMAIL_TIMEOUT bounds each
# step of an SMTP conversation) plus HEARTBEAT_EVERY. Beat starts a dispatch every 60 seconds,
# so a killed worker's rows go out by crash + SENDING_TIMEOUT + 60 s: 105 s, inside the two
# minutes a confirmation may be late.
SENDING_TIMEOUT = timedelta(seconds=45)
# A batch at a normal pace is sent within this, so it needs no heartbeat beyond its claim; a
# third of SENDING_TIMEOUT leaves room for a slow send and for clocks that differ between hosts.
HEARTBEAT_EVERY = timedelta(seconds=15)
# A dispatcher draining a long queue reclaims other workers' stuck rows this often as it goes,
# in case beat's next tick waits behind it on a busy worker.
RECLAIM_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Postpone:
    until: datetime


def messages_dispatch_due(*, batch_size: int = BATCH_SIZE) -> Counter[str]:
    """Send every message that is due, batch by batch, until none is left; count the outcomes."""
    outcomes: Counter[str] = Counter()
    reclaimed_at = timezone.now()
    outcomes["reclaimed"] = messages_reclaim_stuck(now=reclaimed_at)
    clinic, messaging = clinic_get(), messaging_settings_get()
    while claimed := messages_claim(now=(claimed_at := timezone.now()), limit=batch_size):
        batch = _batch_send(_load(claimed), claimed_at=claimed_at, clinic=clinic, messaging=messaging)
        outcomes.update(batch)
        if timezone.now() - reclaimed_at >= RECLAIM_EVERY:
            reclaimed_at = timezone.now()
            outcomes["reclaimed"] += messages_reclaim_stuck(now=reclaimed_at)
    return outcomes


def messages_claim(*, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due messages for this worker: they are "sending" when this returns."""
    with transaction.atomic():
        due = Message.objects.filter(status=Status.QUEUED, due_at__lte=now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(due.values_list("pk", flat=True)[:limit])
        return [pk for pk in candidates if _claim(pk, now=now)]


def messages_reclaim_stuck(*, now: datetime) -> int:
    """Put rows whose worker died mid-send back in the queue (or fail them after the last attempt)."""
    stuck = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
    failed = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error="The worker stopped while sending; it may or may not have gone."
    )
    requeued = stuck.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=Status.QUEUED, due_at=now, last_error="The worker stopped while sending; sending again."
    )
    if failed or requeued:
        logger.warning("Reclaimed %s stuck messages, %s of them failed", failed + requeued, failed)
    return failed + requeued


def messages_heartbeat(claimed: list[Message], *, now: datetime) -> list[Message]:
    """Renew this worker's claim on `claimed`; the rows that are still its own, in order.

    A row this worker no longer holds (reclaimed after a stall, perhaps claimed by another
    worker since) is dropped: sending it too would be a duplicate.
    """
    if not claimed:
        return []
    held_by_me = reduce(or_, (Q(pk=message.pk, attempts=message.attempts) for message in claimed))
    mine = Message.objects.filter(held_by_me, status=Status.SENDING)
    if mine.update(claimed_at=now) == len(claimed):
        return claimed
    still_mine = set(mine.values_list("pk", flat=True))
    lost = [message.pk for message in claimed if message.pk not in still_mine]
    logger.warning("Messages %s were reclaimed from this worker before it sent them", lost)
    return [message for message in claimed if message.pk in still_mine]


def message_send(
    message: Message, *, clinic: Clinic, messaging: MessagingSettings, mail: BaseEmailBackend | None = None
) -> str:
    """Send one claimed message and record the result: sent, skipped, postponed, retry or failed."""
    now = timezone.now()
    try:
        email = _prepare(message, clinic=clinic, messaging=messaging, now=now)
        if isinstance(email, Skip):
            _record(message, status=Status.SKIPPED, last_error=email.reason)
            return "skipped"
        if isinstance(email, Postpone):
            # Not an attempt: give back the one the claim counted.
            _record(message, status=Status.QUEUED, due_at=email.until, attempts=F("attempts") - 1)
            return "postponed"
        email.connection = mail
        email.send()
    except Exception as error:
        return _record_failure(message, error, now=now)
    # Whoever holds the same attempt number may record "sent", even if the row was reclaimed
    # meanwhile: it did go, and recording it spares a duplicate.
    Message.objects.filter(pk=message.pk, attempts=message.attempts).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _batch_send(
    pending: list[Message], *, claimed_at: datetime, clinic: Clinic, messaging: MessagingSettings
) -> Counter[str]:
    """Send a claimed batch over one mail-server session, renewing the claim as it goes."""
    outcomes: Counter[str] = Counter()
    renewed_at = claimed_at
    mail = _mail_connection()
    try:
        while pending:
            if timezone.now() - renewed_at >= HEARTBEAT_EVERY:
                renewed_at = timezone.now()
                pending = messages_heartbeat(pending, now=renewed_at)
                continue
            message, *pending = pending
            outcomes[message_send(message, clinic=clinic, messaging=messaging, mail=mail)] += 1
    finally:
        mail.close()
    return outcomes


def _load(claimed: list[int]) -> list[Message]:
    """The claimed rows with everything their emails need, in one query."""
    related = [
        "recipient",
        "tip",
        "appointment__service",
        "appointment__therapist__user",
        "appointment__client",
    ]
    found = Message.objects.select_related(*related).filter(pk__in=claimed, status=Status.SENDING)
    return sorted(found, key=lambda message: claimed.index(message.pk))


def _claim(pk: int, *, now: datetime) -> bool:
    updated = Message.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return bool(updated)  # 0: another worker has it


def _prepare(
    message: Message, *, clinic: Clinic, messaging: MessagingSettings, now: datetime
) -> EmailMultiAlternatives | Skip | Postpone:
    """The email to send now, or why not (Skip), or when instead (Postpone)."""
    if not message.recipient.is_active:
        return Skip("The client's account is closed.")
    if message.kind == Kind.TIP:
        return _prepare_tip(message, clinic=clinic, messaging=messaging, now=now)
    if message.kind == Kind.CAUTION_BOOKED:
        return _prepare_caution_booked(message, clinic=clinic, now=now)
    if message.kind == Kind.HEALTH_CHECK:
        return health_check_email(
            message,
            clinic=clinic,
            released=appointments_released_for_health_check(message.recipient, now=now),
        )
    appointment = message.appointment
    if appointment is None:
        return Skip("The appointment no longer exists.")
    if message.kind != Kind.CANCELLED:
        if appointment.status != Appointment.Status.BOOKED:
            return Skip("The appointment is no longer booked.")
        if appointment.start <= now:
            return Skip("The appointment has already started.")
    return appointment_email(message, clinic=clinic, now=now)


def _prepare_caution_booked(
    message: Message, *, clinic: Clinic, now: datetime
) -> EmailMultiAlternatives | Skip:
    appointment = message.appointment
    if appointment is None or appointment.status != Appointment.Status.BOOKED:
        return Skip("The appointment is no longer booked.")
    if appointment.therapist.user_id != message.recipient_id:
        return Skip("The appointment has moved to another therapist.")
    if appointment.start <= now:
        return Skip("The appointment has already started.")
    return caution_booked_email(message, clinic=clinic)


def _prepare_tip(
    message: Message, *, clinic: Clinic, messaging: MessagingSettings, now: datetime
) -> EmailMultiAlternatives | Skip | Postpone:
    if message.tip is None or not message.tip.is_active:
        return Skip("The tip has been switched off.")
    if tips_opted_out(message.recipient):
        return Skip("The client unsubscribed from tips.")
    if message.appointment is not None and tips.next_session_started(message.appointment, now=now):
        return Skip("The client's next session has come.")
    if is_quiet(now, messaging, clinic.tz):
        return Postpone(daytime_from(now, messaging, clinic.tz))
    standing = intake_standing(message.recipient, valid_days=clinic.intake_valid_days, now=now)
    variant = tips.tip_variant(standing)
    if variant is None:
        if standing.outcome is None:
            return Skip("No current intake: no self-care tips.")
        return Skip("The client's red flag is in force: no exercise advice.")
    return tip_email(message, clinic=clinic, variant=variant)


def _record(message: Message, **fields: object) -> bool:
    """Record a result only if the row is still this worker's claim."""
    mine = Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts)
    return bool(mine.update(**fields))


def _record_failure(message: Message, error: Exception, *, now: datetime) -> str:
    # The exception's text only: never the email's content, which may be clinical.
    detail = f"{type(error).__name__}: {error}"[:1000]
    logger.warning(
        "Message %s (%s) attempt %s failed: %s", message.pk, message.kind, message.attempts, detail
    )
    if message.attempts >= MAX_ATTEMPTS:
        _record(message, status=Status.FAILED, last_error=detail)
        return "failed"
    retry_at = now + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]
    _record(message, status=Status.QUEUED, due_at=retry_at, last_error=detail)
    return "retry"


def _mail_connection() -> BaseEmailBackend:
    """One mail-server session per batch; if it cannot open, each send reports its own error."""
    mail = get_connection()
    try:
        mail.open()
    except Exception:
        logger.warning("Could not connect to the mail server; each message will retry", exc_info=True)
    return mail
