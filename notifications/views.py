"""The one-click unsubscribe link of the tip emails: no login, the signed token is the key."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User

from .links import unsubscribe_user_id
from .services import tips_opt_out


# Mail systems send RFC 8058's one-click POST without a CSRF token; the signed token is the
# authorisation, and the worst a forged POST can do is stop someone's tips.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_id = unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        tips_opt_out(user=user)
        return render(request, "notifications/unsubscribed.html")
    # GET only asks: link scanners and previews follow links, and must not unsubscribe anyone.
    return render(request, "notifications/unsubscribe.html", {"email": user.email})
