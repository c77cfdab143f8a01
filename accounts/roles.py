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
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=ADMIN_GROUP).exists())
    )


def is_front_desk(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and user.groups.filter(name=FRONT_DESK_GROUP).exists()


def is_therapist(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and hasattr(user, "therapist")


def is_staff_member(user: User | AnonymousUser) -> bool:
    return is_clinic_admin(user) or is_front_desk(user) or is_therapist(user)
