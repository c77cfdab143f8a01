"""How long booking a 12-session series takes, and in how many queries.

    make bench        (or: DATABASE_URL=postgres://... .venv/bin/python bench/series.py)

A clinic with 6 therapists, each with about three appointments per working day for the next
three months, and a client with a current intake. Each run previews and then books 12 weekly
sessions with one therapist through care.services.series_book (every session through
bookings.services.appointment_book: gate, cautions, locks, checks, outbox), then rolls the
series back, so every run books into the same schedule. Prints the median and best of the runs
in milliseconds, the queries per call, and the load average. Runs against the database in
DATABASE_URL (default: a clinic_bench_care database on the local PostgreSQL), inside a
transaction that is rolled back.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench_care")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import ensure_database, load_average  # noqa: E402

SESSIONS = 12
THERAPISTS = 6
RUNS = 9
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)  # a Friday; London is on UTC in January
FIRST = datetime(2027, 1, 4, 16, 0, tzinfo=UTC)  # the Monday after, 16:00 (kept free below)


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from bookings.services import appointment_book
    from care.series import series_preview
    from care.services import series_book
    from tests.factories import (
        ClinicFactory,
        ServiceFactory,
        TherapistFactory,
        TreatmentPlanFactory,
        UserFactory,
        submit_intake,
    )

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} cores")
    print(f"load average before: {load_average()}")
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        ClinicFactory(booking_horizon_days=120)
        service = ServiceFactory(duration_minutes=60, buffer_after_minutes=15)
        therapists = [TherapistFactory(services=[service]) for _ in range(THERAPISTS)]
        _book(therapists, service)
        client = UserFactory()
        submit_intake(client)
        plan = TreatmentPlanFactory(
            client=client, therapist=therapists[0], service=service, sessions_planned=12
        )
        starts = [FIRST + timedelta(weeks=k) for k in range(SESSIONS)]

        def preview() -> object:
            return series_preview(
                client=client,
                therapist=plan.therapist,
                service=service,
                first_start=FIRST,
                sessions=SESSIONS,
                frequency="weekly",
            )

        def book() -> object:
            return series_book(
                client=client,
                therapist=plan.therapist,
                service=service,
                starts=starts,
                plan=plan,
                booked_by=client,
            )

        def book_one() -> object:
            return appointment_book(client=client, therapist=plan.therapist, service=service, start=FIRST)

        for label, call, sessions in (
            ("one appointment_book, for comparison", book_one, 1),
            (f"preview {SESSIONS} weekly sessions", preview, SESSIONS),
            (f"book {SESSIONS} weekly sessions", book, SESSIONS),
        ):
            _time(label, call, sessions)
        transaction.set_rollback(True)
    print(f"load average after: {load_average()}")


def _time(label: str, call, sessions: int) -> None:  # type: ignore[no-untyped-def]
    timings, queries = [], 0
    for run in range(RUNS + 1):  # the first run warms the caches and is left out
        savepoint = transaction.savepoint()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            elapsed = time.perf_counter() - started
        transaction.savepoint_rollback(savepoint)
        if run:
            timings.append(elapsed * 1000)
            queries = len(captured)
    print(
        f"{label}: median {statistics.median(timings):.1f} ms, best {min(timings):.1f} ms "
        f"(of {RUNS}), {queries} queries, {queries / sessions:.1f} per session; load {load_average()}"
    )


def _book(therapists, service) -> None:  # type: ignore[no-untyped-def]
    """About three appointments per therapist per working day for 13 weeks, never at 16:00."""
    from bookings.models import Appointment
    from tests.factories import UserFactory

    chooser = random.Random(2027)
    clients = [UserFactory() for _ in range(40)]
    rows = []
    for therapist in therapists:
        day = date(2027, 1, 4)
        while day < date(2027, 4, 5):
            if day.weekday() < 6:
                for hour in chooser.sample([9, 11, 14], 3):
                    start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                    rows.append(
                        Appointment(
                            client=chooser.choice(clients),
                            therapist=therapist,
                            service=service,
                            start=start,
                            end=start + service.duration,
                            blocked_until=start + service.duration + service.buffer_after,
                        )
                    )
            day += timedelta(days=1)
    Appointment.objects.bulk_create(rows)
    print(f"{len(rows)} appointments over 13 weeks for {len(therapists)} therapists")


if __name__ == "__main__":
    main()
