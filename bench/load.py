"""Booking under load: the JSON API under gunicorn on PostgreSQL and Redis, against a bare request.

    make bench          (after the other benchmarks; or: .venv/bin/python bench/load.py [--seconds 20] [--clients 16])
    make bench-scale    (or: .venv/bin/python bench/load.py --scale)

Builds a database of its own (LOAD_DATABASE_URL, default clinic_load on the local PostgreSQL,
dropped, created and migrated on each run): 10 therapists, a few hundred clients with a clear
intake and a signed-in session each, and the first four weeks part-booked. Starts `gunicorn
clinic.wsgi` (2 sync workers per core, DEBUG off, Redis in LOAD_REDIS_URL, default
redis://127.0.0.1:6379/14, emptied first) and, with --clients requests in flight at once for
--seconds each:

- baseline: GET /api/v1/auth/me signed in (the session and the user, nothing more);
- availability: GET /api/v1/availability for 28 days, signed in, "anyone";
- booking: POST /api/v1/appointments with a named therapist, each on a distinct free slot.

For each: requests/s, p50/p95/p99, errors, and how many bare requests one costs, in requests/s
(the baseline's over its own) and in gunicorn's CPU per request; for booking also the rows
created and the overlapping pairs that SQL finds (must be 0). Then the baseline and booking in
turns, --rounds times --round-seconds each, with each round's ratio and their median: seconds
apart, both sides of a round meet nearly the same load on a shared machine, while the blocks above
are 40 s apart. Then 200 clients race for one slot, and 200 for four overlapping ones: one
wins each race, the rest get 409 with alternatives. Last, the statements of one bare request and
of one booking are sent as SQL alone, to show what they cost with no Python around them.

The per-client booking limit (clinic/throttle.py, 30 an hour) stays on, as in production: the
bookings are spread over enough clients that none reaches it. The load generator is one asyncio
process (aiohttp); it prints its own CPU time beside gunicorn's and PostgreSQL's, and the load
average, since the machine is shared.

--scale runs availability and booking with 2 and 4 gunicorn workers, then bench/reminders.py
(1 and 2 Celery workers) on the same database and a Redis database of its own (db 15).
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds, load_average  # noqa: E402

THERAPISTS = 10
RACERS = 200
WARM_UP_SECONDS = 2.0
# Sessions made here must verify in gunicorn: the same key on both sides.
SECRET_KEY = "bench-load-only-secret-key"


def main() -> None:
    args = _arguments()
    os.environ.update(_app_environment(args))
    _database_recreate(args.database_url)
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(args.redis_url).flushdb()
    clinic = _seed(args)
    print(
        f"{os.cpu_count()} cores ({_cpu_model()}), load average {load_average()}; database "
        f"{urlparse(args.database_url).path.lstrip('/')}, Redis {args.redis_url}; "
        f"{args.clients} clients at once, {args.seconds:g} s each"
    )
    bookings = _booking_requests(clinic)  # each free slot once, across runs
    if args.scale:
        for workers in (2, 4):
            _load_run(args, clinic, bookings, workers=workers, race=False)
        _reminders(args)
    else:
        _load_run(args, clinic, bookings, workers=args.workers, race=True)
        _statements_alone(args, clinic, bookings)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each load runs (20)")
    parser.add_argument("--clients", type=int, default=16, help="requests in flight at once (16)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn workers")
    parser.add_argument(
        "--rounds", type=int, default=6, help="baseline and booking in turns afterwards, this many times (6)"
    )
    parser.add_argument("--round-seconds", type=float, default=4.0, help="each side of a round (4)")
    parser.add_argument("--accounts", type=int, default=600, help="signed-in clients who book (600)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scale", action="store_true", help="2 and 4 gunicorn workers, 1 and 2 Celery")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_load"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument(
        "--celery-redis-url",
        default=os.environ.get("LOAD_CELERY_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="for --scale's reminders",
    )
    return parser.parse_args()


def _app_environment(args: argparse.Namespace) -> dict[str, str]:
    """Production settings, on plain http at 127.0.0.1."""
    return {
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _database_recreate(database_url: str) -> None:
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


# --- the clinic ---------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the load needs to know of the seeded clinic."""

    service: int  # 30 minutes, no buffer: many distinct slots to book
    race_service: int  # 60 minutes and a 15-minute buffer
    therapists: list[int]
    booking_days: list[date]  # after the races' day, free of the seeded appointments
    first_day: date  # the 28 part-booked days of availability start here
    race_day: date  # free, after those 28 days
    bookers: list[str]  # session keys of the clients who book
    racers: list[str]  # session keys of clients with nothing booked, for the races
    booking_limit: int  # per client per hour (clinic/throttle.py)
    tz: ZoneInfo
    database: str  # its name, as PostgreSQL's process titles show it
    csrf: str = ""
    red_flags: dict[str, object] = field(default_factory=dict)


