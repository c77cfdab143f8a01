from datetime import timedelta

import pytest

from bookings.models import Appointment
from outcomes.definitions import measures_reload
from tests import factories
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


def plan_with_sessions(*, every=3, last_end=None, **arguments):
    """A weekly plan (tests.factories.plan_with_sessions) re-assessed every `every` sessions, its
    last session ending at `last_end`, default an hour before now."""
    return factories.plan_with_sessions(
        last_end=last_end or NOW - timedelta(hours=1), reassess_every_sessions=every, **arguments
    )


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
