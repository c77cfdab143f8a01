"""Who on the staff may see and do what: the clinic's privacy rules, in one place.

- Admins (superusers or "Clinic admin") see everything.
- Front desk see the whole schedule, every client's contact details and each intake's
  outcome, and book, move and cancel on a client's behalf; never an intake's reasons and
  answers or session notes.
- A therapist sees their own appointments and only the clients who have an appointment with
  them (past or upcoming, not cancelled): those clients' intakes and session notes.
- Clients and anonymous visitors see nothing here.
- A client page is for clients: staff accounts are never listed or opened as clients.

Every staff page asks these functions. Anything they refuse answers 404, as if the page or the
row did not exist, so guessing ids reveals nothing (anonymous visitors are sent to log in).

This module reads the accounts' and the bookings' models and nothing above them, so any page
(intake's, the workspace's, the admin's) can ask it. Reads of clinical data are kept on record
by privacy.records.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import ADMIN_GROUP, FRONT_DESK_GROUP, is_clinic_admin, is_front_desk, is_therapist
from bookings.models import Appointment, Therapist

AnyUser = User | AnonymousUser
View = Callable[..., HttpResponse]


def therapist_of(user: AnyUser) -> Therapist | None:
    """The user's own therapist profile, if they are an active therapist."""
    return user.therapist if is_therapist(user) else None  # type: ignore[union-attr]


def keeps_schedule(user: AnyUser) -> bool:
    """Front desk and admins: the clinic's schedule, bookings on a client's behalf, the report."""
    return is_clinic_admin(user) or is_front_desk(user)


def uses_workspace(user: AnyUser) -> bool:
    return keeps_schedule(user) or is_therapist(user)


def client_accounts() -> QuerySet[User]:
    """Every client's account: anyone who is not staff (admin, front desk, therapist)."""
    return User.objects.filter(is_staff=False, is_superuser=False, therapist__isnull=True).exclude(
        groups__name__in=(ADMIN_GROUP, FRONT_DESK_GROUP)
    )


def clients_visible_to(user: AnyUser) -> QuerySet[User]:
    """The clients whose page `user` may open (contact details, appointments, intake outcome)."""
    if keeps_schedule(user):
        return client_accounts()
    therapist = therapist_of(user)
    if therapist is None:
        return User.objects.none()
    return client_accounts().filter(pk__in=_clients_of(therapist).values("client_id"))


def can_read_clinical(user: AnyUser, client: User) -> bool:
    """May `user` read the client's intake answers and reasons and their session notes?"""
    if is_clinic_admin(user):
        return True
    therapist = therapist_of(user)
    return therapist is not None and _clients_of(therapist).filter(client_id=client.pk).exists()


def appointments_visible_to(user: AnyUser) -> QuerySet[Appointment]:
    if keeps_schedule(user):
        return Appointment.objects.all()
    therapist = therapist_of(user)
    if therapist is None:
        return Appointment.objects.none()
    return Appointment.objects.filter(therapist=therapist)


def can_write_session_note(user: AnyUser, appointment: Appointment) -> bool:
    """Only the therapist who gave the session writes its note."""
    therapist = therapist_of(user)
    return therapist is not None and therapist.pk == appointment.therapist_id


def can_record_attendance(user: AnyUser, appointment: Appointment) -> bool:
    return keeps_schedule(user) or can_write_session_note(user, appointment)


def agenda_therapists(user: AnyUser) -> QuerySet[Therapist]:
    """Whose agenda `user` may open: their own, or anyone's for front desk and admins."""
    therapists = Therapist.objects.select_related("user")
    if keeps_schedule(user):
        return therapists.all()
    therapist = therapist_of(user)
    return therapists.filter(pk=therapist.pk) if therapist else therapists.none()


def visible_appointment_or_404(user: AnyUser, appointment_id: int) -> Appointment:
    queryset = appointments_visible_to(user).select_related("client", "service", "therapist__user")
    return get_object_or_404(queryset, pk=appointment_id)


def visible_client_or_404(user: AnyUser, client_id: int) -> User:
    return get_object_or_404(clients_visible_to(user), pk=client_id)


def staff_page(allowed: Callable[[AnyUser], bool]) -> Callable[[View], View]:
    """Log in first; then anyone `allowed` refuses gets a 404, as if the page did not exist."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def _clients_of(therapist: Therapist) -> QuerySet[Appointment]:
    # A cancelled appointment gives no reason to read a client's health record.
    return Appointment.objects.filter(therapist=therapist).exclude(status=Appointment.Status.CANCELLED)
