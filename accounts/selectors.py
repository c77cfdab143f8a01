from django.utils import timezone

from .models import EmailChangeRequest, User
from .services import EMAIL_CHANGE_LINK_LIFETIME


def email_change_waiting(user: User) -> EmailChangeRequest | None:
    """The new address `user` asked for whose link still works, if any."""
    return (
        EmailChangeRequest.objects.filter(
            user=user, requested_at__gt=timezone.now() - EMAIL_CHANGE_LINK_LIFETIME
        )
        .order_by("-requested_at")
        .first()
    )
