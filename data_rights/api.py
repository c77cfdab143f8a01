"""The client's data rights in the JSON API v1: download everything, delete the account."""

from typing import Any, cast

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from accounts.api import ErrorOut, FieldErrorsOut
from accounts.models import User
from clinic.validation import StorableStr

from .export import client_data_export
from .forms import WRONG_PASSWORD, is_current_password
from .models import Erasure
from .services import ErasureRefused, client_erase
from .views import export_attachment

# django_auth runs Django's CSRF check on unsafe methods before it looks at the session.
router = Router(tags=["your data"], auth=django_auth)


class AccountDeleteIn(Schema):
    password: StorableStr


@router.get(
    "/export",
    response={200: dict[str, Any], 401: ErrorOut},
    summary="Download everything the clinic holds about you",
)
def export(request: HttpRequest) -> HttpResponse:
    """Your account, intakes with their outcome and advice, appointments with their session notes
    and day-of checks, outcome questionnaires, treatment plans and series, packages, referrals
    (with the scan) and progress letters (with the PDF) as base64, receipts as issued, and the
    emails sent to you, as a JSON file (Content-Disposition: attachment).
    """
    now = timezone.now()
    return export_attachment(client_data_export(_client(request), now=now), now=now)


@router.post(
    "/delete",
    response={
        204: None,
        400: FieldErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        422: FieldErrorsOut,
        429: ErrorOut,
    },
    summary="Delete your account",
)
def delete(request: HttpRequest, confirmation: AccountDeleteIn) -> Status[object]:
    """Anonymises your account and logs you out; your appointments still to come are cancelled.
    The clinic keeps your health record without your name for its retention period (the README's
    "Your data")."""
    if not is_current_password(request, confirmation.password):
        return Status(400, {"detail": WRONG_PASSWORD, "errors": {"password": [WRONG_PASSWORD]}})
    try:
        client_erase(client=_client(request), reason=Erasure.Reason.CLIENT)
    except ErasureRefused as error:
        return Status(403, {"detail": str(error)})
    logout(request)
    return Status(204, None)


def _client(request: HttpRequest) -> User:
    return cast(User, request.user)  # django_auth lets nobody else this far
