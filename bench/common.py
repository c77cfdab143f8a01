import os
from pathlib import Path
from urllib.parse import urlparse

import psycopg

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def ensure_database(database_url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    url = urlparse(database_url)
    if url.scheme not in ("postgres", "postgresql"):
        return
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def load_average(figures: tuple[float, float, float] | None = None) -> str:
    """The load average (now, or as sampled earlier), as every bench prints it beside its figures."""
    return " ".join(f"{figure:.2f}" for figure in figures or os.getloadavg())


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds of each of these processes so far (Linux's /proc/<pid>/stat);
    a process that has gone, or a system without /proc, is left out."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return seconds