def _seed(args: argparse.Namespace) -> Seeded:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from clinic.throttle import BOOKING_ATTEMPTS_PER_CLIENT
    from tests.factories import ClinicFactory, ServiceFactory, TherapistFactory, nothing_new, submit_intake

    started = time.perf_counter()
    # Intakes stay current for the whole horizon, so every slot in it can be booked.
    clinic = ClinicFactory(
        slot_step_minutes=15, min_notice_minutes=60, booking_horizon_days=400, intake_valid_days=400
    )
    service = ServiceFactory(name="Load 30", duration_minutes=30, buffer_after_minutes=0)
    race_service = ServiceFactory(name="Load 60", duration_minutes=60, buffer_after_minutes=15)
    therapists = [TherapistFactory(services=[service, race_service]) for _ in range(THERAPISTS)]
    unusable = make_password(None)  # they never log in with a password: their sessions are made here
    clients = User.objects.bulk_create(
        User(email=f"load{i}@load.example", first_name="Load", last_name=str(i), password=unusable)
        for i in range(args.accounts + 2 * RACERS)
    )
    with transaction.atomic():
        for client in clients:
            submit_intake(client)
    today = timezone.localdate(timezone.now(), clinic.tz)
    first_day = today + timedelta(days=7)
    workdays = [day for day in (today + timedelta(days=n) for n in range(7, 400)) if day.weekday() < 6]
    after_four_weeks = [day for day in workdays if day >= first_day + timedelta(days=28)]
    _book(therapists, service, [day for day in workdays if day < first_day + timedelta(days=28)], clinic.tz)
    sessions = _sessions(clients)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    return Seeded(
        service=service.pk,
        race_service=race_service.pk,
        therapists=[therapist.pk for therapist in therapists],
        booking_days=after_four_weeks[1:],
        first_day=first_day,
        race_day=after_four_weeks[0],
        bookers=sessions[: args.accounts],
        racers=sessions[args.accounts :],
        booking_limit=BOOKING_ATTEMPTS_PER_CLIENT.limit,
        tz=clinic.tz,
        database=urlparse(args.database_url).path.lstrip("/"),
        csrf=get_random_string(32, CSRF_ALLOWED_CHARS),
        red_flags=nothing_new(),
    )


def _book(therapists, service, days, tz: ZoneInfo) -> None:
    """Three half-hour appointments a day per therapist, so availability has gaps to find."""
    from bookings.models import Appointment

    Appointment.objects.bulk_create(
        Appointment(
            client_id=therapist.user_id,
            therapist=therapist,
            service=service,
            start=start,
            end=start + service.duration,
            blocked_until=start + service.duration,
        )
        for day in days
        for number, therapist in enumerate(therapists)
        for hour in (9 + number % 2, 12, 15 + number % 3)
        for start in [datetime.combine(day, clock(hour), tzinfo=tz)]
    )


