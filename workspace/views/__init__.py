"""The staff workspace's pages. Access: workspace.access; rules: the services they call.

- therapist: the agenda, the appointment page (intake, notes, attendance), the client page
- desk: phone bookings (find or create a client, intake on their behalf, book, move, cancel)
- schedule: the clinic's day and week, weekly hours, time off, closures
- report: the figures for a period
"""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from bookings.models import Clinic


def clinic_today(clinic: Clinic) -> date:
    return timezone.localdate(timezone=clinic.tz)


def safe_next(request: HttpRequest) -> str:
    """The `next` page to return to, only if it is on this site."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""
