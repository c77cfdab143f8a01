"""Middleware for every response: privacy headers, and a 503 when the database goes away."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_UNAVAILABLE = "The service is briefly unavailable. Please try again in a minute."

# Same for every visitor and free of anything personal, so a browser or proxy may keep them.
# Everything else the app renders may carry personal or clinical data (a signed-in page, an
# answer on the token-only day-of check, a password-reset link) or a CSRF token (the API's docs
# page), so it is never stored.
PUBLIC_VIEWS = frozenset({"api-v1:services", "api-v1:therapists", "api-v1:openapi-json"})

# Features no page of the clinic uses, refused to the page and anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PrivateResponsesMiddleware:
    """`Cache-Control: no-store` on every response but the public catalogue; `Permissions-Policy`.

    Sits below WhiteNoise, so static files (which carry nothing personal) keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = request.resolver_match
        if match is None or match.view_name not in PUBLIC_VIEWS:
            response["Cache-Control"] = "no-store"
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database connection drops mid-request.

    The API's own handler (clinic.api) does the same for its endpoints. The broken connection is
    closed at the end of the request (CONN_HEALTH_CHECKS), so the next request reconnects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log_database_unavailable(request, exception)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
        else:
            # A page of its own: base.html asks the database for the clinic's name.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def log_database_unavailable(request: HttpRequest, exception: Exception) -> None:
    # The exception's class, not its text: a database error's text can quote the query.
    logger.warning(
        "Database unavailable (%s) during %s %s", type(exception).__name__, request.method, request.path
    )