def _sessions(clients) -> list[str]:
    """A signed-in session per client, as logging in would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    rows = [
        Session(
            session_key=get_random_string(32),
            session_data=store.encode(
                {
                    SESSION_KEY: str(client.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: client.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for client in clients
    ]
    Session.objects.bulk_create(rows)
    return [row.session_key for row in rows]


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    session: str
    body: dict[str, object] | None = None


@dataclass
class Outcome:
    name: str
    seconds: float
    latencies: list[float]
    statuses: Counter
    warm_up: Counter
    expected: int
    generator_cpu: float
    gunicorn_cpu: float
    postgres_cpu: float
    load_before: str
    load_after: str

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.done / self.seconds

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != self.expected)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def cpu_per_request(self) -> float:
        """Milliseconds of gunicorn's CPU per request answered."""
        return 1000 * self.gunicorn_cpu / max(1, self.done)

    def line(self, baseline: "Outcome | None") -> str:
        cost = (
            f"; {baseline.per_second / self.per_second:.2f}x a bare request in requests/s, "
            f"{self.cpu_per_request / baseline.cpu_per_request:.2f}x in gunicorn CPU"
            if baseline
            else ""
        )
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        return (
            f"{self.name:<13} {self.per_second:7.1f} req/s  p50 {self.percentile(0.5):6.1f} ms  "
            f"p95 {self.percentile(0.95):6.1f} ms  p99 {self.percentile(0.99):6.1f} ms  "
            f"errors {self.errors} ({statuses}){cost}\n"
            f"{'':<13} CPU over {self.seconds:.1f} s: load generator {self.generator_cpu:.1f} s "
            f"({100 * self.generator_cpu / self.seconds:.0f}% of a core), gunicorn {self.gunicorn_cpu:.1f} s "
            f"({self.cpu_per_request:.1f} ms a request), "
            f"postgres backends {self.postgres_cpu:.1f} s; "
            f"load average {self.load_before} -> {self.load_after}"
        )


class Server:
    """`gunicorn clinic.wsgi` with `workers` sync workers, on 127.0.0.1."""

    def __init__(self, args: argparse.Namespace, workers: int) -> None:
        self.url = f"http://127.0.0.1:{args.port}"
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "clinic.wsgi", "--workers", str(workers),
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning", "--timeout", "120",
        ]  # fmt: skip
        self.log = ROOT / "var" / "bench-load-gunicorn.log"  # the tracebacks of any 500, for a look after
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **_app_environment(args)}, stderr=log
            )

    def cpu(self) -> dict[int, float]:
        return cpu_seconds([self.process.pid, *_children(self.process.pid)])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        errors = self.log.read_text().count("Internal Server Error")
        if errors:
            print(f"{errors} requests answered 500: see {self.log.relative_to(ROOT)}")


async def _ready(session, url: str) -> None:
    import aiohttp

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            async with session.get(f"{url}/api/v1/auth/csrf") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("gunicorn did not start")


async def _send(http, server: Server, clinic: Seeded, request: Request) -> tuple[int, float, bytes]:
    headers = {"Cookie": f"sessionid={request.session}; csrftoken={clinic.csrf}"}
    if request.method == "POST":
        headers["X-CSRFToken"] = clinic.csrf
    started = time.perf_counter()
    async with http.request(
        request.method, server.url + request.path, json=request.body, headers=headers
    ) as response:
        body = await response.read()
    return response.status, time.perf_counter() - started, body


