"""Admin for the workspace's records: read-only, and for clinic admins only.

Session notes are written on the appointment page (workspace.services keeps their history);
here admins read them with every revision. Reading them here is on record, as anywhere else
(privacy.records.ClinicalReadAdmin).
"""

from django.contrib import admin

from privacy.models import AccessRecord
from privacy.records import ClinicalReadAdmin, ClinicalReadInline

from .models import SessionNote, SessionNoteRevision


class SessionNoteRevisionInline(ClinicalReadInline):
    model = SessionNoteRevision
    fields = ("number", "saved_at", "saved_by", "content")
    readonly_fields = fields


@admin.register(SessionNote)
class SessionNoteAdmin(ClinicalReadAdmin):
    client_path = "appointment__client"
    appointment_path = "appointment"
    what = [AccessRecord.What.SESSION_NOTES]

    list_display = ("session_start", "client", "therapist", "pain_before", "pain_after", "updated_at")
    list_filter = ("appointment__therapist", "appointment__service", "pressure")
    search_fields = (
        "appointment__client__email",
        "appointment__client__first_name",
        "appointment__client__last_name",
    )
    date_hierarchy = "appointment__start"
    list_select_related = ("appointment__client", "appointment__therapist__user")
    readonly_fields = [field.name for field in SessionNote._meta.fields]
    inlines = [SessionNoteRevisionInline]

    @admin.display(ordering="appointment__start", description="session")
    def session_start(self, note: SessionNote) -> object:
        return note.appointment.start

    @admin.display(ordering="appointment__client__last_name")
    def client(self, note: SessionNote) -> object:
        return note.appointment.client

    @admin.display(ordering="appointment__therapist")
    def therapist(self, note: SessionNote) -> object:
        return note.appointment.therapist
