"""The account emails, sent at once like Django's own password-reset email.

They are about the account itself (no appointment, nothing clinical), so they do not go through
the notifications outbox, which sits above accounts; a failed send is logged, never shown, so
that the page answers the same whether or not an email went out.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, user: User, to: str, subject: str, template: str, **context: object) -> None:
    site_name = urlsplit(settings.SITE_URL).hostname or "the clinic"
    body = render_to_string(template, {"user": user, "site_name": site_name, **context})
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        # The user's id, not the address: logs hold no email addresses.
        logger.exception("Could not send %s to user %s", template, user.pk)


def address_in_use_email_send(owner: User) -> None:
    """Tell an account's owner that someone tried to use their address for another account."""
    _send(
        user=owner,
        to=owner.email,
        subject="Your account",
        template="accounts/email/address_in_use.txt",
        login_url=_absolute(reverse("login")),
        reset_url=_absolute(reverse("password_reset")),
    )


def email_change_link_send(*, user: User, new_email: str, token: str) -> None:
    _send(
        user=user,
        to=new_email,
        subject="Confirm your new email address",
        template="accounts/email/email_change_link.txt",
        new_email=new_email,
        confirm_url=_absolute(reverse("email_change_confirm", args=[token])),
    )


def email_changed_notice_send(*, user: User, old_email: str) -> None:
    """Tell the old address that the account now uses another one."""
    _send(
        user=user,
        to=old_email,
        subject="Your email address has changed",
        template="accounts/email/email_changed.txt",
    )
