"""Accounts in the JSON API v1: the CSRF cookie, who is signed in, signing up, logging in and out.

Also the error shapes every endpoint shares, since every other app already depends on accounts.
"""

from typing import cast

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.utils import check_csrf

from clinic.throttle import client_ip
from clinic.validation import StorableStr

from .models import User
from .services import user_signup

router = Router(tags=["accounts"])

SIGNUP_CHECK_EMAIL = "Check your email to continue: we've sent a message to that address."
CSRF_FAILED = "CSRF check Failed"  # ninja's wording for session-authenticated endpoints too


class ErrorOut(Schema):
    detail: str = Field(description="A sentence to show the client.")


class FieldErrorsOut(ErrorOut):
    errors: dict[str, list[str]] = Field(description="Messages by field name.")


class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str


class CsrfOut(Schema):
    csrf_token: str = Field(description="The same value as the csrftoken cookie, for the X-CSRFToken header.")


# The lengths of the User columns (accounts.models), so a longer value is a 422, not a database error.
class SignupIn(Schema):
    email: StorableStr = Field(max_length=254)
    password: StorableStr
    first_name: StorableStr = Field(max_length=150)
    last_name: StorableStr = Field(max_length=150)
    phone: StorableStr = Field("", max_length=32)


class NoticeOut(Schema):
    detail: str = Field(description="A sentence to show the client.")


class LoginIn(Schema):
    email: StorableStr = Field(max_length=254)
    password: StorableStr


def csrf_checked(request: HttpRequest) -> bool:
    """Django's CSRF check for endpoints anonymous visitors may POST to.

    Used as the endpoint's `auth` so it runs before the body is read, as ninja's session auth
    does for the endpoints that need a login.
    """
    if check_csrf(request) is not None:
        raise HttpError(403, CSRF_FAILED)
    return True


@router.get("/csrf", response=CsrfOut, summary="Set the csrftoken cookie")
def csrf(request: HttpRequest) -> dict[str, str]:
    """Sets the `csrftoken` cookie; send its value as the X-CSRFToken header on every POST."""
    return {"csrf_token": get_token(request)}


@router.get("/me", auth=django_auth, response={200: UserOut, 401: ErrorOut}, summary="The signed-in account")
def account_get(request: HttpRequest) -> User:
    """Who is signed in, from the session alone (django_auth lets nobody else this far)."""
    return cast(User, request.user)


@router.post(
    "/signup",
    auth=csrf_checked,
    response={
        201: UserOut,
        202: NoticeOut,
        400: FieldErrorsOut,
        403: ErrorOut,
        422: FieldErrorsOut,
        429: ErrorOut,
    },
    summary="Create a client account and log in",
    description=(
        "201: a new account, now logged in. 202: nothing more to say here; the client should check "
        "their email (an address that already has an account gets a message telling its owner how "
        "to log in, and the answer never says whether it has one). 429 with Retry-After past the "
        "sign-ups allowed from one network."
    ),
)
def signup(request: HttpRequest, details: SignupIn) -> Status[object]:
    try:
        user = user_signup(network=client_ip(request), **details.model_dump())
    except ValidationError as error:
        return Status(400, {"detail": "Please correct the highlighted fields.", "errors": error.message_dict})
    if user is None:
        return Status(202, {"detail": SIGNUP_CHECK_EMAIL})
    login(request, user)
    return Status(201, user)


@router.post(
    "/login",
    auth=csrf_checked,
    response={200: UserOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut, 429: ErrorOut},
    summary="Log in with email and password",
    description=(
        "429 with Retry-After (seconds) after too many failed attempts for the account or from "
        "the network: even the right password is refused until then."
    ),
)
def log_in(request: HttpRequest, credentials: LoginIn) -> Status[object]:
    # Addresses are stored lower-case (accounts.models.UserManager), so match them that way.
    user = authenticate(request, username=credentials.email.strip().lower(), password=credentials.password)
    if user is None:
        return Status(401, {"detail": "That email and password don't match an account."})
    login(request, user)
    return Status(200, user)


@router.post("/logout", auth=csrf_checked, response={204: None, 403: ErrorOut}, summary="Log out")
def log_out(request: HttpRequest) -> Status[None]:
    logout(request)
    return Status(204, None)
