"""Everything the clinic holds about a client, as one JSON document (UK GDPR article 15, access).

It includes the clinical record the clinic wrote about the client (session notes with every
revision, day-of checks, clearances, outcome questionnaires, treatment plans, referrals and
progress letters), because the right of access covers it, and what they paid (packages,
receipts). Files (referral scans, letters' PDFs) are inside the JSON, base64-encoded
(export_format). It names no member of staff other than the client's therapists (whom the
client met): who recorded something is "you" or "the clinic". Emails are listed by kind, date
and status: the clinic keeps no copy of their text, which is rendered when they are sent.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import EmailChangeRequest, User
from bookings.models import Appointment, Clinic, PreVisitCheck
from bookings.selectors import clinic_get
from intake.models import Clearance, Intake
from intake.selectors import intake_advice, intake_standing, standing_advice
from notifications.models import Message
from notifications.selectors import tips_opted_out
from outcomes.models import OutcomeResponse
from workspace.models import SessionNote

from .export_care import care_sections
from .export_documents import document_sections
from .export_format import iso_day, local_time, who

FORMAT_VERSION = 1


def client_data_export(client: User, *, now: datetime | None = None) -> dict[str, Any]:
    """The client's account, intakes, appointments with their session notes and day-of checks,
    outcome questionnaires, course of care, documents, and the messages sent to them: plain JSON
    types, times in the clinic's zone. Nothing of another client's: every query is by `client`."""
    now = now or timezone.now()
    clinic = clinic_get()
    tz = clinic.tz
    return {
        "format_version": FORMAT_VERSION,
        "clinic": clinic.name,
        "exported_at": local_time(now, tz),
        "account": {
            "email": client.email,
            "first_name": client.first_name,
            "last_name": client.last_name,
            "phone": client.phone,
            "joined_at": local_time(client.date_joined, tz),
            "last_login_at": local_time(client.last_login, tz),
            "self_care_tips": "unsubscribed" if tips_opted_out(client) else "subscribed",
            "email_change_waiting_for_confirmation": [
                change.new_email for change in EmailChangeRequest.objects.filter(user=client)
            ],
        },
        "intake_in_force": _standing(client, clinic=clinic, now=now),
        "intakes": [_intake(intake, client=client, clinic=clinic) for intake in _intakes(client)],
        "appointments": [
            _appointment(appointment, client=client, tz=tz) for appointment in _appointments(client)
        ],
        "outcome_questionnaires": [
            {
                "questionnaire": response.measure,
                "answered_at": local_time(response.taken_at, tz),
                "occasion": response.get_occasion_display(),
                "answers": response.answers,
                "score": None if response.score is None else format(response.score.normalize(), "f"),
            }
            for response in OutcomeResponse.objects.filter(client=client).order_by("taken_at", "pk")
        ],
        **care_sections(client, tz=tz, now=now),
        **document_sections(client, tz=tz),
        "messages": [
            {
                "kind": message.get_kind_display(),
                "due_at": local_time(message.due_at, tz),
                "status": message.status,
                "sent_at": local_time(message.sent_at, tz),
            }
            for message in Message.objects.filter(recipient=client).order_by("due_at", "pk")
        ],
    }


def _standing(client: User, *, clinic: Clinic, now: datetime) -> dict[str, Any]:
    standing = intake_standing(client, valid_days=clinic.intake_valid_days, now=now)
    return {
        "outcome": standing.outcome.value if standing.outcome else None,
        "can_book": standing.can_book,
        "current_until": local_time(standing.current_until, clinic.tz),
        "advice": standing_advice(
            standing, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
    }


def _intakes(client: User) -> list[Intake]:
    return list(
        Intake.objects.filter(client=client)
        .select_related("submitted_by")
        .prefetch_related("clearances")
        .order_by("created_at", "pk")
    )


def _intake(intake: Intake, *, client: User, clinic: Clinic) -> dict[str, Any]:
    tz = clinic.tz
    return {
        "submitted_at": local_time(intake.created_at, tz),
        "submitted_by": who(intake.submitted_by_id, client),
        "from_a_recheck": intake.rechecked_from_id is not None,
        "consent_given_at": local_time(intake.consent_given_at, tz),
        "answers": intake.answers,
        "outcome": intake.outcome,
        "advice": intake_advice(
            intake, emergency_number=clinic.emergency_number, urgent_care_line=clinic.urgent_care_line
        ),
        "pain_location": intake.pain_location,
        "worse_with": intake.worse_with,
        "health_history": intake.health_history,
        "medications": intake.medications,
        "pressure_preference": intake.pressure_preference,
        "positioning": intake.positioning,
        "areas_to_avoid": intake.areas_to_avoid,
        "goals": intake.goals,
        "clearances": [_clearance(clearance, tz=tz) for clearance in intake.clearances.all()],
    }


def _clearance(clearance: Clearance, *, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "kind": clearance.get_kind_display(),
        "doctor": clearance.doctor_name,
        "practice": clearance.practice,
        "seen_on": iso_day(clearance.cleared_on),
        "note": clearance.note,
        "questions_asked_again": clearance.reasked_answers,
        "recorded_at": local_time(clearance.recorded_at, tz),
    }


def _appointments(client: User) -> list[Appointment]:
    return list(
        Appointment.objects.filter(client=client)
        .select_related("service", "therapist__user", "session_note")
        .prefetch_related("session_note__revisions", "pre_visit_checks")
        .order_by("start", "pk")
    )


def _appointment(appointment: Appointment, *, client: User, tz: ZoneInfo) -> dict[str, Any]:
    note = getattr(appointment, "session_note", None)
    return {
        "service": appointment.service.name,
        "therapist": appointment.therapist.name,
        "start": local_time(appointment.start, tz),
        "end": local_time(appointment.end, tz),
        "status": appointment.get_status_display(),
        "booked_at": local_time(appointment.created_at, tz),
        "cancelled_at": local_time(appointment.cancelled_at, tz),
        "cancellation_reason": appointment.get_cancellation_reason_display(),
        "caution_override": appointment.caution_override,
        "pre_visit_checks": [
            _pre_visit_check(check, client=client, tz=tz) for check in appointment.pre_visit_checks.all()
        ],
        "session_note": _session_note(note, tz=tz) if note else None,
    }


def _pre_visit_check(check: PreVisitCheck, *, client: User, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "answered_at": local_time(check.answered_at, tz),
        # No one signed in: the client answered from the reminder's link.
        "answered_by": "you" if check.answered_by_id is None else who(check.answered_by_id, client),
        "answers": check.answers,
        "weakness_worse": check.weakness_worse,
        "stopped_the_session": check.stops_session,
    }


def _session_note(note: SessionNote, *, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "pain_before": note.pain_before,
        "pain_after": note.pain_after,
        "what_you_reported": note.client_reports,
        "findings": note.findings,
        "techniques": note.technique_labels(),
        "pressure": note.pressure,
        "positioning": note.positioning,
        "areas_treated": note.areas_treated,
        "plan": note.plan,
        "home_care": note.home_care,
        "written_at": local_time(note.created_at, tz),
        "updated_at": local_time(note.updated_at, tz),
        # Every version as saved, oldest first: the note's history is part of the record.
        "revisions": [
            {
                "number": revision.number,
                "saved_at": local_time(revision.saved_at, tz),
                "content": revision.content,
            }
            for revision in sorted(note.revisions.all(), key=lambda revision: revision.number)
        ],
    }
