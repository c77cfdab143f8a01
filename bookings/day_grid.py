"""The clinic's grid of start times for each local day, as UTC instants, built once per request.

All therapists share the clinic's grid (every `slot_step_minutes` from local midnight), so a
day's start times are worked out once and every therapist's slots point into them. On most days
the clocks do not change and the instants are plain arithmetic from local midnight; on the days
they do, each grid time is placed by the time zone itself, and a wall-clock time the clocks skip
has no instant (it is never offered).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import BigIntegerField, Func

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_MINUTES = 24 * 60
LAST_SECOND = time(23, 59, 59)


class DayGrid:
    """One local day's grid: for each grid time that exists that day, its wall-clock minute,
    its instant (seconds since the epoch, ascending) and the slot's start and end datetimes."""

    def __init__(
        self, day: date, *, tz: ZoneInfo, step_minutes: int, duration: timedelta, hours: tuple[time, time]
    ):
        self.day = day
        self.tz = tz
        midnight = datetime.combine(day, time.min)
        offset = tz.utcoffset(midnight)
        # The same offset at both ends of the day: the clocks don't change today.
        self.offset = offset if offset == tz.utcoffset(datetime.combine(day, LAST_SECOND)) else None
        self.minutes: list[int] = []
        self.instants: list[int] = []
        self.starts: list[datetime] = []
        # Only the part of the day someone works: the grid is still counted from midnight.
        opens, closes = hours
        first = opens.hour * 60 + opens.minute
        for minute in range(
            first - first % step_minutes, min(closes.hour * 60 + closes.minute + 1, DAY_MINUTES), step_minutes
        ):
            start = self._place(time(minute // 60, minute % 60))
            if start is not None:
                self.minutes.append(minute)
                self.instants.append(epoch_floor(start))
                self.starts.append(start)
        self.ends = [start + duration for start in self.starts]
        self._closings: dict[time, int | None] = {}
        self._windows: dict[tuple[time, time], tuple[int, int]] = {}

    def between(self, opens: time, closes: time) -> tuple[int, int]:
        """The index range of the grid times from `opens` (rounded up) until `closes`."""
        first = opens.hour * 60 + opens.minute + (1 if opens.second or opens.microsecond else 0)
        last = closes.hour * 60 + closes.minute
        return bisect_left(self.minutes, first), bisect_left(self.minutes, last)

    def window(
        self, opens: time, closes: time, *, duration: int, first_start: int, last_start: int
    ) -> tuple[int, int]:
        """The index range of the slots that may start in the working-hours window: on the grid,
        from `opens`, ending by `closes`, between `first_start` and `last_start`. Worked out once
        per window and day: the keyword arguments are the request's, the same for every call."""
        if (opens, closes) not in self._windows:
            closing = self.instant(closes)
            low, high = self.between(opens, closes)
            if closing is None:
                low = high
            else:
                low = bisect_left(self.instants, first_start, low, high)
                high = bisect_right(self.instants, min(last_start, closing - duration), low, high)
            self._windows[opens, closes] = (low, high)
        return self._windows[opens, closes]

    def instant(self, at: time) -> int | None:
        """`at` today in seconds since the epoch, rounded down; None when the clocks skip it."""
        if at not in self._closings:
            placed = self._place(at)
            self._closings[at] = None if placed is None else epoch_floor(placed)
        return self._closings[at]

    def _place(self, at: time) -> datetime | None:
        if self.offset is not None:
            return datetime.combine(self.day, at, tzinfo=UTC) - self.offset
        return local_datetime(self.day, at, self.tz)


def local_datetime(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """`day` at wall-clock time `at` in `tz`, in UTC; None when the clocks skip that time."""
    local = datetime.combine(day, at, tzinfo=tz)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return as_utc


class RangeGrid:
    """Every open day's grid in one ascending run, so that a slot is an index into it and a
    therapist's free time is a few index ranges."""

    def __init__(
        self,
        days: Iterable[date],
        *,
        tz: ZoneInfo,
        step_minutes: int,
        duration: timedelta,
        hours_by_weekday: dict[int, tuple[time, time]],
    ):
        self.instants: list[int] = []
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        # Where each day's grid begins in the run, and the day's grid.
        self.days: list[tuple[int, DayGrid]] = []
        for day in days:
            if day.weekday() not in hours_by_weekday:
                continue
            grid = DayGrid(
                day,
                tz=tz,
                step_minutes=step_minutes,
                duration=duration,
                hours=hours_by_weekday[day.weekday()],
            )
            self.days.append((len(self.instants), grid))
            self.instants += grid.instants
            self.starts += grid.starts
            self.ends += grid.ends


class EpochFloor(Func):
    """A datetime column as whole seconds since the epoch, rounded down, computed by the database."""

    output_field = BigIntegerField()
    template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint"

    # SQLite (the embedded default for `make run`) has no EXTRACT(EPOCH ...). "%%%%" survives
    # both the template's and the driver's %-formatting as one "%".
    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        )


class EpochCeil(EpochFloor):
    """Rounded up."""

    template = "CEIL(EXTRACT(EPOCH FROM %(expressions)s))::bigint"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: with a fraction, the text sorts
        # after the whole second it starts with.
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) + (%(expressions)s >"
            " datetime(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER), 'unixepoch')))",
        )


def epoch_floor(moment: datetime) -> int:
    """Whole seconds since the epoch, rounded down (exact: no floating point)."""
    delta = moment - EPOCH
    return delta.days * 86_400 + delta.seconds


def epoch_ceil(moment: datetime) -> int:
    delta = moment - EPOCH
    return delta.days * 86_400 + delta.seconds + (1 if delta.microseconds else 0)
