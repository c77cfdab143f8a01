"""How long availability takes, and how that compares with the search it replaced.

    make bench        (or: DATABASE_URL=postgres://... .venv/bin/python bench/availability.py)

For each size (therapists x days) it books about three appointments per therapist per working
day, then times "anyone" and one named therapist with the current `free_slots` and with the
one it replaced (bench/availability_before.py), alternately in the same run, so the machine's
noise falls on both. It prints milliseconds per call (median of the runs), microseconds per
returned slot, queries per call, the ratio, and the load average. Runs against the database in
DATABASE_URL (default: a clinic_bench database on the local PostgreSQL), inside a transaction
that is rolled back.
"""

import gc
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

from bench.common import ensure_database, load_average  # noqa: E402

SIZES = [(10, 28), (200, 28), (200, 90)]
BOOKINGS_PER_DAY = 3
FIRST_DAY = date(2027, 1, 4)  # a Monday
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from bench.availability_before import free_slots as before
    from bookings.availability import free_slots as current
    from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} cores")
    print(f"load average before: {load_average()}")
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        clinic = ClinicFactory(slot_step_minutes=15, booking_horizon_days=120, min_notice_minutes=60)
        service = ServiceFactory(duration_minutes=60, buffer_after_minutes=15)
        short = ServiceFactory(duration_minutes=30, buffer_after_minutes=0)
        therapists = [TherapistFactory(services=[service, short]) for _ in range(max(t for t, _ in SIZES))]
        _book(therapists, short, days=max(d for _, d in SIZES))
        gc.freeze()  # as clinic/wsgi.py does once the app is loaded, in every web worker
        for therapist_count, days in SIZES:
            _compare(before, current, clinic, service, therapists, therapist_count, days)
        transaction.set_rollback(True)
    print(f"load average after: {load_average()}")


def _compare(before, current, clinic, service, therapists, therapist_count, days) -> None:
    from bookings.models import Therapist

    # The therapists beyond this size stop offering the service for the duration of the run.
    Therapist.objects.filter(pk__in=[t.pk for t in therapists[therapist_count:]]).update(is_active=False)
    Therapist.objects.filter(pk__in=[t.pk for t in therapists[:therapist_count]]).update(is_active=True)
    last = FIRST_DAY + timedelta(days=days - 1)
    runs = 7 if therapist_count * days < 2000 else 3
    for label, therapist in (("anyone", None), ("one therapist", therapists[0])):
        timings = {"before": [], "now": []}
        queries = {}
        counts = {}
        for _ in range(runs):
            for name, search in (("before", before), ("now", current)):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    slots = search(
                        service=service,
                        start_date=FIRST_DAY,
                        end_date=last,
                        therapist=therapist,
                        clinic=clinic,
                    )
                    timings[name].append(time.perf_counter() - started)
                queries[name] = len(captured.captured_queries)
                counts[name] = len(slots)
                # Each call starts from the same heap: neither pays to collect the other's garbage.
                del slots
                gc.collect()
        assert counts["before"] == counts["now"], counts
        slots = counts["now"]
        before_ms, now_ms = (statistics.median(timings[name]) * 1000 for name in ("before", "now"))
        print(
            f"{therapist_count} therapists x {days} days, {label}: {slots} slots; "
            f"before {before_ms:.1f} ms ({before_ms * 1000 / max(slots, 1):.1f} us/slot, {queries['before']} queries), "
            f"now {now_ms:.1f} ms ({now_ms * 1000 / max(slots, 1):.1f} us/slot, {queries['now']} queries): "
            f"{before_ms / now_ms:.1f}x faster (median of {runs}; load {load_average()})"
        )


def _book(therapists, service, *, days: int) -> None:
    """About BOOKINGS_PER_DAY half-hour appointments per therapist per working day, never overlapping."""
    from bookings.models import Appointment

    chooser = random.Random(2026)
    half_hours = [h * 2 + q for h in (9, 10, 11, 12, 14, 15, 16, 17) for q in range(2)]
    objects = []
    for therapist in therapists:
        for offset in range(days):
            day = FIRST_DAY + timedelta(days=offset)
            if day.weekday() == 6:
                continue
            for half_hour in chooser.sample(half_hours, BOOKINGS_PER_DAY):
                start = datetime(day.year, day.month, day.day, half_hour // 2, half_hour % 2 * 30, tzinfo=UTC)
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
    Appointment.objects.bulk_create(objects, batch_size=5000)
    # As autovacuum would after such an insert (it is off on some machines): without statistics
    # PostgreSQL plans one therapist's busy times as a scan of every appointment.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bookings_appointment")
    print(f"{len(objects)} existing appointments")


if __name__ == "__main__":
    main()
