"""The therapist's notifications: a client with a caution booked with them (see the agenda)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from clinic.redirects import safe_next
from privacy.access import staff_page, uses_workspace

from ..services import therapist_notification_mark_read


@staff_page(uses_workspace)
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    # Someone else's notification, or one already read, is left as it is: nothing to say.
    therapist_notification_mark_read(notification_id=notification_id, reader=request.user)  # type: ignore[arg-type]
    return redirect(safe_next(request) or "workspace:agenda")
