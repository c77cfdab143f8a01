"""How long availability takes: 10 therapists, 28 days, 2,000 existing appointments.

    make bench        (or: DATABASE_URL=postgres://... .venv/bin/python bench/availability.py)

Runs against the database in DATABASE_URL (default: a clinic_bench database on the local
PostgreSQL), inside a transaction that is rolled back, and prints the figures.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import ensure_database  # noqa: E402

THERAPISTS = 10
DAYS = 28
APPOINTMENTS = 2000
RUNS = 7
FIRST_DAY = date(2027, 1, 4)  # a Monday
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from bookings.availability import free_slots
    from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory

    with time_machine.travel(NOW, tick=False), transaction.atomic():
        ClinicFactory(slot_step_minutes=15, booking_horizon_days=90, min_notice_minutes=60)
        service = ServiceFactory(duration_minutes=60, buffer_after_minutes=15)
        short = ServiceFactory(duration_minutes=30, buffer_after_minutes=0)
        therapists = [TherapistFactory(services=[service, short]) for _ in range(THERAPISTS)]
        _book(therapists, short)

        timings, queries, slots = [], 0, []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                slots = free_slots(
                    service=service, start_date=FIRST_DAY, end_date=FIRST_DAY + timedelta(days=DAYS - 1)
                )
                timings.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        transaction.set_rollback(True)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{THERAPISTS} therapists, {DAYS} days, {APPOINTMENTS} existing appointments, 60-minute service")
    print(f"free slots found: {len(slots)}")
    print(
        f"time per call: median {statistics.median(timings) * 1000:.1f} ms, best {min(timings) * 1000:.1f} ms ({RUNS} runs)"
    )
    print(f"queries per call: {queries}")


def _book(therapists, service) -> None:
    """2,000 half-hour appointments at random grid times inside working hours, never overlapping."""
    from bookings.models import Appointment

    chooser = random.Random(2026)
    working_days = [d for d in (FIRST_DAY + timedelta(days=i) for i in range(DAYS)) if d.weekday() < 6]
    quarter_hours = [
        h * 4 + q for h in (9, 10, 11, 12, 14, 15, 16, 17) for q in range(4) if (h, q) != (12, 3)
    ]
    taken: set[tuple[int, date, int]] = set()
    objects = []
    while len(objects) < APPOINTMENTS:
        therapist = chooser.choice(therapists)
        day = chooser.choice(working_days)
        quarter = chooser.choice(quarter_hours[:-1])
        if {(therapist.pk, day, quarter), (therapist.pk, day, quarter + 1)} & taken:
            continue
        taken |= {(therapist.pk, day, quarter), (therapist.pk, day, quarter + 1)}
        start = datetime(day.year, day.month, day.day, quarter // 4, quarter % 4 * 15, tzinfo=UTC)
        objects.append(
            Appointment(
                client_id=therapist.user_id,
                therapist=therapist,
                service=service,
                start=start,
                end=start + timedelta(minutes=30),
                blocked_until=start + timedelta(minutes=30),
            )
        )
    Appointment.objects.bulk_create(objects)


if __name__ == "__main__":
    main()
