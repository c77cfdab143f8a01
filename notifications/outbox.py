"""The outbox: rows saying which messages to send, written by the booking services' transactions.

bookings.services calls one function here inside each transaction.atomic() block, after it has
locked and written the appointment, so a message exists if and only if the change that causes
it committed. Nothing here talks to the broker or the mail server: a booking never fails, or
waits, because Redis or SMTP is down. The dispatcher (dispatch.py) sends the rows later.
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from accounts.models import User
from bookings.models import Appointment
from bookings.selectors import clinic_get
from clinic.rows import rows_insert
from intake.models import Intake
from workspace.services import therapist_notification_write

from .models import Message, Tip
from .schedule import local_date, reminder_due_at, tip_due_at
from .selectors import appointment_sequence, messaging_settings_get, tips_opted_out

Kind = Message.Kind
Status = Message.Status
_NO_SHOW = "Marked as a no-show."


def appointment_booked(appointment: Appointment, *, now: datetime) -> None:
    """Queue the confirmation (due now) and the reminder before the appointment."""
    rows = [_message(appointment, Kind.CONFIRMATION, due_at=now, key=f"confirmation:{appointment.pk}")]
    rows += _reminder(appointment, sequence=0, now=now)
    rows_insert(rows, ignore_conflicts=True)


def caution_booked(appointment: Appointment, *, now: datetime) -> None:
    """Tell the therapist that a client with a caution booked with them (spec §1: "the therapist
    is alerted"): a notification on their agenda, and an email that says only when, with a link.
    """
    therapist_notification_write(appointment, now=now)
    # Once per booking or move: a client moved away and back is news to the therapist again.
    sequence = appointment_sequence(appointment)
    note = Message(
        kind=Kind.CAUTION_BOOKED,
        recipient_id=appointment.therapist.user_id,
        appointment=appointment,
        sequence=sequence,
        due_at=now,
        dedupe_key=f"caution-booked:{appointment.pk}:{sequence}",
    )
    rows_insert([note], ignore_conflicts=True)


def appointment_moved(appointment: Appointment, *, now: datetime) -> None:
    """Re-time the reminder and queue a note of the new time (a new calendar SEQUENCE)."""
    pending = _lock_pending(appointment)
    confirmation_pending = pending.filter(kind=Kind.CONFIRMATION).exists()
    pending.filter(kind__in=[Kind.REMINDER, Kind.MOVED]).update(
        status=Status.CANCELLED, last_error="Replaced: the appointment moved."
    )
    sequence = appointment_sequence(appointment) + 1
    rows = []
    if not confirmation_pending:
        # An unsent confirmation is rendered when it goes, so it already carries the new time.
        rows.append(
            _message(
                appointment,
                Kind.MOVED,
                due_at=now,
                sequence=sequence,
                key=f"moved:{appointment.pk}:{sequence}",
            )
        )
    rows += _reminder(appointment, sequence=sequence, now=now)
    rows_insert(rows, ignore_conflicts=True)


def appointment_cancelled(appointment: Appointment, *, now: datetime) -> None:
    """Cancel the appointment's pending messages and queue the cancellation note."""
    _lock_pending(appointment).update(status=Status.CANCELLED, last_error="The appointment was cancelled.")
    sequence = appointment_sequence(appointment) + 1
    note = _message(
        appointment, Kind.CANCELLED, due_at=now, sequence=sequence, key=f"cancelled:{appointment.pk}"
    )
    rows_insert([note], ignore_conflicts=True)


def attendance_recorded(appointment: Appointment, *, now: datetime) -> None:
    """After a completed session, queue the self-care tips; a no-show gets none.

    A no-show corrected to completed gets its tips back: the ones the no-show withdrew are queued
    again, due as if the session had just been marked.
    """
    pending = _lock_pending(appointment)
    pending.exclude(kind=Kind.TIP).update(status=Status.CANCELLED, last_error="The session has taken place.")
    if appointment.status != Appointment.Status.COMPLETED:
        pending.filter(kind=Kind.TIP).update(status=Status.CANCELLED, last_error=_NO_SHOW)
        return
    if tips_opted_out(appointment.client):
        return
    messaging = messaging_settings_get()
    tz = clinic_get().tz
    # A session marked completed days late starts its programme from the day it was marked,
    # so the client does not get several tips at once.
    day_zero = max(local_date(appointment.start, tz), local_date(now, tz))
    rows = [
        Message(
            kind=Kind.TIP,
            recipient_id=appointment.client_id,
            appointment=appointment,
            tip=tip,
            due_at=tip_due_at(day_zero + timedelta(days=tip.day), messaging, tz),
            dedupe_key=f"tip:{appointment.pk}:{tip.day}",
        )
        for tip in Tip.objects.filter(is_active=True)
    ]
    withdrawn = {
        message.dedupe_key: message
        for message in Message.objects.select_for_update().filter(
            appointment=appointment, kind=Kind.TIP, status=Status.CANCELLED, last_error=_NO_SHOW
        )
    }
    for row in rows:
        if row.dedupe_key in withdrawn:
            again = withdrawn[row.dedupe_key]
            again.status, again.due_at, again.last_error = Status.QUEUED, row.due_at, ""
    Message.objects.bulk_update(withdrawn.values(), ["status", "due_at", "last_error"])
    rows_insert(rows, ignore_conflicts=True)


def client_blocked(client: User, *, intake: Intake, released: list[Appointment], now: datetime) -> None:
    """A red flag stops the client booking: withdraw their reminders and tips, ask them to call.

    The note says only that the clinic needs to hear from them and which appointments were
    released; the advice itself is on the site, behind their login.
    """
    pending = Message.objects.filter(recipient=client, status=Status.QUEUED).filter(
        Q(kind=Kind.TIP) | Q(appointment__in=released)
    )
    list(pending.select_for_update())
    pending.update(status=Status.CANCELLED, last_error="Withdrawn: the client's health check stops booking.")
    if not released:
        return  # the client has just read the advice on screen; the desk follows up
    note = Message(
        kind=Kind.HEALTH_CHECK,
        recipient=client,
        appointment=released[0],
        due_at=now,
        dedupe_key=f"health-check:{intake.pk}",
    )
    rows_insert([note], ignore_conflicts=True)


def link_message(*, recipient: User, kind: str, link: str, key: str, now: datetime) -> None:
    """Queue an email to `recipient` that only points at `link` (a path: a signed questionnaire,
    or a document behind log-in); `key` makes it once only (Message.dedupe_key)."""
    row = Message(kind=kind, recipient=recipient, link=link, due_at=now, dedupe_key=key)
    rows_insert([row], ignore_conflicts=True)


def _lock_pending(appointment: Appointment) -> QuerySet[Message]:
    """The appointment's queued messages, locked until the caller's transaction ends.

    The lock makes a dispatcher's claim wait for this change to commit, so a message is never
    claimed, then rendered from the appointment as it was before the change.
    """
    pending = Message.objects.filter(appointment=appointment, status=Status.QUEUED)
    list(pending.select_for_update())
    return pending


def _reminder(appointment: Appointment, *, sequence: int, now: datetime) -> list[Message]:
    due_at = reminder_due_at(appointment.start, messaging_settings_get())
    if due_at <= now:
        return []  # booked or moved inside the reminder window: the confirmation or note is the reminder
    key = f"reminder:{appointment.pk}:{sequence}"
    return [_message(appointment, Kind.REMINDER, due_at=due_at, sequence=sequence, key=key)]


def _message(
    appointment: Appointment, kind: str, *, due_at: datetime, key: str, sequence: int = 0
) -> Message:
    return Message(
        kind=kind,
        recipient_id=appointment.client_id,
        appointment=appointment,
        sequence=sequence,
        due_at=due_at,
        dedupe_key=key,
    )
