from datetime import datetime

from django.db import transaction

from accounts.models import User

from .models import Message, TipsOptOut


def tips_opt_out(*, user: User) -> None:
    """Stop the client's self-care tips, now and for later sessions. Appointment messages still go."""
    with transaction.atomic():
        TipsOptOut.objects.get_or_create(user=user)
        Message.objects.filter(recipient=user, kind=Message.Kind.TIP, status=Message.Status.QUEUED).update(
            status=Message.Status.CANCELLED, last_error="The client unsubscribed from tips."
        )


def messages_send_again(*, message_ids: list[int], now: datetime) -> int:
    """Queue failed messages again with a fresh set of attempts (the admin's "send again")."""
    return Message.objects.filter(pk__in=message_ids, status=Message.Status.FAILED).update(
        status=Message.Status.QUEUED, due_at=now, attempts=0, claimed_at=None, last_error=""
    )


def messages_withdraw(*, recipient: User, reason: str) -> int:
    """Cancel every message not yet sent to `recipient` (an erased account); `reason` is kept on each."""
    pending = Message.objects.filter(recipient=recipient, status=Message.Status.QUEUED)
    with transaction.atomic():
        # Locked, so a dispatcher cannot claim one of them while this change commits.
        list(pending.select_for_update())
        return pending.update(status=Message.Status.CANCELLED, last_error=reason)
