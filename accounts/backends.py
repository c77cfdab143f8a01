"""Django's ModelBackend, held to the login limits.

The login page, `POST /api/v1/auth/login`, the admin's login and the current-password checks of
the account pages all call django.contrib.auth.authenticate(), which calls this backend, so the
limits apply to each of them alike.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from clinic.throttle import client_ip

from .models import User
from .services import login_attempt_admit, login_attempt_succeeded


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None:  # no visitor to hold to a limit (a management command, a script)
            return super().authenticate(request, username=username, password=password, **kwargs)
        # Throttled is deliberately not a PermissionDenied: authenticate() lets it through to
        # the caller, which answers 429 with the time to wait rather than "wrong password".
        network = client_ip(request)
        login_attempt_admit(email=username or kwargs.get("email") or "", network=network)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_attempt_succeeded(email=user.get_username(), network=network)
        return user
