"""The emails: subject, plain text and HTML, headers, and the calendar attachment.

Subjects never carry clinical details (no service, no intake): a lock screen or a shared inbox
shows only the day and the clinic.
"""

from datetime import datetime
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat

from bookings.change_window import change_window
from bookings.models import Appointment, Clinic

from .ics import appointment_calendar
from .links import absolute, manage_url, pre_visit_url, reschedule_url, site_host, unsubscribe_url
from .models import Message
from .tips import Variant, tip_content

Kind = Message.Kind

SUBJECTS = {
    Kind.CONFIRMATION: "Your appointment on {day}",
    Kind.REMINDER: "Reminder: your appointment on {day}",
    Kind.MOVED: "Your appointment has moved to {day}",
    Kind.CANCELLED: "Your appointment on {day} is cancelled",
}


# The notes that carry the calendar invitation (the reminder only points at the day-of check).
CALENDAR_KINDS = (Kind.CONFIRMATION, Kind.MOVED, Kind.CANCELLED)


def appointment_email(
    message: Message, *, clinic: Clinic, sequence: int, now: datetime
) -> EmailMultiAlternatives:
    """A confirmation, reminder, moved or cancelled note, from the appointment as it is now;
    `sequence` is the appointment's calendar SEQUENCE (selectors.appointment_sequence)."""
    appointment = message.appointment
    assert appointment is not None
    start = appointment.start.astimezone(clinic.tz)
    # As the client's pages say: links to change it only while that still works online.
    changes = change_window(start=appointment.start, clinic=clinic, now=now)
    changes_until = changes.closes_at.astimezone(clinic.tz)
    context = {
        "kind": message.kind,
        "changes": changes,
        "changes_until": f"{day_text(changes_until)} at {dateformat.format(changes_until, 'H:i')}",
        "clinic": clinic,
        "client": message.recipient,
        "appointment": appointment,
        "day": day_text(start),
        "start_time": dateformat.format(start, "H:i"),
        "end_time": dateformat.format(appointment.end.astimezone(clinic.tz), "H:i"),
        "zone": start.tzname(),
        "manage_url": manage_url(),
        "reschedule_url": reschedule_url(appointment),
        "book_url": absolute(reverse("book")),
    }
    if message.kind == Kind.REMINDER:
        # Only a link: the questions, and any advice, stay on the page behind it.
        context["pre_visit_url"] = pre_visit_url(appointment)
    subject = SUBJECTS[Kind(message.kind)].format(day=context["day"])
    email = _email(message, subject, f"notifications/email/{message.kind}", context, clinic)
    if message.kind in CALENDAR_KINDS:
        cancelled = message.kind == Kind.CANCELLED
        calendar = appointment_calendar(
            appointment, clinic=clinic, sequence=sequence, cancelled=cancelled, now=now
        )
        email.attach(_calendar_part(calendar, method="CANCEL" if cancelled else "REQUEST"))
    return email


def health_check_email(
    message: Message, *, clinic: Clinic, released: list[Appointment]
) -> EmailMultiAlternatives:
    """The clinic needs to hear from the client: nothing clinical, only what was released."""
    tz = clinic.tz
    context = {
        "clinic": clinic,
        "client": message.recipient,
        "released": [
            {
                "when": f"{day_text(a.start.astimezone(tz))} at {dateformat.format(a.start.astimezone(tz), 'H:i')}",
                "service": a.service.name,
                "therapist": a.therapist.name,
            }
            for a in released
        ],
        "account_url": absolute(reverse("intake_result")),
    }
    return _email(
        message, f"Please contact {clinic.name}", "notifications/email/health_check", context, clinic
    )


def caution_booked_email(message: Message, *, clinic: Clinic) -> EmailMultiAlternatives:
    """To the therapist: a client booked with them and their intake needs reading first.

    Only the day, the time and a link: the email is sent only for a client with a caution, so
    even the client's name and the treatment stay behind the workspace's login.
    """
    appointment = message.appointment
    assert appointment is not None
    start = appointment.start.astimezone(clinic.tz)
    context = {
        "clinic": clinic,
        "client": message.recipient,  # _base.html greets "client": here the therapist
        "day": day_text(start),
        "start_time": dateformat.format(start, "H:i"),
        "appointment_url": absolute(reverse("workspace:appointment", args=[appointment.pk])),
    }
    subject = f"A client booked with you on {context['day']}"
    return _email(message, subject, "notifications/email/caution_booked", context, clinic)


def tip_email(message: Message, *, clinic: Clinic, variant: Variant) -> EmailMultiAlternatives:
    """A self-care tip in the client's variant, with when to stop and the safety net, and a
    one-click unsubscribe link (RFC 8058 headers too)."""
    tip = message.tip
    assert tip is not None
    unsubscribe = unsubscribe_url(message.recipient)
    context = {
        "clinic": clinic,
        "client": message.recipient,
        "tip": tip,
        # Plain text from the admin: the HTML template escapes it and adds the paragraphs.
        "content": tip_content(
            tip, variant, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
        "unsubscribe_url": unsubscribe,
    }
    email = _email(message, f"A tip from {clinic.name}", "notifications/email/tip", context, clinic)
    email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email


LINK_SUBJECTS = {
    Kind.REASSESSMENT: "A short questionnaire from {clinic}",
    Kind.DOCUMENT_READY: "A document from {clinic} is ready",
}


def link_email(message: Message, *, clinic: Clinic) -> EmailMultiAlternatives:
    """An email that says only that something is waiting, with the link (Message.link): the
    questionnaire or the document stays behind its signed link or the log-in."""
    context = {"clinic": clinic, "client": message.recipient, "url": absolute(message.link)}
    subject = LINK_SUBJECTS[Kind(message.kind)].format(clinic=clinic.name)
    return _email(message, subject, f"notifications/email/{message.kind}", context, clinic)


def day_text(local: datetime) -> str:
    """'Monday 7 December', in the clinic's local time."""
    return dateformat.format(local, "l j F")


def message_id(message: Message) -> str:
    """The same Message-ID for every attempt at one outbox row, so a retry that duplicates a
    delivered email can be recognised (and collapsed by mail systems that dedupe on it)."""
    return f"<{message.dedupe_key.replace(':', '.')}.{message.pk}@{site_host()}>"


def _email(
    message: Message, subject: str, template: str, context: dict[str, object], clinic: Clinic
) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[message.recipient.email],
        reply_to=[clinic.email] if clinic.email else None,
        headers={"Message-ID": message_id(message)},
    )
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return email


def _calendar_part(calendar: bytes, *, method: str) -> MIMEText:
    # text/calendar with the iTIP method parameter: mail apps then offer "add to calendar".
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="appointment.ics")
    return part