async def _measure(
    http,
    server: Server,
    clinic: Seeded,
    name: str,
    requests: Iterator[Request],
    *,
    clients: int,
    seconds: float,
    expected: int,
    warm_up_seconds: float = WARM_UP_SECONDS,
) -> Outcome:
    """`clients` loops sending the next request as soon as their last one is answered."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    warm_up: Counter = Counter()

    async def client(until: float, record: bool) -> None:
        while time.perf_counter() < until:
            request = next(requests, None)
            if request is None:
                return
            status, took, _ = await _send(http, server, clinic, request)
            if record:
                latencies.append(took)
                statuses[status] += 1
            else:
                warm_up[status] += 1

    # Not counted: each worker's first requests import and connect.
    warm_until = time.perf_counter() + warm_up_seconds
    await asyncio.gather(*(client(warm_until, record=False) for _ in range(clients)))
    load_before, cpu = load_average(), time.process_time()
    gunicorn, postgres = server.cpu(), _postgres_cpu(clinic.database)
    started = time.perf_counter()
    await asyncio.gather(*(client(started + seconds, record=True) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return Outcome(
        name=name,
        seconds=elapsed,
        latencies=latencies,
        statuses=statuses,
        warm_up=warm_up,
        expected=expected,
        generator_cpu=time.process_time() - cpu,
        gunicorn_cpu=_cpu_since(gunicorn, server.cpu()),
        postgres_cpu=_cpu_since(postgres, _postgres_cpu(clinic.database)),
        load_before=load_before,
        load_after=load_average(),
    )


def _cycle(items: list[str]) -> Callable[[], str]:
    position = 0

    def next_item() -> str:
        nonlocal position
        position += 1
        return items[position % len(items)]

    return next_item


def _baseline_requests(clinic: Seeded) -> Iterator[Request]:
    session = _cycle(clinic.bookers)
    while True:
        yield Request("GET", "/api/v1/auth/me", session())


def _availability_requests(clinic: Seeded) -> Iterator[Request]:
    session = _cycle(clinic.bookers)
    last = clinic.first_day + timedelta(days=27)
    path = f"/api/v1/availability?service={clinic.service}&start={clinic.first_day}&end={last}"
    while True:
        yield Request("GET", path, session())


def _booking_requests(clinic: Seeded) -> Iterator[Request]:
    """Each free slot once, in order of time; a slot's therapists are booked by different clients,
    and each client books at most their hourly limit, so no booking is refused or throttled."""
    number = 0
    for day in clinic.booking_days:
        for minutes in [*range(9 * 60, 13 * 60, 30), *range(14 * 60, 18 * 60, 30)]:
            start = datetime.combine(day, clock(minutes // 60, minutes % 60), tzinfo=clinic.tz)
            for therapist in clinic.therapists:
                client, attempt = number % len(clinic.bookers), number // len(clinic.bookers)
                if attempt >= clinic.booking_limit:
                    return
                number += 1
                body = {
                    "service": clinic.service,
                    "therapist": therapist,
                    "start": start.isoformat(),
                    "red_flags": clinic.red_flags,
                }
                yield Request("POST", "/api/v1/appointments", clinic.bookers[client], body)


async def _race(
    http, server: Server, clinic: Seeded, name: str, racers: list[str], therapist: int, starts: list[datetime]
) -> None:
    """Every racer at once, for `therapist` at `starts`; the time from the start signal to the last answer."""
    go = asyncio.Event()

    async def racer(i: int) -> tuple[int, float, bytes]:
        body = {
            "service": clinic.race_service,
            "therapist": therapist,
            "start": starts[i % len(starts)].isoformat(),
            "red_flags": clinic.red_flags,
        }
        await go.wait()
        return await _send(http, server, clinic, Request("POST", "/api/v1/appointments", racers[i], body))

    tasks = [asyncio.create_task(racer(i)) for i in range(len(racers))]
    await asyncio.sleep(0.5)  # every task is waiting on the signal
    cpu, load_before = time.process_time(), load_average()
    started = time.perf_counter()
    go.set()
    answers = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    statuses = Counter(status for status, _, _ in answers)
    losers = [json.loads(body) for status, _, body in answers if status == 409]
    with_alternatives = sum(1 for body in losers if body.get("alternatives"))
    rows = await asyncio.to_thread(_appointments_at, therapist, starts)
    losing_times = [took for status, took, _ in answers if status != 201] or [0.0]
    print(
        f"race, {name}: {len(racers)} at once; wins {statuses.get(201, 0)}, "
        f"losers {dict(sorted((s, c) for s, c in statuses.items() if s != 201))} "
        f"({with_alternatives} with alternatives); all answered in {elapsed:.2f} s "
        f"(losers' p50 {statistics.median(losing_times) * 1000:.0f} ms); appointments in the database: {rows}; "
        f"load generator CPU {time.process_time() - cpu:.2f} s; load average {load_before} -> {load_average()}"
    )


def _load_run(
    args: argparse.Namespace, clinic: Seeded, bookings: Iterator[Request], *, workers: int, race: bool
) -> None:
    import aiohttp

    server = Server(args, workers)
    print(f"\ngunicorn clinic.wsgi, {workers} sync workers")

    async def run() -> None:
        # Sync workers answer one request per connection; the limit allows the whole race at once.
        connector = aiohttp.TCPConnector(limit=max(args.clients, RACERS), force_close=True)
        jar = aiohttp.DummyCookieJar()  # each request carries its client's cookies itself
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
            await _ready(http, server.url)
            common = {"clients": args.clients, "seconds": args.seconds}
            before = await asyncio.to_thread(_appointment_count)
            baseline = await _measure(
                http, server, clinic, "baseline", _baseline_requests(clinic), expected=200, **common
            )
            print(baseline.line(None))
            availability = await _measure(
                http, server, clinic, "availability", _availability_requests(clinic), expected=200, **common
            )
            print(availability.line(baseline))
            booking = await _measure(http, server, clinic, "booking", bookings, expected=201, **common)
            print(booking.line(baseline))
            booked = [booking]
            if race:  # the main run; --scale compares worker counts with the blocks above
                booked += await _in_turns(http, server, clinic, bookings, args)
            created = await asyncio.to_thread(_appointment_count) - before
            overlapping = await asyncio.to_thread(_overlapping_pairs)
            answered = sum(outcome.statuses[201] + outcome.warm_up[201] for outcome in booked)
            print(
                f"{'':<13} rows created: {created}, booked (201) in these loads and their warm-ups: "
                f"{answered}; overlapping pairs found by SQL: {overlapping}"
            )
            if race:
                first, second = clinic.therapists[:2]
                one = [_race_start(clinic, 0)]
                await _race(http, server, clinic, "one slot", clinic.racers[:RACERS], first, one)
                starts = [_race_start(clinic, minutes) for minutes in (0, 15, 30, 45)]
                await _race(http, server, clinic, "overlapping", clinic.racers[RACERS:], second, starts)
                overlapping = await asyncio.to_thread(_overlapping_pairs)
                print(f"overlapping pairs found by SQL after the races: {overlapping}")

    try:
        asyncio.run(run())
    finally:
        server.stop()


ROUND_WARM_UP_SECONDS = 0.5


async def _in_turns(
    http, server: Server, clinic: Seeded, bookings: Iterator[Request], args: argparse.Namespace
) -> list[Outcome]:
    """Baseline and booking in turns, --rounds times --round-seconds each, and the ratio of each
    round: on a shared machine the load moves between the 20-second blocks above, and a round's
    two sides, seconds apart, see nearly the same machine. Returns the bookings' outcomes."""
    common = {
        "clients": args.clients,
        "seconds": args.round_seconds,
        "warm_up_seconds": ROUND_WARM_UP_SECONDS,
    }
    print(f"\nin turns, {args.rounds} rounds of {args.round_seconds:g} s each side:")
    ratios, cpu_ratios, booked = [], [], []
    for number in range(1, args.rounds + 1):
        bare = await _measure(
            http, server, clinic, "baseline", _baseline_requests(clinic), expected=200, **common
        )
        booking = await _measure(http, server, clinic, "booking", bookings, expected=201, **common)
        ratios.append(bare.per_second / booking.per_second)
        cpu_ratios.append(booking.cpu_per_request / bare.cpu_per_request)
        booked.append(booking)
        print(
            f"round {number}: baseline {bare.per_second:6.1f} req/s, {bare.cpu_per_request:.2f} ms gunicorn CPU; "
            f"booking {booking.per_second:6.1f} req/s, {booking.cpu_per_request:.2f} ms, errors {booking.errors}; "
            f"{ratios[-1]:.2f}x in requests/s, {cpu_ratios[-1]:.2f}x in CPU; "
            f"load average {bare.load_before} -> {booking.load_after}"
        )
    print(
        f"a booking costs, median of {args.rounds} rounds: {statistics.median(ratios):.2f} bare requests in "
        f"requests/s (from {min(ratios):.2f} to {max(ratios):.2f}), {statistics.median(cpu_ratios):.2f} in "
        f"gunicorn CPU (from {min(cpu_ratios):.2f} to {max(cpu_ratios):.2f})"
    )
    return booked


