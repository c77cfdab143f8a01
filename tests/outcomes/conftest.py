from datetime import timedelta

import pytest

from bookings.models import Appointment
from care.models import Series, SeriesAppointment
from outcomes.definitions import measures_reload
from tests.factories import AppointmentFactory, TreatmentPlanFactory
from tests.workspace.conftest import (  # noqa: F401  the role matrix's people and rows
    _frozen_time,
    clinic_admin,
    other_therapist,
    past_appointment,
    world,
)
from tests.workspace.data import NOW


@pytest.fixture(autouse=True)
def _shipped_measures():
    """Each test reads the shipped definitions, whatever another test pointed the setting at."""
    measures_reload()
    yield
    measures_reload()


def plan_with_sessions(*, client, therapist, service, completed, planned=6, every=3, booked=0, last_end=None):
    """A plan whose series has `completed` sessions done (weekly, the last ending at `last_end`,
    default an hour before now) and `booked` still to come."""
    last_end = last_end or NOW - timedelta(hours=1)
    first_start = last_end - service.duration - timedelta(weeks=max(completed - 1, 0))
    plan = TreatmentPlanFactory(
        client=client,
        therapist=therapist,
        service=service,
        sessions_planned=planned,
        reassess_every_sessions=every,
        written_at=first_start - timedelta(days=1),
    )
    series = Series.objects.create(client=client, plan=plan, booked_by=client, booked_at=plan.written_at)
    for index in range(completed + booked):
        status = Appointment.Status.COMPLETED if index < completed else Appointment.Status.BOOKED
        appointment = AppointmentFactory(
            client=client,
            therapist=therapist,
            service=service,
            start=first_start + timedelta(weeks=index),
            status=status,
        )
        SeriesAppointment.objects.create(series=series, appointment=appointment)
    return plan


def complete_next_session(plan):
    """Mark the plan's next booked session completed."""
    appointment = (
        Appointment.objects.filter(series_member__series__plan=plan, status=Appointment.Status.BOOKED)
        .order_by("start")
        .first()
    )
    appointment.status = Appointment.Status.COMPLETED
    appointment.save(update_fields=["status"])
    return appointment


SBI_ANSWERS = {"leg_pain": 5, "numbness_tingling": 4, "weakness": 2, "pain_sitting": 5}  # 16
PSFS_ANSWERS = {
    "activities": [{"name": "Sit through a work meeting", "score": 3}, {"name": "Walk the dog", "score": 5}]
}
