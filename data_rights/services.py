"""Erasing a client's account, at their request, the clinic's, or after the retention period.

What goes at once: the client's name, email address (and any change of it waiting to be
confirmed), phone number and password, their sign-in, and what they said in their own words
(the free text of their intakes: where the pain is, history, medications, positioning, areas to
avoid, goals; their plans' goals; the activities they named in questionnaires); their
appointments still to come are cancelled, the messages not yet sent to them withdrawn, a
re-assessment link not yet answered stops working, and their active plan ends. Files that name
the client and cannot be anonymised go too: their referrals' scans (deleted from the private
storage once the erasure commits) and their progress letters' PDFs.

What stays, tied to the anonymised account, for the clinic's retention period
(Clinic.record_retention_years, counted from the client's last appointment, intake, login or
other record, selectors.clients_inactive_since): the health record, which a clinic must be able
to show years later (what it knew and did when it treated someone): the intakes' answers and
outcomes, doctors' clearances and referrals, day-of checks, appointments and series, session
notes with their revisions, treatment plans, progress letters (to whom, when, the summary),
questionnaire scores, and the staff's access records. Then `clients_retention_apply` removes
the free text of those records too; dates, answers, outcomes and scores remain, naming no one.

Financial records stay as the tax rules need them, whatever the retention period: package
purchases as they are (they name no one but the account), and receipts, numbered and otherwise
never changed, with the client's name in what they say replaced by the anonymised account's,
as a receipt issued after the erasure would name them.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import EmailChangeRequest, User
from bookings.models import Appointment
from bookings.selectors import clinic_get
from bookings.services import appointments_cancel_for_erasure
from care.models import TreatmentPlan
from care.services import plans_close_active
from documents.models import Letter, Receipt, Referral
from documents.receipts import CLIENT_LABEL
from documents.storage import private_storage
from intake.models import Clearance, Intake
from notifications.services import messages_withdraw
from outcomes.models import ReassessmentInvite
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
        _plans_close(client=client, now=now)
        # The link in an email already sent would add answers, in their words, to the account.
        ReassessmentInvite.objects.filter(plan__client=client, answered_at__isnull=True).delete()
        _document_files_remove(client_id=client.pk)
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
        _receipts_anonymise(client=client)
        return Erasure.objects.create(client=client, reason=reason, erased_by=by, erased_at=now)


def clients_retention_apply(*, now: datetime | None = None) -> RetentionResult:
    """Apply the clinic's retention period: run daily, any number of times.

    Clients with no login, booking or record of any kind (selectors.clients_inactive_since) for
    `record_retention_years` are anonymised; for erased clients whose period has ended, the free
    text of their health records is removed. Nothing clinical is touched before the period ends.
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
        TreatmentPlan.objects.filter(client_id=client_id).update(goals=[], summary="")
        Referral.objects.filter(client_id=client_id).update(doctor_name="", practice="", notes="")
        Letter.objects.filter(client_id=client_id).update(addressed_to="", summary="")
        # Gone at erasure already; again for accounts erased before the erasure removed them.
        _document_files_remove(client_id=client_id)
        erasure.health_text_removed_at = now
        erasure.save(update_fields=["health_text_removed_at"])


def _plans_close(*, client: User, now: datetime) -> None:
    """End the active plan as care.services.plan_end would (completed if all its sessions were
    done): with their sessions cancelled it would stay on the therapist's follow-up list."""
    plans_close_active(client=client, now=now)
    TreatmentPlan.objects.filter(client=client).update(goals=[])  # in the client's own words


def _document_files_remove(*, client_id: int) -> None:
    """Referral scans and letters' PDFs carry the client's name, address, date of birth: they
    cannot be kept without naming them. What the rows record stays (the module's docstring)."""
    referrals = Referral.objects.filter(client_id=client_id).exclude(scan="")
    scans = list(referrals.values_list("scan", flat=True))
    referrals.update(scan="", scan_content_type="")
    Letter.objects.filter(client_id=client_id).exclude(pdf=b"").update(pdf=b"")
    # Only once the rows no longer name them: a rolled-back erasure keeps its scans.
    for name in scans:
        transaction.on_commit(partial(private_storage().delete, name), robust=True)


def _receipts_anonymise(*, client: User) -> None:
    """Name the anonymised account (str(client), as the admin's history does) where the
    receipts named the client. Nothing else a receipt says changes: it is a tax record."""
    receipts = list(Receipt.objects.filter(client=client))
    for receipt in receipts:
        rows = receipt.content.get("rows", [])
        receipt.content = {
            **receipt.content,
            "rows": [[label, str(client) if label == CLIENT_LABEL else value] for label, value in rows],
        }
    Receipt.objects.bulk_update(receipts, ["content"])


def _is_staff_account(user: User) -> bool:
    return user.is_staff or user.is_superuser or hasattr(user, "therapist") or user.groups.exists()


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February, into a year that has none
        return moment.replace(year=moment.year - years, day=28)
