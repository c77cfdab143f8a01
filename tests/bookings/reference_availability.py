"""A straightforward free_slots, for the property test: every therapist, every day, every grid
time, checked against every busy interval one by one. Slow and obviously right."""

from datetime import UTC, date, datetime, time, timedelta

from bookings.models import Appointment, Closure, Therapist, TimeOff


def reference_free_slots(
    *, service, start_date, end_date, clinic, now, therapist=None, ignore_appointment_id=None
):
    tz = clinic.tz
    earliest = now + timedelta(minutes=clinic.min_notice_minutes)
    latest = now + timedelta(days=clinic.booking_horizon_days)
    closed = set(Closure.objects.values_list("date", flat=True))
    therapists = Therapist.objects.filter(is_active=True, services=service)
    if therapist is not None:
        therapists = therapists.filter(pk=therapist.pk)
    found = []
    for each in therapists:
        busy = [(off.start, off.end) for off in TimeOff.objects.filter(therapist=each)]
        busy += [
            (appointment.start, appointment.blocked_until)
            for appointment in Appointment.objects.filter(
                therapist=each, status__in=Appointment.ACTIVE_STATUSES
            )
            if appointment.pk != ignore_appointment_id
        ]
        day = start_date
        while day <= end_date:
            if day not in closed:
                for hours in each.working_hours.filter(weekday=day.weekday()):
                    closing = _placed(day, hours.end_time, tz)
                    for minute in range(0, 24 * 60, clinic.slot_step_minutes):
                        at = time(minute // 60, minute % 60)
                        if (
                            at < hours.start_time
                            or minute >= hours.end_time.hour * 60 + hours.end_time.minute
                        ):
                            continue
                        start = _placed(day, at, tz)
                        if start is None or closing is None:
                            continue
                        end = start + service.duration
                        reach = end + service.buffer_after
                        if start < earliest or start > latest or end > closing:
                            continue
                        if any(busy_start < reach and busy_end > start for busy_start, busy_end in busy):
                            continue
                        found.append((start, each.pk, end))
            day += timedelta(days=1)
    # A time inside two overlapping windows of one therapist (the staff form refuses them, data
    # entered another way may not) is still one slot.
    return sorted(set(found))


def _placed(day: date, at: time, tz):
    """The instant of a wall-clock time, or None if the clocks skip it that day."""
    local = datetime.combine(day, at, tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant
