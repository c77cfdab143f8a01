from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.throttle import (
    ADDRESS_IN_USE_EMAILS_PER_ADDRESS,
    LOGINS_PER_ACCOUNT,
    LOGINS_PER_NETWORK,
    RESET_EMAILS_PER_ADDRESS,
    SIGNUPS_PER_NETWORK,
    Throttled,
    rate_hit,
    rate_reset,
    rate_uncount,
)

from .emails import address_in_use_email_send, email_change_link_send, email_changed_notice_send
from .models import EmailChangeRequest, User

EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_LINK_LIFETIME = timedelta(hours=24)


def user_signup(
    *, email: str, password: str, first_name: str, last_name: str, phone: str, network: str
) -> User | None:
    """Create a client account; if the address already has one, email its owner instead.

    Returns the new account, or None when the address was in use. Nothing the caller shows may
    tell the two apart beyond that (no "already exists"): the pages and the API answer None with
    "check your email". Raises ValidationError with field-keyed messages, the same for a new
    address and one in use, for anything else; and Throttled past the sign-ups allowed from
    `network` (clinic.throttle.client_ip), which only sign-ups that pass validation count.
    """
    email = _normalised_email(email)
    candidate = User(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), phone=phone.strip()
    )
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your email address."]
    elif not _is_email(email):
        errors["email"] = ["Enter a valid email address."]
    if not candidate.first_name:
        errors["first_name"] = ["Enter your first name."]
    if not candidate.last_name:
        errors["last_name"] = ["Enter your last name."]
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    rate_hit(SIGNUPS_PER_NETWORK, network)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        _tell_owner_their_address_was_tried(owner)
        return None
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:  # the same new address signed up a moment ago
        _tell_owner_their_address_was_tried(User.objects.get(email__iexact=email))
        return None
    return candidate


def _tell_owner_their_address_was_tried(owner: User) -> None:
    try:
        rate_hit(ADDRESS_IN_USE_EMAILS_PER_ADDRESS, owner.email)
    except Throttled:
        return  # they have been told several times this hour; the caller answers the same
    address_in_use_email_send(owner)


def login_attempt_admit(*, email: str, network: str) -> None:
    """Count a login attempt against the account and the network; raise Throttled past either limit.

    Counted before the password is checked, so that attempts sent all at once cannot all be
    checked before the first failure is counted; a right password takes its attempt back
    (`login_attempt_succeeded`), so the limits count failures.
    """
    rate_hit(LOGINS_PER_NETWORK, network)
    rate_hit(LOGINS_PER_ACCOUNT, _normalised_email(email))


def login_attempt_succeeded(*, email: str, network: str) -> None:
    """A right password: the account's count starts again and the network's attempt is taken back."""
    rate_reset(LOGINS_PER_ACCOUNT, _normalised_email(email))
    rate_uncount(LOGINS_PER_NETWORK, network)


def password_reset_email_admit(*, email: str) -> bool:
    """Whether a password-reset email may go to `email` now (counting this one).

    Past the limit the page still says "if an account uses that address, we've sent a link",
    whether or not one does: the address just gets no more links until the hour is up.
    """
    try:
        rate_hit(RESET_EMAILS_PER_ADDRESS, _normalised_email(email))
    except Throttled:
        return False
    return True


def user_profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    """Change a user's name and phone, or raise ValidationError with field-keyed messages."""
    first_name, last_name, phone = first_name.strip(), last_name.strip(), phone.strip()
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = ["Enter your first name."]
    if not last_name:
        errors["last_name"] = ["Enter your last name."]
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name, user.phone = first_name, last_name, phone
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


def user_email_change_request(*, user: User, new_email: str) -> str:
    """Send `new_email` a link that makes it the account's address once opened; return the address as stored.

    Nothing changes until then, and only the newest link works. An address another account
    already uses gets that account's owner the "address in use" email instead, so that this
    page cannot be used to find out who has an account. Raises ValidationError (key
    "new_email") for something that is not an address, or the account's own.
    """
    new_email = _normalised_email(new_email)
    if not _is_email(new_email):
        raise ValidationError({"new_email": ["Enter a valid email address."]})
    if new_email == user.email:
        raise ValidationError({"new_email": ["That is already your email address."]})
    owner = User.objects.filter(email__iexact=new_email).first()
    if owner is not None:
        _tell_owner_their_address_was_tried(owner)
        return new_email
    with transaction.atomic():
        # The user's older links stop working; anyone's lapsed ones are of no more use.
        lapsed = timezone.now() - EMAIL_CHANGE_LINK_LIFETIME
        EmailChangeRequest.objects.filter(Q(user=user) | Q(requested_at__lt=lapsed)).delete()
        change = EmailChangeRequest.objects.create(user=user, new_email=new_email)
        token = signing.dumps(change.pk, salt=EMAIL_CHANGE_SALT)
        transaction.on_commit(lambda: email_change_link_send(user=user, new_email=new_email, token=token))
    return new_email


def email_change_pending(token: str) -> EmailChangeRequest | None:
    """The request a confirmation link names, if the link is genuine, recent and not yet used."""
    try:
        change_id = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_LINK_LIFETIME)
    except signing.BadSignature:  # also an expired link
        return None
    if not isinstance(change_id, int):
        return None
    return EmailChangeRequest.objects.select_related("user").filter(pk=change_id).first()


def user_email_change_confirm(*, change: EmailChangeRequest) -> User:
    """Make the requested address the account's and tell the old address.

    Raises ValidationError if another account has taken the address since the link was sent.
    """
    taken = ValidationError("That address now belongs to another account, so your address stays as it was.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=change.user_id)
        old_email = user.email
        if User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists():
            raise taken
        user.email = change.new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError as error:  # the address was taken at this very moment
            raise taken from error
        EmailChangeRequest.objects.filter(user=user).delete()
        transaction.on_commit(lambda: email_changed_notice_send(user=user, old_email=old_email))
    return user


def _normalised_email(email: str) -> str:
    # Accounts store their address in lower case (see UserManager).
    return User.objects.normalize_email(email).strip().lower()


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
