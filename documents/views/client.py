"""The client's own page: their letters, receipts and referrals, to download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User

from ..selectors import client_documents


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "documents/mine.html", {"documents": client_documents(user)})
