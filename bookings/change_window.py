"""Until when a client may change or cancel an appointment online: one rule for every page.

The booking service refuses a client's change once the window has closed (staff may still
change it); the pages, the confirmation and the emails ask the same function, so nobody is
offered a button, a link or an "until" that the service would then refuse.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import Clinic


@dataclass(frozen=True)
class ChangeWindow:
    closes_at: datetime  # the last moment the client can change or cancel online
    is_open: bool
    hours: int  # the clinic's cancellation window, for the wording ("our 24-hour window")


def change_window(*, start: datetime, clinic: Clinic, now: datetime) -> ChangeWindow:
    """Whether the client can still change an appointment starting at `start` online, and until when."""
    closes_at = start - timedelta(hours=clinic.cancellation_window_hours)
    return ChangeWindow(closes_at=closes_at, is_open=now < closes_at, hours=clinic.cancellation_window_hours)
