from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from clinic.redirects import safe_next
from clinic.throttle import EMAIL_CHANGES_PER_ACCOUNT, client_ip, throttle_posts

from .forms import ClinicPasswordChangeForm, EmailAuthenticationForm, EmailChangeForm, ProfileForm, SignupForm
from .models import User
from .roles import is_staff_member
from .selectors import email_change_waiting
from .services import (
    email_change_pending,
    user_email_change_confirm,
    user_email_change_request,
    user_profile_update,
    user_signup,
)


class SignedInRequest(HttpRequest):
    """A request behind @login_required: its user is signed in."""

    user: User


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = {field: form.cleaned_data[field] for field in ("email", "first_name", "last_name", "phone")}
        try:
            user = user_signup(password=form.cleaned_data["password"], network=client_ip(request), **details)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if user is None:  # the address has an account, whose owner we emailed; say no more
                return render(
                    request, "accounts/signup_check_email.html", {"email": details["email"], "next": next_url}
                )
            login(request, user)
            return redirect(next_url or "home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def account(request: SignedInRequest) -> HttpResponse:
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your details are saved.")
            return redirect("account")
    context = {"form": form, "pending_email_change": email_change_waiting(user)}
    return render(request, "accounts/account.html", context)


@login_required
@throttle_posts(EMAIL_CHANGES_PER_ACCOUNT)
@require_http_methods(["GET", "POST"])
def email_change(request: SignedInRequest) -> HttpResponse:
    form = EmailChangeForm(request, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_email = user_email_change_request(user=request.user, new_email=form.cleaned_data["new_email"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            # The same words whether or not the address has an account of its own.
            messages.success(
                request,
                f"We've sent a link to {new_email}. Your email address changes when you open it.",
            )
            return redirect("account")
    return render(request, "accounts/email_change.html", {"form": form})


# No login: the signed link is the key, and it may be opened on another device. Opening it shows
# a button, so that a mail scanner fetching the link changes nothing.
@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    change = email_change_pending(token)
    if change is None:
        return render(request, "accounts/email_change_invalid.html", status=404)
    if request.method == "POST":
        try:
            user = user_email_change_confirm(change=change)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Your email address is now {user.email}.")
        return redirect("account" if request.user.pk == change.user_id else "login")
    return render(request, "accounts/email_change_confirm.html", {"change": change})


class LoginView(auth_views.LoginView):
    """Django's, by email; with no `next`, staff start in their workspace and clients on the home page.

    A `next` page still wins for everyone, once Django has checked it is on this site.
    """

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if is_staff_member(self.request.user):  # type: ignore[arg-type]
            return resolve_url(settings.STAFF_LOGIN_REDIRECT_URL)
        return super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, handing the request to the form, which checks the old password as a login would."""

    form_class = ClinicPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
