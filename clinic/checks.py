"""System checks of the project's own settings, run by `manage.py check --deploy`."""

from collections.abc import Sequence
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


@register(Tags.security, deploy=True)
def site_url_check(
    *, app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """SITE_URL starts every link in the emails: clients must be able to open it, over https."""
    url = urlsplit(settings.SITE_URL)
    problems: list[CheckMessage] = []
    if _is_local(url.hostname or ""):
        problems.append(
            Warning(
                f"SITE_URL ({settings.SITE_URL}) points at this machine, so the links in clients' "
                "emails won't open for them.",
                hint="Set SITE_URL to the address clients use, for example https://book.your-clinic.example.",
                id="clinic.W001",
            )
        )
    if url.scheme != "https":
        problems.append(
            Warning(
                f"SITE_URL ({settings.SITE_URL}) is not https: the links in clients' emails (sign-in, "
                "the day-of health check) would travel unencrypted.",
                hint="Serve the site over https and start SITE_URL with https://.",
                id="clinic.W002",
            )
        )
    return problems


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith(".localhost") or not host:
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
