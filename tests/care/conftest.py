from datetime import UTC, datetime

import pytest
import time_machine

from care.models import TreatmentPlan
from tests.factories import TreatmentPlanFactory

# The workspace's role matrix: everyone the permission tests point at.
from tests.workspace.conftest import clinic_admin, other_therapist, past_appointment, world  # noqa: F401

# Friday morning; London is on UTC in December. Sessions start on the Monday after.
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time(request):
    # Races run real threads on their own connections; the clock is frozen the same for them.
    # The browser tests run on today's clock, as tests/browser's do.
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(clinic, service, therapist, client_user) -> TreatmentPlan:
    """Sam Jones's weekly plan of 6 deep-tissue sessions with Maya Patel."""
    return TreatmentPlanFactory(client=client_user, therapist=therapist, service=service)
