"""The signed link of a re-assessment email: answering the plan's questionnaires without logging in.

Like the day-of check's link (bookings.previsit), the URL carries only a signed token naming
the invite, nothing clinical. It works once (the invite is then answered) and for
REASSESSMENT_LINK_DAYS after it was sent; a tampered, expired or used token opens nothing.
"""

from django.core import signing

from .models import ReassessmentInvite

REASSESSMENT_TOKEN_SALT = "outcomes.reassessment"
LINK_MAX_AGE_DAYS = 14  # outcomes.services.REASSESSMENT_LINK_DAYS, which sends only recent points


def reassessment_token(invite: ReassessmentInvite) -> str:
    return signing.dumps({"i": invite.pk}, salt=REASSESSMENT_TOKEN_SALT)


def invite_from_token(token: str) -> ReassessmentInvite | None:
    """The invite a token names; None when it is forged, tampered with or expired."""
    try:
        payload = signing.loads(token, salt=REASSESSMENT_TOKEN_SALT, max_age=LINK_MAX_AGE_DAYS * 24 * 3600)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    invite_id = payload.get("i") if isinstance(payload, dict) else None
    if not isinstance(invite_id, int) or isinstance(invite_id, bool):
        return None
    return (
        ReassessmentInvite.objects.filter(pk=invite_id)
        .select_related("plan__client", "plan__therapist__user", "plan__service")
        .first()
    )
