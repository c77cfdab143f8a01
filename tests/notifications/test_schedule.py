from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from notifications.models import MessagingSettings
from notifications.schedule import daytime_from, is_quiet, tip_due_at

NEW_YORK = ZoneInfo("America/New_York")
DEFAULTS = MessagingSettings()  # tips at 10:00, quiet 21:00-08:00


def new_york(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (new_york(8, 10), new_york(8, 10)),  # daytime: unchanged
        (new_york(8, 20, 59), new_york(8, 20, 59)),
        (new_york(8, 21), new_york(9, 8)),  # evening: the next morning
        (new_york(8, 23, 30), new_york(9, 8)),
        (new_york(9, 6), new_york(9, 8)),  # small hours: this morning
    ],
)
def test_quiet_hours_in_new_york_move_a_time_to_the_next_morning(moment, expected):
    assert daytime_from(moment.astimezone(UTC), DEFAULTS, NEW_YORK) == expected.astimezone(UTC)


def test_quiet_hours_that_do_not_cross_midnight():
    small_hours = MessagingSettings(quiet_hours_start=time(0), quiet_hours_end=time(7))

    assert is_quiet(datetime(2026, 12, 8, 6, 59, tzinfo=UTC), small_hours, ZoneInfo("UTC"))
    assert not is_quiet(datetime(2026, 12, 8, 23, 0, tzinfo=UTC), small_hours, ZoneInfo("UTC"))


def test_a_tip_is_due_at_10_local_on_both_sides_of_the_clock_change():
    assert tip_due_at(date(2026, 10, 31), DEFAULTS, NEW_YORK) == datetime(2026, 10, 31, 14, 0, tzinfo=UTC)
    assert tip_due_at(date(2026, 11, 2), DEFAULTS, NEW_YORK) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
