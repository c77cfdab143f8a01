from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.services import appointment_book
from tests.factories import nothing_new, TherapistFactory
from tests.api.conftest import ApiClient

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def dump(title, captured):
    print(f"\n===== {title}: {len(captured.captured_queries)}")
    for i, q in enumerate(captured.captured_queries):
        print(i + 1, q["sql"][:2000])


@pytest.mark.parametrize("anyone", [False, True])
@pytest.mark.parametrize("recheck", [False, True])
def test_service(clinic, service, therapist, client_user, anyone, recheck):
    TherapistFactory(services=[service])
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as c:
            appointment_book(client=client_user, therapist=None if anyone else therapist, service=service,
                             start=MONDAY_10, red_flags=nothing_new() if recheck else None)
    dump(f"service anyone={anyone} recheck={recheck}", c)


@pytest.mark.parametrize("anyone", [False, True])
def test_api(clinic, service, therapist, client_user, anyone):
    TherapistFactory(services=[service])
    with time_machine.travel(NOW, tick=False):
        api = ApiClient()
        api.browser.force_login(client_user)
        api.get("/auth/csrf")
        with CaptureQueriesContext(connection) as c:
            r = api.post("/appointments", {"service": service.pk, "therapist": None if anyone else therapist.pk,
                                            "start": "2026-12-07T10:00:00+00:00", "red_flags": nothing_new()})
        assert r.status_code == 201, r.content
    dump(f"api anyone={anyone}", c)
    with CaptureQueriesContext(connection) as c:
        r = api.get("/auth/me") if False else api.get("/appointments")
    dump("GET appointments", c)


@pytest.mark.parametrize("named", [False, True])
def test_availability(clinic, service, therapist, named):
    TherapistFactory(services=[service])
    with time_machine.travel(NOW, tick=False):
        api = ApiClient()
        params = {"service": service.pk, "start": "2026-12-07", "end": "2027-01-03"}
        if named:
            params["therapist"] = therapist.pk
        with CaptureQueriesContext(connection) as c:
            r = api.get("/availability", params)
        assert r.status_code == 200
    dump(f"availability named={named}", c)
