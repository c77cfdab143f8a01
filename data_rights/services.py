"""Erasing a client's account, at their request, the clinic's, or after the retention period.

What goes at once: the client's name, email address (and any change of it waiting to be
confirmed), phone number and password, their sign-in, and the free text of their intakes
(where the pain is, history, medications, positioning, areas to avoid, goals); their
appointments still to come are cancelled and the messages not yet sent to them withdrawn.

What stays, tied to the anonymised account, for the clinic's retention period
(Clinic.record_retention_years, counted from the client's last appointment, intake or login):
the health record, which a clinic must be able to show years later (what it knew and did when
it treated someone): the intakes' answers and outcomes, doctors' clearances, day-of checks,
appointments, session notes with their revisions, and the staff's access records. Then
`clients_retention_apply` removes the free text of those records too; dates, answers, outcomes
and pain scores remain, naming no one.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import EmailChangeRequest, User
from bookings.models import Appointment
from bookings.selectors import clinic_get
from bookings.services import appointments_cancel_for_erasure
from intake.models import Clearance, Intake
from notifications.services import messages_withdraw
from outcomes.services import outcome_names_remove
from workspace.models import SessionNote, SessionNoteRevision
from workspace.services import NOTE_TEXT_FIELDS

from .models import Erasure
from .selectors import clients_inactive_since

# What the client wrote in their intake, beside the answers the clinical rules read.
INTAKE_FREE_TEXT = (
    "pain_location",
    "health_history",
    "medications",
    "positioning",
    "areas_to_avoid",
    "goals",
)


class ErasureRefused(Exception):
    """This account cannot be erased here (a staff account)."""


@dataclass(frozen=True)
class RetentionResult:
    anonymised: int  # clients inactive for the retention period, erased now
    health_text_removed: int  # erased clients whose records' free text was removed now


def client_erase(
    *, client: User, reason: str, by: User | None = None, now: datetime | None = None
) -> Erasure:
    """Anonymise `client`'s account and keep their health record (see the module's docstring).

    `reason` is an Erasure.Reason; `by` the admin who did it. Erasing twice returns the first
    Erasure. Staff accounts raise ErasureRefused: an admin closes them (is_active) instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The bookings take the client's row lock first too: no booking slips in after the cancellations.
        client = User.objects.select_for_update().get(pk=client.pk)
        done = Erasure.objects.filter(client=client).first()
        if done is not None:
            return done
        if _is_staff_account(client):
            raise ErasureRefused("This is a staff account. Close it by unticking “active” instead.")
        appointments_cancel_for_erasure(client=client, now=now)
        messages_withdraw(recipient=client, reason="Withdrawn: the client's account was erased.")
        Intake.objects.filter(client=client).update(**dict.fromkeys(INTAKE_FREE_TEXT, ""))
        outcome_names_remove(client=client)  # the activities they named, in their own words
        # A link still waiting in their inbox would put an address back on the account.
        EmailChangeRequest.objects.filter(user=client).delete()
        client.email = f"erased-{client.pk}@invalid"  # RFC 2606: never delivered, and still unique
        client.first_name = client.last_name = client.phone = ""
        client.set_unusable_password()  # also ends every session: their auth hash no longer matches
        client.is_active = False
        client.save()
        # The admin's history names each changed object as it was then.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(client.pk)
        ).update(object_repr=str(client))
        return Erasure.objects.create(client=client, reason=reason, erased_by=by, erased_at=now)


def clients_retention_apply(*, now: datetime | None = None) -> RetentionResult:
    """Apply the clinic's retention period: run daily, any number of times.

    Clients with no login, booking, appointment or intake for `record_retention_years` are
    anonymised; for erased clients whose period has ended, the free text of their health
    records is removed. Nothing clinical is touched before the period ends.
    """
    now = now or timezone.now()
    cutoff = _years_before(now, clinic_get().record_retention_years)
    inactive = clients_inactive_since(cutoff)
    anonymised = 0
    for client in inactive.exclude(pk__in=Erasure.objects.values("client_id")):
        client_erase(client=client, reason=Erasure.Reason.RETENTION, now=now)
        anonymised += 1
    ended = Erasure.objects.filter(health_text_removed_at__isnull=True, client__in=inactive)
    health_text_removed = 0
    for erasure in ended:
        _health_text_remove(client_id=erasure.client_id, erasure=erasure, now=now)
        health_text_removed += 1
    return RetentionResult(anonymised=anonymised, health_text_removed=health_text_removed)


def _health_text_remove(*, client_id: int, erasure: Erasure, now: datetime) -> None:
    """Blank what staff and the client wrote in words; keep dates, answers, outcomes and scores."""
    with transaction.atomic():
        Intake.objects.filter(client_id=client_id).update(**dict.fromkeys(INTAKE_FREE_TEXT, ""))
        Clearance.objects.filter(intake__client_id=client_id).update(doctor_name="", practice="", note="")
        Appointment.objects.filter(client_id=client_id).update(caution_override="")
        SessionNote.objects.filter(appointment__client_id=client_id).update(
            **dict.fromkeys(NOTE_TEXT_FIELDS, "")
        )
        revisions = list(SessionNoteRevision.objects.filter(note__appointment__client_id=client_id))
        for revision in revisions:
            revision.content = {**revision.content, **dict.fromkeys(NOTE_TEXT_FIELDS, "")}
        SessionNoteRevision.objects.bulk_update(revisions, ["content"])
        erasure.health_text_removed_at = now
        erasure.save(update_fields=["health_text_removed_at"])


def _is_staff_account(user: User) -> bool:
    return user.is_staff or user.is_superuser or hasattr(user, "therapist") or user.groups.exists()


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, into a year that has none
        return moment.replace(year=moment.year - years, day=28)
