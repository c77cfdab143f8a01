"""The .ics calendar attachment (RFC 5545 / iTIP RFC 5546) for an appointment.

Times carry the clinic's IANA zone (DTSTART;TZID=Europe/London) with a VTIMEZONE component,
so calendar apps show the clinic's wall-clock time whatever the reader's own zone. The UID is
stable per appointment; SEQUENCE grows with each move, so a calendar replaces the event
instead of adding a second one; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from bookings.models import Appointment, Clinic

from .links import manage_url, site_host


def appointment_uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@{site_host()}"


def appointment_calendar(
    appointment: Appointment, *, clinic: Clinic, sequence: int, cancelled: bool, now: datetime
) -> bytes:
    tz = clinic.tz
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic.name}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(tz))
    event.add("dtend", appointment.end.astimezone(tz))
    # A neutral title: calendars are often shared; the details are in the description.
    event.add("summary", f"Appointment at {clinic.name}")
    event.add(
        "description",
        f"{appointment.service.name} with {appointment.therapist.name}. To change or cancel: {manage_url()}",
    )
    if clinic.address:
        event.add("location", " ".join(clinic.address.split()))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")

    organizer = vCalAddress(f"mailto:{clinic.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(clinic.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{appointment.client.email}")
    attendee.params["cn"] = vText(appointment.client.get_full_name() or appointment.client.email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)

    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
