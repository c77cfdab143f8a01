"""Before `make test`: are the PostgreSQL and Redis that the tests need reachable?

Prints exactly what is missing and how to start it, and exits non-zero if anything is.
"""

import os
import sys
from urllib.parse import urlparse

import psycopg
import redis

database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic")
redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
problems = []

try:
    admin_url = urlparse(database_url)._replace(path="/postgres").geturl()
    psycopg.connect(admin_url, connect_timeout=3).close()
except psycopg.Error as error:
    problems.append(
        f"PostgreSQL is not reachable at {database_url} ({error.__class__.__name__}: {str(error).strip()}).\n"
        "  Start it with:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "  or install it:  apt-get install -y postgresql  (tests need a superuser 'postgres' with trust auth on\n"
        "  127.0.0.1:5432, or set DATABASE_URL to a server where the user may create databases)."
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except redis.RedisError as error:
    problems.append(
        f"Redis is not reachable at {redis_url} ({error}).\n"
        '  Start it with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n'
        "  or install it:  apt-get install -y redis-server  (or set REDIS_URL)."
    )

if problems:
    print("make test needs services that are not running:\n", file=sys.stderr)
    print("\n\n".join(problems), file=sys.stderr)
    sys.exit(1)
