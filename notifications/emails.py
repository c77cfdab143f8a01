"""The emails: subject, plain text and HTML, headers, and the calendar attachment.

Subjects never carry clinical details (no service, no intake): a lock screen or a shared inbox
shows only the day and the clinic.
"""

from datetime import datetime
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe

from bookings.models import Clinic

from .ics import appointment_calendar
from .links import absolute, manage_url, reschedule_url, site_host, unsubscribe_url
from .models import Message
from .selectors import appointment_sequence
from .tips import Variant

Kind = Message.Kind

SUBJECTS = {
    Kind.CONFIRMATION: "Your appointment on {day}",
    Kind.REMINDER: "Reminder: your appointment on {day}",
    Kind.MOVED: "Your appointment has moved to {day}",
    Kind.CANCELLED: "Your appointment on {day} is cancelled",
}


def appointment_email(message: Message, *, clinic: Clinic, now: datetime) -> EmailMultiAlternatives:
    """A confirmation, reminder, moved or cancelled note, from the appointment as it is now."""
    appointment = message.appointment
    assert appointment is not None
    start = appointment.start.astimezone(clinic.tz)
    context = {
        "kind": message.kind,
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
    subject = SUBJECTS[Kind(message.kind)].format(day=context["day"])
    email = _email(message, subject, f"notifications/email/{message.kind}", context, clinic)
    if message.kind != Kind.REMINDER:
        cancelled = message.kind == Kind.CANCELLED
        calendar = appointment_calendar(
            appointment,
            clinic=clinic,
            sequence=appointment_sequence(appointment),
            cancelled=cancelled,
            now=now,
        )
        email.attach(_calendar_part(calendar, method="CANCEL" if cancelled else "REQUEST"))
    return email


def tip_email(message: Message, *, clinic: Clinic, variant: Variant) -> EmailMultiAlternatives:
    """A self-care tip, with a one-click unsubscribe link (RFC 8058 headers too)."""
    tip = message.tip
    assert tip is not None
    if variant == Variant.SAFE:
        text, html = tip.safe_text, linebreaks_filter(tip.safe_text, autoescape=True)
    else:
        # Staff-written HTML from the admin, trusted like the rest of the admin's content.
        text, html = tip.body_text, mark_safe(tip.body_html)
    unsubscribe = unsubscribe_url(message.recipient)
    context = {
        "clinic": clinic,
        "client": message.recipient,
        "tip": tip,
        "text": text,
        "html": html,
        "unsubscribe_url": unsubscribe,
    }
    email = _email(message, f"A tip from {clinic.name}", "notifications/email/tip", context, clinic)
    email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email


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
