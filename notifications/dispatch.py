"""Sending the outbox: claim due rows a batch at a time, send them, record what happened.

Any number of dispatchers may run at once (Celery beat starts one a minute; a run can outlast
that). A batch is claimed by one conditional UPDATE that flips its rows from queued to sending
(healthchecks' sendalerts): whoever changes a row owns it, the others move on. On PostgreSQL
the candidates are picked with SELECT ... FOR UPDATE SKIP LOCKED so that dispatchers do not
queue up behind each other's rows; claiming counts an attempt, and `attempts` is the fencing
token that every later write to the row checks.

A claimed batch is loaded in one query and decided from what compose.batch_load reads for all
of it (a fixed number of queries; only a tip's intake standing and a health check's released
appointments are read per client). Each email is rendered as its turn comes and sent over the
batch's one mail-server session, and the results are recorded in bulk: one UPDATE for the sent
rows and one for the rest, each row written only while it still holds the attempt this worker
claimed.

A worker holds its claim by touching it: before a send, if HEARTBEAT_EVERY has passed since it
last did, it records the results it has so far and renews `claimed_at` on the rows of its batch
that are still its own (the heartbeat), and a row is reclaimed only once no one has touched it
for SENDING_TIMEOUT. A killed worker's rows are therefore back in the queue at the first
dispatch after SENDING_TIMEOUT (beat starts one a minute), and out within two minutes of the
crash. A worker that stalled and lost a row to a reclaim finds out at its next heartbeat, which
is due by then, and leaves the row to whoever holds it now.

Delivery is at least once. SMTP has no idempotency key, so a worker killed after the mail
server accepted a message but before "sent" was recorded leaves the row in "sending"; after
SENDING_TIMEOUT it is sent again. Results are recorded once a batch (or at a heartbeat), so what
a worker killed, or stalled past SENDING_TIMEOUT, can send twice is what it sent since it last
recorded: at most one batch from the last HEARTBEAT_EVERY, a fraction of a second's worth at a
normal pace. Every attempt carries the same Message-ID header so the duplicate can be recognised. The other choice (never retry a stuck row)
would lose every message whose worker died before reaching the mail server, which is the more
common crash, and a lost reminder costs the clinic more than a duplicate.
"""

import logging
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Case, Expression, ExpressionWrapper, F, Field, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from bookings.models import Clinic
from bookings.selectors import clinic_get

from .compose import MESSAGE_RELATED, Batch, Postpone, Skip, batch_load, message_compose
from .models import Message, MessagingSettings
from .selectors import messaging_settings_get

logger = logging.getLogger(__name__)

Status = Message.Status

# A crash strands a batch's unsent rows until SENDING_TIMEOUT and sends its sent but unrecorded
# ones again, so a batch is no more than a worker sends in well under a second; and by a hundred
# the fixed cost of a batch (a claim, a load, a mail session, a record: a few queries and
# commits) is spread thin: the database's work per message hardly falls beyond it. A slow mail
# server that makes a batch outlast HEARTBEAT_EVERY is covered by the heartbeat, which records
# what went and renews the claim on the rest.
BATCH_SIZE = 100
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
class Result:
    """What became of one claimed message, and what to write on its row."""

    outcome: str  # sent, skipped, postponed, retry or failed
    fields: dict[str, object]


