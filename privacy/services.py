"""Writes of the privacy app: the access records."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from accounts.models import User

from .models import AccessRecord


@dataclass(frozen=True)
class ClinicalRead:
    """What a page showed of one client: `what` are AccessRecord.What values."""

    client_id: int
    what: tuple[str, ...]
    appointment_id: int | None = None


def access_records_write(
    *, viewer: User, reads: Iterable[ClinicalRead], path: str = "", now: datetime | None = None
) -> list[AccessRecord]:
    """Keep a record that `viewer` opened each read's `what` of its client, on page `path`."""
    at = now or timezone.now()
    return AccessRecord.objects.bulk_create(
        AccessRecord(
            viewer=viewer,
            client_id=read.client_id,
            what=kind,
            appointment_id=read.appointment_id,
            path=path[:300],
            at=at,
        )
        for read in reads
        for kind in read.what
    )
