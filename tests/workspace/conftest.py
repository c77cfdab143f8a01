from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADMIN_GROUP
from bookings.models import Appointment, Closure, Service, Therapist, TimeOff
from tests.factories import AppointmentFactory, TherapistFactory, UserFactory

from .data import NOW, THURSDAY_10


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic_admin(db):
    user = UserFactory(email="admin@example.com", first_name="Ada", last_name="Admin", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    return user


@pytest.fixture
def other_therapist(service):
    return TherapistFactory(services=[service], user__first_name="Olu", user__last_name="Other")


@pytest.fixture
def past_appointment(clinic, service, therapist, client_user):
    """Sam Jones's session with Maya Patel yesterday, still marked booked."""
    return AppointmentFactory(client=client_user, therapist=therapist, service=service, start=THURSDAY_10)


@dataclass
class World:
    """Everyone and everything the permission table points at."""

    service: Service
    therapist: Therapist
    other_therapist: Therapist
    client: User
    appointment: Appointment  # the client's, with `therapist`
    other_client_appointment: Appointment  # another client's, with `other_therapist`
    time_off: TimeOff
    closure: Closure
    users: dict[str, User | None]


@pytest.fixture
def world(
    clinic, service, therapist, other_therapist, client_user, front_desk_user, clinic_admin, past_appointment
):
    other_client = UserFactory(first_name="Otto", last_name="Elsewhere")
    other_appointment = AppointmentFactory(
        client=other_client, therapist=other_therapist, service=service, start=THURSDAY_10
    )
    time_off = TimeOff.objects.create(
        therapist=therapist,
        start=datetime(2026, 12, 14, 9, tzinfo=UTC),
        end=datetime(2026, 12, 14, 13, tzinfo=UTC),
        reason="Course",
    )
    closure = Closure.objects.create(date=datetime(2026, 12, 25, tzinfo=UTC).date(), reason="Christmas")
    return World(
        service=service,
        therapist=therapist,
        other_therapist=other_therapist,
        client=client_user,
        appointment=past_appointment,
        other_client_appointment=other_appointment,
        time_off=time_off,
        closure=closure,
        users={
            "anonymous": None,
            "client": client_user,
            "other_therapist": other_therapist.user,
            "own_therapist": therapist.user,
            "front_desk": front_desk_user,
            "admin": clinic_admin,
        },
    )
