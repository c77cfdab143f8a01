"""JSON API v1: the public contract for booking widgets and apps.

Session auth, with Django's CSRF check on every unsafe method (send the `csrftoken` cookie's value
as X-CSRFToken). Every error, including an unknown path or a wrong method, is JSON with `detail`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, re_path
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import ValidationError

from accounts.api import router as accounts_router
from bookings.api import appointments_router, refusal_response
from bookings.api import router as bookings_router
from bookings.errors import BookingError
from clinic.middleware import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, log_database_unavailable
from clinic.throttle import Throttled


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

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The schema, with the answers any operation can give besides its own (handlers below)."""
        schema = super().get_openapi_schema(**kwargs)
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                responses = operation["responses"]
                answers = UNSAFE_METHOD_ANSWERS if method in ("post", "put", "patch", "delete") else {}
                for status, description in {**answers, **EVERY_OPERATION_ANSWERS}.items():
                    responses.setdefault(status, {"description": description, "content": ERROR_CONTENT})
        return schema


ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
EVERY_OPERATION_ANSWERS = {503: "The database is briefly unreachable; try again after Retry-After seconds."}
UNSAFE_METHOD_ANSWERS = {
    400: "The body could not be read (for example multipart without a boundary).",
    413: "The body is larger than the server accepts.",
}


api = ClinicAPI(title="Clinic booking API", version="1", urls_namespace="api-v1")
api.add_router("/auth", accounts_router)
api.add_router("/", bookings_router)
api.add_router("/appointments", appointments_router)
api.add_router("/intake", "intake.api.router")
api.add_router("/me", "data_rights.api.router")
api.add_router("/plans", "care.api.plans_router")
api.add_router("/series", "care.api.series_router")
api.add_router("/packages", "care.api.packages_router")
api.add_router("/documents", "documents.api.router")
api.add_router("/outcomes", "outcomes.api.router")
api.add_router("/clients", "outcomes.api.staff_router")


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


# Past a limit of clinic/throttle.py: the time to wait in words and in Retry-After (seconds).
@api.exception_handler(Throttled)
def throttled(request: HttpRequest, refusal: Throttled) -> HttpResponse:
    response = _error(request, 429, refusal.message)
    response["Retry-After"] = str(refusal.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return _error(request, 413, f"The request body is too large: at most {limit_kb} KB.")


@api.exception_handler(MultiPartParserError)
def body_unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(
        request, 400, "The request body could not be read. Send JSON (Content-Type: application/json)."
    )


# What Django answers 400 to on pages: too many fields or files, a malformed Host header.
@api.exception_handler(SuspiciousOperation)
def bad_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return _error(request, 400, "The request could not be read.")


# The connection to the database dropped mid-request (a failover, a restart): try again shortly.
@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    log_database_unavailable(request, exc)
    response = _error(request, 503, DATABASE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
