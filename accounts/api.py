"""Accounts in the JSON API v1: the CSRF cookie, signing up, logging in and out.

Also the error shapes every endpoint shares, since every other app already depends on accounts.
"""

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.utils import check_csrf

from .services import user_signup

router = Router(tags=["accounts"])

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


class SignupIn(Schema):
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str = ""


class LoginIn(Schema):
    email: str
    password: str


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


@router.post(
    "/signup",
    auth=csrf_checked,
    response={201: UserOut, 400: FieldErrorsOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Create a client account and log in",
)
def signup(request: HttpRequest, details: SignupIn) -> Status[object]:
    try:
        user = user_signup(**details.model_dump())
    except ValidationError as error:
        return Status(400, {"detail": "Please correct the highlighted fields.", "errors": error.message_dict})
    login(request, user)
    return Status(201, user)


@router.post(
    "/login",
    auth=csrf_checked,
    response={200: UserOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Log in with email and password",
)
def log_in(request: HttpRequest, credentials: LoginIn) -> Status[object]:
    # Addresses are stored lower-case (accounts.models.UserManager), so match them that way.
    user = authenticate(request, email=credentials.email.strip().lower(), password=credentials.password)
    if user is None:
        return Status(401, {"detail": "That email and password don't match an account."})
    login(request, user)
    return Status(200, user)


@router.post("/logout", auth=csrf_checked, response={204: None, 403: ErrorOut}, summary="Log out")
def log_out(request: HttpRequest) -> Status[None]:
    logout(request)
    return Status(204, None)
