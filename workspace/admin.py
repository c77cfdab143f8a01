"""Admin for the workspace's records: read-only, and for clinic admins only.

Session notes are written on the appointment page (workspace.services keeps their history);
here admins read them with every revision. Opening a note here is recorded like anywhere else.
"""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.roles import is_clinic_admin

from .models import AccessRecord, SessionNote, SessionNoteRevision
from .services import access_record


class ReadOnlyForClinicAdmins(admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_clinic_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_clinic_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class SessionNoteRevisionInline(admin.TabularInline):
    model = SessionNoteRevision
    fields = ("number", "saved_at", "saved_by", "content")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_clinic_admin(request.user)


@admin.register(SessionNote)
class SessionNoteAdmin(ReadOnlyForClinicAdmins):
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

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        note = self.get_object(request, object_id)
        if note is not None and self.has_view_permission(request, note):
            access_record(
                viewer=request.user,  # type: ignore[arg-type]
                client=note.appointment.client,
                what=[AccessRecord.What.SESSION_NOTES],
                appointment=note.appointment,
                path=request.get_full_path(),
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyForClinicAdmins):
    list_display = ("at", "viewer", "what", "client", "appointment", "path")
    list_filter = ("what", "at")
    search_fields = ("viewer__email", "viewer__last_name", "client__email", "client__last_name", "path")
    date_hierarchy = "at"
    list_select_related = ("viewer", "client", "appointment")
    readonly_fields = [field.name for field in AccessRecord._meta.fields]