def _race_start(clinic: Seeded, minutes: int) -> datetime:
    return datetime.combine(clinic.race_day, clock(10, minutes), tzinfo=clinic.tz)


# --- the statements alone -----------------------------------------------------------------------

REPLAYS = 1000


def _statements_alone(args: argparse.Namespace, clinic: Seeded, bookings: Iterator[Request]) -> None:
    """What the statements of one bare request and of one booking cost sent as SQL with nothing
    around them: the floor under the ratio above, whatever the Python. Each is captured from one
    request answered in this process, then sent REPLAYS times over one connection (prepared by
    psycopg, as the app's are), the booking's inside a transaction rolled back each time (its BEGIN
    and ROLLBACK are counted among its statements)."""
    import psycopg

    warnings.filterwarnings(
        "ignore", message="No directory at"
    )  # whitenoise, for static files it won't serve
    bare = _statements_of(clinic, next(_baseline_requests(clinic)), expected=200)
    booking = _statements_of(clinic, next(bookings), expected=201, undo=True)
    with psycopg.connect(args.database_url, autocommit=True) as sql:
        backend = sql.execute("SELECT pg_backend_pid()").fetchone()[0]
        print(f"\nthe statements alone, sent as SQL {REPLAYS} times over one connection:")
        for name, statements in (("bare request", bare), ("booking", booking)):
            client, postgres = _replay(sql, backend, statements)
            print(
                f"{name:<13} {len(statements)} statements: this process {client * 1000:.2f} ms, "
                f"PostgreSQL {postgres * 1000:.2f} ms of CPU each time"
            )


