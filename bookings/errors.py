"""What the booking services refuse, and why: each carries the message for the client.

bookings.api maps each to its HTTP status (REFUSALS); the pages show `message`.
"""

from collections.abc import Callable
from functools import cached_property

from .availability import Slot


class BookingError(Exception):
    """A booking, move or cancellation that the clinic's rules refuse; `message` is for the client."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BookingRefused(BookingError):
    """The request itself is not bookable (past, off the grid, outside hours...)."""


class SlotUnavailable(BookingError):
    """Someone else holds the time; `alternatives` are free slots nearby.

    They are looked up when first read, not when the refusal is raised: a booking refuses from
    inside its transaction, and reading a week of the schedule there would keep the client's and
    the therapist's rows locked meanwhile (and a series, which offers times of its own, never
    reads them).
    """

    def __init__(self, message: str, look_up: Callable[[], list[Slot]]):
        super().__init__(message)
        self._look_up = look_up

    @cached_property
    def alternatives(self) -> list[Slot]:
        return self._look_up()


class RecheckRequired(BookingRefused):
    """The re-check ("since your intake, have you had any of these?") must be answered first."""


class CautionRuledOut(BookingRefused):
    """The client's cautions rule out this service or therapist online (bookings.cautions).

    `message` tells the client why, in their words; `for_staff` says what is ruled out without
    naming the condition, for the front desk, who may book it anyway with a reason.
    """

    def __init__(self, message: str, for_staff: str):
        super().__init__(message)
        self.for_staff = for_staff


class CancellationWindowClosed(BookingError):
    """Too close to the appointment to change it online."""


class IntakeRequired(BookingError):
    """The sciatica intake gate refuses: no current intake (`outcome` None) or a red flag.

    `outcome` is "EMERGENCY" or "SEE_DOCTOR" when a red flag blocks booking; the message is
    then the client's advice (see a doctor, urgently where the rules say so).
    """

    def __init__(self, message: str, outcome: str | None):
        super().__init__(message)
        self.outcome = outcome
