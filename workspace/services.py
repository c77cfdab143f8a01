"""Writes from the staff workspace: session notes and the schedule's frame
(weekly hours, time off, closures), plus finding or creating a client for a phone booking.

Booking, moving and cancelling go through bookings.services, like every other path. Writes to
the schedule's frame lock the therapists' rows, as the booking service does, so that a booking
being made at the same moment either lands first (and is then listed as a clash) or sees the
new time off and is refused.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from bookings.models import Appointment, Closure, Therapist, TimeOff, Weekday, WorkingHours
from privacy.access import client_accounts

from .models import SessionNote, SessionNoteRevision, TherapistNotification

NOTE_TEXT_FIELDS = ("client_reports", "findings", "positioning", "areas_treated", "plan", "home_care")
NOTE_FIELDS = (*NOTE_TEXT_FIELDS, "techniques", "pressure", "pain_before", "pain_after")


def session_note_save(
    *, appointment: Appointment, author: User, content: Mapping[str, Any], now: datetime | None = None
) -> SessionNote:
    """Write or change the session note of `appointment`; raise ValidationError (field-keyed).

    Every save also stores a SessionNoteRevision with the same content, in the same
    transaction, so a note's history can always be read back.
    """
    now = now or timezone.now()
    errors = _note_errors(content)
    with transaction.atomic():
        # The lock serialises two saves of the same note, so revision numbers never collide.
        appointment = (
            Appointment.objects.select_for_update().select_related("therapist").get(pk=appointment.pk)
        )
        refusal = session_note_refusal(appointment=appointment, author=author, now=now)
        if refusal:
            errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
        if errors:
            raise ValidationError(errors)
        note = SessionNote.objects.filter(appointment=appointment).first() or SessionNote(
            appointment=appointment, created_at=now
        )
        for field in NOTE_FIELDS:
            setattr(note, field, content[field])
        note.author = author
        note.updated_at = now
        note.save()
        last = note.revisions.aggregate(last=Max("number"))["last"] or 0
        SessionNoteRevision.objects.create(
            note=note,
            number=last + 1,
            content={field: content[field] for field in NOTE_FIELDS},
            saved_by=author,
            saved_at=now,
        )
        return note


def working_hours_replace(
    *, therapist: Therapist, intervals: Sequence[tuple[int, time, time]]
) -> list[WorkingHours]:
    """Replace the therapist's whole week with `intervals` of (weekday, start, end), local time."""
    errors = _hours_errors(intervals)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Therapist.objects.select_for_update().filter(pk=therapist.pk).first()
        WorkingHours.objects.filter(therapist=therapist).delete()
        return WorkingHours.objects.bulk_create(
            WorkingHours(therapist=therapist, weekday=weekday, start_time=start, end_time=end)
            for weekday, start, end in sorted(intervals)
        )


