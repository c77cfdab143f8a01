"""JSON API v1: the public contract for booking widgets and apps.

Session auth, with Django's CSRF check on every unsafe method (send the `csrftoken` cookie's value
as X-CSRFToken). Every error, including an unknown path or a wrong method, is JSON with `detail`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core import signals
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import ValidationError

from accounts.api import router as accounts_router
from bookings.api import appointments_router, refusal_response
from bookings.api import router as bookings_router
from bookings.errors import BookingError


class ClinicAPI(NinjaAPI):
    """A NinjaAPI that also answers unknown paths and wrong methods in JSON."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_errors(pattern.callback)
        patterns.append(re_path(r"^.*$", _json_errors(_unknown_path)))
        return patterns, app_name, namespace


api = ClinicAPI(title="Clinic booking API", version="1", urls_namespace="api-v1")
api.add_router("/auth", accounts_router)
api.add_router("/", bookings_router)
api.add_router("/appointments", appointments_router)
api.add_router("/intake", "intake.api.router")


def _error(request: HttpRequest, status: int, detail: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _unknown_path(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def _json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the 404s and 405s that Django and ninja answer in HTML or text into JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _error(request, 404, "Not found.")
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(request, 405, f"Method {request.method} is not allowed here; use {allowed}.")
            response["Allow"] = allowed
        return response

    # Each operation runs Django's CSRF check itself (ninja's session auth, or
    # accounts.api.csrf_checked), so that a failure is JSON too; the rest only read.
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def _field_name(loc: tuple[str | int, ...]) -> str:
    source, *path = loc
    if source == "body":
        path = path[1:]  # the view's argument name ("booking"), which means nothing to a client
    return ".".join(str(part) for part in path) or str(source)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(tuple(error["loc"])), []).append(error["msg"])
    detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(BookingError)
def booking_refused(request: HttpRequest, error: BookingError) -> HttpResponse:
    status, body = refusal_response(error)
    return api.create_response(request, body, status=status)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # What Django does for an uncaught exception (error reporters listen to the signal, the
    # log gets the traceback), but the client still gets JSON.
    signals.got_request_exception.send(sender=None, request=request)
    response = _error(request, 500, "Something went wrong on our side. Please try again.")
    log_response(
        "%s: %s", "Internal Server Error", request.path, response=response, request=request, exception=exc
    )
    return response
