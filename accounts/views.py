from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.redirects import safe_next

from .forms import SignupForm
from .services import user_signup


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = {field: form.cleaned_data[field] for field in ("email", "first_name", "last_name", "phone")}
        try:
            user = user_signup(password=form.cleaned_data["password"], **details)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})
