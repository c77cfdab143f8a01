"""How the export writes values: times in the clinic's zone, who did something, files inline.

Files (a referral's scan, a progress letter's PDF) go into the JSON itself, base64-encoded, so
the download is a complete copy the client keeps, not links that stop working with their
account. A scan is at most REFERRAL_SCAN_MAX_BYTES (5 MB), 4/3 of that in base64; letters are
a few kilobytes.
"""

import base64
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import User


def local_time(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).isoformat() if moment else None


def iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def who(user_id: int | None, client: User) -> str:
    """The client is "you"; any member of staff who recorded something is "the clinic"."""
    return "you" if user_id == client.pk else "the clinic"


def money(amount: Any) -> str:
    return f"{amount:.2f}"


def attached_file(body: bytes, *, file_name: str, content_type: str) -> dict[str, Any]:
    return {
        "file_name": file_name,
        "content_type": content_type,
        "size_bytes": len(body),
        "base64": base64.b64encode(body).decode("ascii"),
    }
