"""What any input must be before the app looks at it, whichever path it takes (pages or the JSON API).

- Text that PostgreSQL can store: no NUL character (PostgreSQL refuses it in text columns) and no
  lone surrogate such as "\\ud800" (it has no UTF-8 encoding; JSON's escapes decode to one).
- Dates in a window around today: a date far outside any schedule is a typo or a probe, and at
  the ends of the calendar (years 1 and 9999) date arithmetic overflows.

Forms take `storable_text` and `date_near_today` as field validators (clinic.forms.StorableTextMixin
adds the first to every text field of a form); the API's schemas take `StorableStr`, `DateNearToday` and
`AwareDatetimeNearToday`. Narrower rules (the booking horizon, the report's length) stay where they are.
"""

from datetime import date, datetime
from typing import Annotated, TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import AfterValidator, AwareDatetime, BeforeValidator
from pydantic_core import PydanticCustomError

UNSTORABLE_TEXT = "This contains characters we can't store. Please remove them and try again."

# Five years back for the report and the schedule's history; two ahead covers any booking horizon.
YEARS_BACK = 5
YEARS_AHEAD = 2


def is_storable_text(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def storable_text(value: str) -> None:
    """A Django validator: refuse text the database cannot store."""
    if not is_storable_text(value):
        raise ValidationError(UNSTORABLE_TEXT, code="unstorable_text")


def _storable(value: object) -> object:
    if isinstance(value, str) and not is_storable_text(value):
        raise PydanticCustomError("unstorable_text", UNSTORABLE_TEXT)
    return value


# Checked before pydantic's own string checks, which refuse a lone surrogate with a message of
# their own when a field has a max_length.
StorableStr = Annotated[str, BeforeValidator(_storable)]


def date_window(today: date | None = None) -> tuple[date, date]:
    """The first and last dates any input may name: the same day YEARS_BACK and YEARS_AHEAD away."""
    today = today or timezone.localdate()
    return _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def date_out_of_window(value: date) -> str | None:
    """Why `value` (a date, or a datetime read as the date in its own offset) is refused, or None."""
    day = value.date() if isinstance(value, datetime) else value
    first, last = date_window()
    if first <= day <= last:
        return None
    return f"Choose a date between {first.day} {first:%B %Y} and {last.day} {last:%B %Y}."


def date_near_today(value: date) -> None:
    """A Django validator for date and datetime fields: refuse dates outside `date_window()`."""
    message = date_out_of_window(value)
    if message:
        raise ValidationError(message, code="date_out_of_window")


When = TypeVar("When", bound=date)


def _near_today(value: When) -> When:
    message = date_out_of_window(value)
    if message:
        raise PydanticCustomError("date_out_of_window", message)
    return value


DateNearToday = Annotated[date, AfterValidator(_near_today)]
AwareDatetimeNearToday = Annotated[AwareDatetime, AfterValidator(_near_today)]
