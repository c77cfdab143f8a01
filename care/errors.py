"""What booking a series refuses, and which session it was."""

from datetime import datetime

from bookings.availability import Slot
from bookings.errors import BookingError


class SeriesRefused(Exception):
    """One session of a series was refused, so none of it was booked.

    `refusal` is what bookings.services refused that session with (its message, and for a taken
    time the usual nearby `alternatives`); `alternatives` are the nearest free times in that
    session's week, off the days of the other sessions, to offer instead.
    """

    def __init__(
        self,
        *,
        index: int,
        start: datetime,
        refusal: BookingError,
        alternatives: tuple[Slot, ...] = (),
    ):
        super().__init__(refusal.message)
        self.index = index
        self.start = start
        self.refusal = refusal
        self.alternatives = alternatives

    @property
    def message(self) -> str:
        return f"Session {self.index + 1}: {self.refusal.message}"
