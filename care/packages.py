"""Which sessions a client's packages pay for, and how many remain: computed, never stored.

The rule, one place for the desk, the client's page and the API:

- A package purchase pays for appointments of the package's service that start after it was
  sold and on or before its `expires_on` (the clinic's local date), up to its number of sessions.
- Each such appointment, in order of start, is paid from the oldest purchase (by sale) that
  still has a session left and covers it. Booked, completed and no-show appointments draw (a
  no-show forfeits its session, as a late cancellation would); a cancelled one does not, so
  cancelling gives the session back.
- It does not matter how the appointment was booked (a single booking, a series, the desk), so
  bookings needs to know nothing about packages: the draw is read when it is needed.

Because draws are computed, a cancellation earlier in time can move a later session onto an
older purchase; the counts per purchase are always those of the rule above.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from bookings.models import Appointment
from bookings.selectors import clinic_get

from .models import PackagePurchase


@dataclass(frozen=True)
class PackageBalance:
    purchase: PackagePurchase
    sessions: int
    used: int  # sessions drawn: attended, missed, or booked ahead
    booked_ahead: int  # of `used`, those still to come
    remaining: int
    expires_on: date
    is_expired: bool
    appointment_ids: tuple[int, ...]  # the sessions it pays for, by start


def package_remaining(client: User, *, now: datetime | None = None) -> list[PackageBalance]:
    """Per purchase of `client`, oldest first: sessions, used, remaining and expiry (three queries)."""
    now = now or timezone.now()
    purchases = list(PackagePurchase.objects.filter(client=client).select_related("package__service"))
    tz = clinic_get().tz
    drawn = _allocate(purchases, _drawing_appointments(client, purchases), tz)
    today = timezone.localdate(now, timezone=tz)
    balances = []
    for purchase in purchases:
        appointments = drawn[purchase.pk]
        used = len(appointments)
        ahead = sum(1 for a in appointments if a.status == Appointment.Status.BOOKED and a.start > now)
        balances.append(
            PackageBalance(
                purchase=purchase,
                sessions=purchase.sessions,
                used=used,
                booked_ahead=ahead,
                remaining=purchase.sessions - used,
                expires_on=purchase.expires_on,
                is_expired=purchase.expires_on < today,
                appointment_ids=tuple(a.pk for a in appointments),
            )
        )
    return balances


def package_sessions_left(client: User, *, now: datetime | None = None) -> int:
    """Sessions still to use across the client's purchases that have not expired."""
    return sum(b.remaining for b in package_remaining(client, now=now) if not b.is_expired)


def package_paying_for(appointment: Appointment) -> PackagePurchase | None:
    """The purchase that pays for `appointment`, if any (for the desk and for receipts)."""
    for balance in package_remaining(appointment.client):
        if appointment.pk in balance.appointment_ids:
            return balance.purchase
    return None


def _drawing_appointments(client: User, purchases: list[PackagePurchase]) -> list[Appointment]:
    if not purchases:
        return []
    first_sale = min(p.sold_at for p in purchases)
    return list(
        Appointment.objects.filter(
            client=client,
            service_id__in={p.package.service_id for p in purchases},
            status__in=Appointment.ACTIVE_STATUSES,
            start__gt=first_sale,
        ).order_by("start", "pk")
    )


def _allocate(
    purchases: list[PackagePurchase], appointments: list[Appointment], tz: ZoneInfo
) -> dict[int, list[Appointment]]:
    drawn: dict[int, list[Appointment]] = defaultdict(list)
    oldest_first = sorted(purchases, key=lambda p: (p.sold_at, p.pk))
    for appointment in appointments:
        day = appointment.start.astimezone(tz).date()
        for purchase in oldest_first:
            covers = (
                purchase.package.service_id == appointment.service_id
                and purchase.sold_at < appointment.start
                and day <= purchase.expires_on
                and len(drawn[purchase.pk]) < purchase.sessions
            )
            if covers:
                drawn[purchase.pk].append(appointment)
                break
    return drawn