def time_off_add(*, therapist: Therapist, start: datetime, end: datetime, reason: str = "") -> TimeOff:
    """Block the therapist's time from `start` to `end`; booked appointments stay (see clashes)."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({NON_FIELD_ERRORS: ["Times must include their time zone."]})
    if end <= start:
        raise ValidationError({"end": ["The time off must end after it starts."]})
    with transaction.atomic():
        Therapist.objects.select_for_update().filter(pk=therapist.pk).first()
        return TimeOff.objects.create(therapist=therapist, start=start, end=end, reason=reason.strip())


def time_off_remove(*, time_off: TimeOff) -> None:
    time_off.delete()


def closure_add(*, day: date, reason: str = "") -> Closure:
    """Close the clinic for a whole local day; booked appointments stay (see clashes)."""
    already = f"The clinic is already closed on {day:%-d %B %Y}."
    try:
        with transaction.atomic():
            list(Therapist.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
            if Closure.objects.filter(date=day).exists():
                raise ValidationError({"date": [already]})
            return Closure.objects.create(date=day, reason=reason.strip())
    except IntegrityError as error:  # a closure saved at the same moment
        raise ValidationError({"date": [already]}) from error


def closure_remove(*, closure: Closure) -> None:
    closure.delete()


def client_find_or_create(*, first_name: str, last_name: str, email: str, phone: str) -> tuple[User, bool]:
    """The client with this email, or a new client account (no password: they can set one
    with "Forgotten your password?"). Returns (client, created). A staff account's email is
    refused: a client page is for clients (privacy.access.client_accounts)."""
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first() if email else None
    if existing is not None:
        if not client_accounts().filter(pk=existing.pk).exists():
            raise ValidationError({"email": ["This email belongs to a staff account, not a client."]})
        return existing, False
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter the client's email address."]
    if not first_name.strip():
        errors["first_name"] = ["Enter the client's first name."]
    if not last_name.strip():
        errors["last_name"] = ["Enter the client's last name."]
    if errors:
        raise ValidationError(errors)
    client = User(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), phone=phone.strip()
    )
    client.set_unusable_password()
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:  # created at the same moment by someone else
        return User.objects.get(email__iexact=email), False
    return client, True


def session_note_refusal(*, appointment: Appointment, author: User, now: datetime) -> str:
    """Why `author` can't write this appointment's note now (a sentence), or "" if they can."""
    if appointment.therapist.user_id != author.pk:
        return "Only the therapist who gave the session can write its note."
    if appointment.status == Appointment.Status.CANCELLED:
        return "This appointment was cancelled, so there is no session to note."
    if appointment.status == Appointment.Status.NO_SHOW:
        return "The client didn't come, so there is no session to note."
    if appointment.start > now:
        return "The session note can be written once the appointment has started."
    return ""


def _note_errors(content: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key in set(content) - set(NOTE_FIELDS):
        errors[key] = ["This is not one of the session note's fields."]
    for key in NOTE_FIELDS:
        if key not in content:
            errors[key] = ["This field is missing."]
    for key in NOTE_TEXT_FIELDS:
        if key in content and not isinstance(content[key], str):
            errors[key] = ["Enter text."]
    for key in ("pain_before", "pain_after"):
        value = content.get(key)
        if key in content and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10):
            errors[key] = ["Enter a pain score from 0 (none) to 10 (worst imaginable)."]
    techniques = content.get("techniques", [])
    if not isinstance(techniques, list) or not set(techniques) <= set(SessionNote.Technique.values):
        errors["techniques"] = ["Choose the techniques from the list."]
    if content.get("pressure", "") not in ("", *SessionNote.Pressure.values):
        errors["pressure"] = ["Choose light, medium or firm."]
    return errors


def _hours_errors(intervals: Sequence[tuple[int, time, time]]) -> dict[str, list[str]]:
    messages: list[str] = []
    by_weekday: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in intervals:
        if weekday not in range(7):
            messages.append("Choose a day of the week.")
        elif start >= end:
            messages.append(f"On {Weekday(weekday).label}, the hours must end after they start.")
        else:
            by_weekday.setdefault(weekday, []).append((start, end))
    for weekday, day_intervals in sorted(by_weekday.items()):
        day_intervals.sort()
        for (_, first_end), (second_start, _) in zip(day_intervals, day_intervals[1:], strict=False):
            if second_start < first_end:
                messages.append(f"On {Weekday(weekday).label}, two sets of hours overlap.")
                break
    return {NON_FIELD_ERRORS: messages} if messages else {}


def therapist_notification_write(appointment: Appointment, *, now: datetime) -> TherapistNotification:
    """Tell the appointment's therapist, on their agenda, that a client with a caution booked.

    Called inside the booking's transaction (through notifications.outbox). Booked with them
    again after a move away and back, the notification is new (unread) again.
    """
    notification, _ = TherapistNotification.objects.update_or_create(
        recipient_id=appointment.therapist.user_id,
        appointment=appointment,
        defaults={"created_at": now, "read_at": None},
    )
    return notification


def therapist_notification_mark_read(
    *, notification_id: int, reader: User, now: datetime | None = None
) -> bool:
    """Mark one of `reader`'s own notifications read; False if there is no such unread one."""
    unread = TherapistNotification.objects.filter(pk=notification_id, recipient=reader, read_at__isnull=True)
    return bool(unread.update(read_at=now or timezone.now()))