def messages_dispatch_due(*, batch_size: int = BATCH_SIZE) -> Counter[str]:
    """Send every message that is due, batch by batch, until none is left; count the outcomes."""
    outcomes: Counter[str] = Counter()
    reclaimed_at = timezone.now()
    outcomes["reclaimed"] = messages_reclaim_stuck(now=reclaimed_at)
    clinic, messaging = clinic_get(), messaging_settings_get()
    while claimed := messages_claim(now=(claimed_at := timezone.now()), limit=batch_size):
        outcomes.update(
            _batch_send(_load(claimed), claimed_at=claimed_at, clinic=clinic, messaging=messaging)
        )
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
        claimed = Message.objects.filter(pk__in=candidates, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed != len(candidates):
            # Cannot happen while this transaction holds the candidates (row locks on PostgreSQL,
            # BEGIN IMMEDIATE's write lock on SQLite). If it does, which rows are whose is
            # unknown: roll back and claim none rather than send one twice.
            raise RuntimeError(f"Claimed {claimed} of {len(candidates)} locked messages")
        return candidates


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
    mine = Message.objects.filter(_held(claimed), status=Status.SENDING)
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
    batch = batch_load([message], clinic=clinic, messaging=messaging, now=timezone.now())
    result = _send(message, batch, mail=mail)
    _record([(message, result)])
    return result.outcome


def _batch_send(
    claimed: list[Message], *, claimed_at: datetime, clinic: Clinic, messaging: MessagingSettings
) -> Counter[str]:
    """Send a claimed batch over one mail-server session, renewing the claim as it goes."""
    batch = batch_load(claimed, clinic=clinic, messaging=messaging, now=claimed_at)
    outcomes: Counter[str] = Counter()
    pending: deque[Message] = deque(claimed)
    done: list[tuple[Message, Result]] = []
    renewed_at = claimed_at
    mail = _mail_connection()
    try:
        while pending:
            if timezone.now() - renewed_at >= HEARTBEAT_EVERY:
                renewed_at = timezone.now()
                _record(done)
                done = []
                pending = deque(messages_heartbeat(list(pending), now=renewed_at))
                continue
            message = pending.popleft()
            result = _send(message, batch, mail=mail)
            done.append((message, result))
            outcomes[result.outcome] += 1
    finally:
        try:
            mail.close()
        finally:
            _record(done)  # whatever stopped the loop: what went must not go again
    return outcomes


def _send(message: Message, batch: Batch, *, mail: BaseEmailBackend | None) -> Result:
    now = timezone.now()
    try:
        email = message_compose(message, batch, now=now)
        if isinstance(email, Skip):
            return Result("skipped", {"status": Status.SKIPPED, "last_error": email.reason})
        if isinstance(email, Postpone):
            # Not an attempt: give back the one the claim counted.
            fields = {"status": Status.QUEUED, "due_at": email.until, "attempts": F("attempts") - 1}
            return Result("postponed", fields)
        # Each message on its own over the batch's one session: a refusal is then this
        # message's alone, and the ones before it are known to have gone.
        email.connection = mail
        email.send()
    except Exception as error:
        return _failure(message, error, now=now)
    return Result("sent", {"status": Status.SENT, "last_error": ""})


def _failure(message: Message, error: Exception, *, now: datetime) -> Result:
    # The exception's text only: never the email's content, which may be clinical.
    detail = f"{type(error).__name__}: {error}"[:1000]
    logger.warning(
        "Message %s (%s) attempt %s failed: %s", message.pk, message.kind, message.attempts, detail
    )
    if message.attempts >= MAX_ATTEMPTS:
        return Result("failed", {"status": Status.FAILED, "last_error": detail})
    retry_at = now + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]
    return Result("retry", {"status": Status.QUEUED, "due_at": retry_at, "last_error": detail})


def _load(claimed: list[int]) -> list[Message]:
    """The claimed rows with everything their emails need, in one query, in claiming order."""
    # By primary key alone: a status condition here lets PostgreSQL pick the pending-messages
    # index too, and read every pending row's entry to find the batch's.
    found = Message.objects.select_related(*MESSAGE_RELATED).filter(pk__in=claimed)
    order = {pk: position for position, pk in enumerate(claimed)}
    return sorted((m for m in found if m.status == Status.SENDING), key=lambda m: order[m.pk])


def _record(results: list[tuple[Message, Result]]) -> None:
    """Write a batch's results: two UPDATEs whatever its size, each row only if it still holds
    the attempt this worker claimed (a stalled worker never writes over the next one's)."""
    sent = [(message, result.fields) for message, result in results if result.outcome == "sent"]
    other = [(message, result.fields) for message, result in results if result.outcome != "sent"]
    with transaction.atomic():
        # Whoever holds the same attempt number may record "sent", even if the row was
        # reclaimed meanwhile: it did go, and recording it spares a duplicate. The time is the
        # record's, at most a batch (or HEARTBEAT_EVERY) after the send.
        _write(Message.objects.all(), sent, sent_at=timezone.now())
        _write(Message.objects.filter(status=Status.SENDING), other)


def _write(
    rows: QuerySet[Message], results: list[tuple[Message, dict[str, object]]], **for_all: object
) -> None:
    """Each message's own fields in one UPDATE (as bulk_update does, but fenced on attempts)."""
    if not results:
        return
    values: dict[str, object] = dict(for_all)
    for name in {name for _, fields in results for name in fields}:
        field = Message._meta.get_field(name)
        assert isinstance(field, Field)
        per_row = [(message.pk, fields[name]) for message, fields in results if name in fields]
        first = per_row[0][1]
        if len(per_row) == len(results) and not isinstance(first, Expression | F):
            if all(value == first for _, value in per_row):
                values[name] = first  # the same for every row (a batch that all went, say)
                continue
        whens = [When(pk=pk, then=_expression(value, field)) for pk, value in per_row]
        values[name] = Cast(Case(*whens, default=F(name), output_field=field), output_field=field)
    rows.filter(_held(message for message, _ in results)).update(**values)


def _expression(value: object, field: Field) -> Expression:
    if isinstance(value, Expression | F):
        return ExpressionWrapper(value, output_field=field)
    return Value(value, output_field=field)


def _held(messages: Iterable[Message]) -> Q:
    """The rows as this worker claimed them: the same id at the same attempt (the fencing token).
    One IN list per attempt number, so the condition stays small whatever the batch's size."""
    by_attempt: defaultdict[int, list[int]] = defaultdict(list)
    for message in messages:
        by_attempt[message.attempts].append(message.pk)
    return reduce(or_, (Q(attempts=attempts, pk__in=pks) for attempts, pks in by_attempt.items()))


def _mail_connection() -> BaseEmailBackend:
    """One mail-server session per batch; if it cannot open, each send reports its own error."""
    mail = get_connection()
    try:
        mail.open()
    except Exception:
        logger.warning("Could not connect to the mail server; each message will retry", exc_info=True)
    return mail
