"""The staff workspace's pages. Access: privacy.access; rules: the services they call.

- therapist: the agenda, the appointment page (intake, notes, attendance), the client page
- therapist_notifications: marking read the agenda's "a client with a caution booked" notes
- pre_visit: the day-of health check on the appointment page (asked before the session)
- desk: phone bookings (find or create a client, intake on their behalf, book, move, cancel)
- schedule: the clinic's day and week, weekly hours, time off, closures
- report: the figures for a period
"""

from datetime import date

from django.utils import timezone

from bookings.models import Clinic


def clinic_today(clinic: Clinic) -> date:
    return timezone.localdate(timezone=clinic.tz)
