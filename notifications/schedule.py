"""When each message is due. UTC in, UTC out; local times are built per local date in the clinic's zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import MessagingSettings


def reminder_due_at(start: datetime, settings: MessagingSettings) -> datetime:
    """The reminder is a fixed number of hours before the start (a duration, not wall-clock time)."""
    return start - timedelta(hours=settings.reminder_hours_before)


def tip_due_at(day: date, settings: MessagingSettings, tz: ZoneInfo) -> datetime:
    """`day` at the clinic's tip time, or the next morning if that time falls in quiet hours."""
    return daytime_from(_local(day, settings.tip_time, tz), settings, tz)


def is_quiet(moment: datetime, settings: MessagingSettings, tz: ZoneInfo) -> bool:
    at = moment.astimezone(tz).time()
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if start < end:  # e.g. 00:00-07:00
        return start <= at < end
    return at >= start or at < end  # across midnight, e.g. 21:00-08:00


def daytime_from(moment: datetime, settings: MessagingSettings, tz: ZoneInfo) -> datetime:
    """`moment` itself outside quiet hours, else the end of those quiet hours (the next morning)."""
    if not is_quiet(moment, settings, tz):
        return moment
    local = moment.astimezone(tz)
    day = local.date()
    if settings.quiet_hours_start > settings.quiet_hours_end and local.time() >= settings.quiet_hours_start:
        day += timedelta(days=1)  # late evening: quiet hours end tomorrow morning
    return _local(day, settings.quiet_hours_end, tz)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    # A wall-clock time the clocks skip (spring forward) lands just after the gap (fold=0).
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
