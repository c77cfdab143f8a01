"""Who is asking: the clinic's three kinds of staff, by Django group, and clients.

Admins are superusers or members of "Clinic admin"; front desk are members of "Front desk";
therapists have a Therapist profile. Everyone else is a client.
"""

from django.contrib.auth.models import AnonymousUser

from .models import User

ADMIN_GROUP = "Clinic admin"
FRONT_DESK_GROUP = "Front desk"


def is_clinic_admin(user: User | AnonymousUser) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or ADMIN_GROUP in _group_names(user))  # type: ignore[arg-type]
    )


def is_front_desk(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and FRONT_DESK_GROUP in _group_names(user)  # type: ignore[arg-type]


def _group_names(user: User) -> frozenset[str]:
    """The user's groups, read once per user object: a staff page asks who is asking a dozen
    times (the access check, the view, the menus), and request.user lives for one request."""
    if "_clinic_group_names" not in user.__dict__:
        user.__dict__["_clinic_group_names"] = frozenset(user.groups.values_list("name", flat=True))
    return user.__dict__["_clinic_group_names"]


def is_therapist(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and hasattr(user, "therapist")


def is_staff_member(user: User | AnonymousUser) -> bool:
    return is_clinic_admin(user) or is_front_desk(user) or is_therapist(user)
