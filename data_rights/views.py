import json
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from bookings.models import Appointment
from bookings.selectors import appointments_of_client, clinic_get

from .export import client_data_export
from .forms import AccountDeleteForm
from .models import Erasure
from .services import ErasureRefused, client_erase


class ClientRequest(HttpRequest):
    user: User


def export_attachment(document: dict[str, Any], *, now: datetime) -> HttpResponse:
    """The export as a JSON file to save (the page and the API answer the same)."""
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-clinic-data-{now:%Y-%m-%d}.json"'
    return response


@login_required
@require_GET
def account_export(request: ClientRequest) -> HttpResponse:
    now = timezone.now()
    return export_attachment(client_data_export(request.user, now=now), now=now)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_page(request: ClientRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            client_erase(client=request.user, reason=Erasure.Reason.CLIENT)
        except ErasureRefused as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, "Your account has been deleted. Thank you for visiting us.")
            return redirect("home")
    clinic = clinic_get()
    upcoming = appointments_of_client(request.user.pk).filter(
        status=Appointment.Status.BOOKED, start__gt=timezone.now()
    )
    context = {"form": form, "upcoming": upcoming.count(), "retention_years": clinic.record_retention_years}
    return render(request, "data_rights/account_delete.html", context)
