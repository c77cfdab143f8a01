"""How long dispatching 10,000 due reminders takes with 1 and 2 Celery workers.

    make bench        (or: DATABASE_URL=postgres://... .venv/bin/python bench/reminders.py)

Writes 10,000 due reminder rows to the outbox in DATABASE_URL (default: a clinic_bench database
on the local PostgreSQL), starts real `celery worker` processes on Redis (a database and queue
of its own: BENCH_REDIS_URL, default redis://127.0.0.1:6379/12), sends each worker one dispatch
task, and times until no row is left queued or sending. The workers send with Django's
file-based email backend into a temporary folder (each email in full, as SMTP would carry it);
afterwards the emails in those files are counted by their Message-ID headers, which must be as
many, and as many different ones, as there are rows sent: each sent exactly once.

Prints, for each number of workers, the seconds, the messages per second, the rows sent, the
emails written, the load average before and after with the number of cores (other work on the
machine slows the bench, so a figure means little without them), and the workers' CPU time per
message, which other work hardly changes.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds, ensure_database, load_average  # noqa: E402

MESSAGES = 10_000
THERAPISTS = 10
CLIENTS = 200
DOMAIN = "bench-reminders.example"
QUEUE = "bench-reminders"
KEY = "bench-reminder:"  # the start of each bench row's dedupe_key
TIMEOUT = 600


def main() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench")
    os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, broker: {os.environ['REDIS_URL']}"
    )
    print(
        f"{MESSAGES:,} due reminders, workers: celery --pool=solo, one process each, {os.cpu_count()} cores"
    )
    try:
        for workers in (1, 2):
            _outbox_fill()
            with tempfile.TemporaryDirectory(prefix="bench-reminders-") as mail_dir:
                before = os.getloadavg()
                elapsed, cpu, sent_rows = _run(workers, mail_dir)
                after = os.getloadavg()
                emails, different, files = _emails_written(mail_dir)
            print(
                f"{workers} worker{'s' if workers > 1 else ''}: {elapsed:.1f} s, "
                f"{MESSAGES / elapsed:,.0f} messages/s, rows sent: {sent_rows:,}, "
                f"emails written: {emails:,} ({different:,} different) in {files:,} files; "
                f"load average before {load_average(before)}, after {load_average(after)} ({os.cpu_count()} cores)"
                + (f"; the workers' CPU: {1000 * cpu / MESSAGES:.2f} ms a message" if cpu is not None else "")
            )
            if not emails == different == sent_rows == MESSAGES:
                raise SystemExit("Each row must be sent exactly once: the counts above differ.")
    finally:
        _outbox_clear()


def _emails_written(mail_dir: str) -> tuple[int, int, int]:
    """The emails in the file backend's files (by their Message-ID headers), how many different
    ones, and how many files (a file per mail session, though sessions opened in the same second
    may share one)."""
    files = list(Path(mail_dir).iterdir())
    ids = [
        found
        for path in files
        for found in re.findall(r"^Message-ID: (\S+)$", path.read_text(), flags=re.MULTILINE)
    ]
    return len(ids), len(set(ids)), len(files)


def _run(workers: int, mail_dir: str) -> tuple[float, float | None, int]:
    from clinic.celery import app
    from notifications.models import Message

    with app.connection_for_write() as broker:
        broker.default_channel.queue_declare(QUEUE)
        broker.default_channel.queue_purge(QUEUE)
    processes = [_start_worker(i, mail_dir) for i in range(workers)]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("the bench workers did not start")
        # Polled every 50 ms while the workers run, so a cheap query (the outbox's partial index),
        # not a join on the recipients' emails that would take the workers' CPU.
        pending = Message.objects.filter(
            status__in=[Message.Status.QUEUED, Message.Status.SENDING], dedupe_key__startswith=KEY
        )
        cpu_before = _cpu_seconds(processes)
        started = time.perf_counter()
        for _ in range(workers):
            app.send_task("notifications.tasks.dispatch_due", queue=QUEUE)
        while pending.exists():
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError("dispatch did not finish in time")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu_after = _cpu_seconds(processes)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    sent = Message.objects.filter(recipient__email__endswith=DOMAIN, status=Message.Status.SENT).count()
    return elapsed, cpu, sent


def _cpu_seconds(processes: list[subprocess.Popen]) -> float | None:
    """The CPU time the workers have used (None if one has gone, or without /proc): unlike the
    wall time, it hardly depends on what else the machine is running."""
    seconds = cpu_seconds([process.pid for process in processes])
    return sum(seconds.values()) if len(seconds) == len(processes) else None


def _start_worker(number: int, mail_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",  # DEBUG would keep every SQL query in memory
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": mail_dir,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "clinic", "--quiet", "worker", "--pool=solo", "-Q", QUEUE,
        "-n", f"bench{number}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=WARNING",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )  # errors still reach stderr


def _outbox_fill() -> None:
    """10,000 booked appointments in the coming weeks, each with its reminder due now."""
    from django.db import transaction
    from django.utils import timezone

    from bookings.models import Appointment, Clinic, Service
    from notifications.models import Message

    _outbox_clear()
    now = timezone.now()
    with transaction.atomic():
        Clinic.objects.get_or_create(pk=1, defaults={"name": "Riverside Massage"})
        service, _ = Service.objects.get_or_create(
            name="Bench deep tissue", defaults={"duration_minutes": 60, "price": 65}
        )
        therapists = [_therapist(i) for i in range(THERAPISTS)]
        clients = [_user(f"client{i}") for i in range(CLIENTS)]
        first = (now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
        appointments = Appointment.objects.bulk_create(
            Appointment(
                client=clients[i % CLIENTS],
                therapist=therapists[i % THERAPISTS],
                service=service,
                start=first + timedelta(hours=2 * (i // THERAPISTS)),
                end=first + timedelta(hours=2 * (i // THERAPISTS) + 1),
                blocked_until=first + timedelta(hours=2 * (i // THERAPISTS) + 1),
            )
            for i in range(MESSAGES)
        )
        Message.objects.bulk_create(
            Message(
                kind=Message.Kind.REMINDER,
                recipient=appointment.client,
                appointment=appointment,
                due_at=now - timedelta(minutes=1),
                dedupe_key=f"{KEY}{appointment.pk}",
            )
            for appointment in appointments
        )
    _tidy_up_as_autovacuum_would()


def _tidy_up_as_autovacuum_would() -> None:
    """VACUUM ANALYZE what the fill changed. A live database's autovacuum would have; without it
    (a server run with autovacuum off, like this machine's) each run of the bench leaves its rows
    dead in the tables and the planner without statistics, and the next run is slower."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE notifications_message, bookings_appointment, accounts_user")


def _outbox_clear() -> None:
    from bookings.models import Appointment
    from notifications.models import Message

    Message.objects.filter(recipient__email__endswith=DOMAIN).delete()
    Appointment.objects.filter(client__email__endswith=DOMAIN).delete()


def _user(name: str):
    from accounts.models import User

    user, _ = User.objects.get_or_create(email=f"{name}@{DOMAIN}", defaults={"first_name": name.title()})
    return user


def _therapist(number: int):
    from bookings.models import Therapist

    therapist, _ = Therapist.objects.get_or_create(user=_user(f"therapist{number}"))
    return therapist


if __name__ == "__main__":
    main()
