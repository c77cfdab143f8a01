"""Absolute links in emails, and the signed token of the one-click unsubscribe link.

The day-of health check's token is bookings.previsit's: that page lives with the bookings.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from bookings.models import Appointment
from bookings.previsit import pre_visit_token

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def manage_url() -> str:
    """The client's appointments page, where they can cancel (after signing in)."""
    return absolute(reverse("my_appointments"))


def reschedule_url(appointment: Appointment) -> str:
    return absolute(reverse("appointment_reschedule", args=[appointment.pk]))


def pre_visit_url(appointment: Appointment) -> str:
    """The day-of health check for `appointment`, answered without signing in (a signed token)."""
    return absolute(reverse("pre_visit_check", args=[pre_visit_token(appointment)]))


def unsubscribe_token(user: User) -> str:
    # No expiry: a tip email read months later must still unsubscribe. The token names only
    # the user and works only for tips, so a forwarded email risks nothing more than that.
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_id(token: str) -> int | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    return user_id if isinstance(user_id, int) else None


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user)]))