def _statements_of(clinic: Seeded, request: Request, *, expected: int, undo: bool = False) -> list[str]:
    """The SQL one request sends, answered here by Django's test client; with `undo`, what it
    wrote is deleted again so that its INSERTs can be replayed (each replay then rolls back)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bookings.models import Appointment

    http = Client(HTTP_HOST="127.0.0.1")
    http.cookies[settings.SESSION_COOKIE_NAME] = request.session
    with CaptureQueriesContext(connection) as captured:
        if request.method == "GET":
            response = http.get(request.path)
        else:
            response = http.post(request.path, data=json.dumps(request.body), content_type="application/json")
    assert response.status_code == expected, response.content
    if undo:
        Appointment.objects.filter(pk=response.json()["id"]).delete()  # its messages go with it
    return ["ROLLBACK" if query["sql"] == "COMMIT" else query["sql"] for query in captured.captured_queries]


def _replay(sql, backend: int, statements: list[str]) -> tuple[float, float]:
    """CPU seconds per replay: this process's, and the PostgreSQL backend's."""
    client, postgres = time.process_time(), cpu_seconds([backend])[backend]
    for _ in range(REPLAYS):
        for statement in statements:
            cursor = sql.execute(statement)
            if cursor.description:
                cursor.fetchall()
    return (
        (time.process_time() - client) / REPLAYS,
        (cpu_seconds([backend])[backend] - postgres) / REPLAYS,
    )


# --- what the database says ----------------------------------------------------------------------

ACTIVE = "('booked', 'completed', 'no_show')"  # Appointment.ACTIVE_STATUSES


def _appointment_count() -> int:
    from bookings.models import Appointment

    return Appointment.objects.count()


def _appointments_at(therapist: int, starts: list[datetime]) -> int:
    from bookings.models import Appointment

    return Appointment.objects.filter(therapist_id=therapist, start__in=starts).count()


def _overlapping_pairs() -> int:
    """Pairs of active appointments of one therapist whose [start, blocked_until) overlap."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM bookings_appointment a JOIN bookings_appointment b
              ON a.therapist_id = b.therapist_id AND a.id < b.id
             AND tstzrange(a.start, a.blocked_until, '[)') && tstzrange(b.start, b.blocked_until, '[)')
            WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}
            """
        )
        return cursor.fetchone()[0]


# --- the machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def _children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(path.parent.name))
    return found


def _cpu_since(before: dict[int, float], now: dict[int, float]) -> float:
    """CPU seconds spent between two samples; a process started since counts from nothing."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def _postgres_cpu(database: str) -> dict[int, float]:
    """The CPU of the PostgreSQL backends serving `database` (their titles name it)."""
    pids = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = path.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            pids.append(int(path.parent.name))
    return cpu_seconds(pids)


def _reminders(args: argparse.Namespace) -> None:
    """bench/reminders.py as it is, on this database and a Redis database of its own."""
    from notifications.models import Message

    # The booking load's own confirmations are due too: the dispatchers must find only the bench's.
    Message.objects.all().delete()
    print("\nreminders dispatch (bench/reminders.py):", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "reminders.py")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": args.database_url, "BENCH_REDIS_URL": args.celery_redis_url},
        check=True,
    )


if __name__ == "__main__":
    main()
