from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from privacy.models import AccessRecord
from privacy.records import ClinicalReadAdmin

from .errors import BookingError
from .models import Appointment, Clinic, Closure, PreVisitCheck, Service, Therapist, TimeOff, WorkingHours
from .services import appointment_cancel


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "phone", "slot_step_minutes", "cancellation_window_hours")
    fieldsets = (
        (None, {"fields": ("name", "address", "phone", "email", "time_zone")}),
        (
            "Booking rules",
            {
                "fields": (
                    "slot_step_minutes",
                    "min_notice_minutes",
                    "booking_horizon_days",
                    "cancellation_window_hours",
                )
            },
        ),
        ("Intake", {"fields": ("intake_valid_days", "emergency_number", "urgent_care_line")}),
        ("Records", {"fields": ("record_retention_years",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Clinic.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Clinic | None = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "duration_minutes",
        "buffer_after_minutes",
        "price",
        "pressure",
        "is_active",
        "display_order",
    )
    list_filter = ("is_active", "pressure")
    # Pressure decides who may book online: firm and deep are ruled out by cautions C1 and C3.
    list_editable = ("pressure", "is_active", "display_order")
    search_fields = ("name", "description")


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "pregnancy_trained", "is_active", "display_order")
    list_filter = ("is_active", "pregnancy_trained", "services")
    search_fields = ("user__first_name", "user__last_name", "user__email")
    filter_horizontal = ("services",)
    autocomplete_fields = ("user",)
    inlines = [WorkingHoursInline]

    @admin.display(ordering="user__email")
    def email(self, therapist: Therapist) -> str:
        return therapist.user.email


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("therapist", "start", "end", "reason")
    list_filter = ("therapist",)
    date_hierarchy = "start"


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("date", "reason")
    date_hierarchy = "date"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read and cancel here; booking and moving go through the front desk pages, which apply
    the booking rules and the intake gate."""

    list_display = ("start", "client", "therapist", "service", "status", "booked_by")
    list_filter = ("status", "therapist", "service")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    date_hierarchy = "start"
    list_select_related = ("client", "therapist__user", "service", "booked_by")
    readonly_fields = [field.name for field in Appointment._meta.fields]
    actions = ["cancel_appointments"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False

    @admin.action(description="Cancel the selected appointments")
    def cancel_appointments(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        cancelled = 0
        for appointment in queryset:
            try:
                appointment_cancel(appointment=appointment, by=request.user)  # type: ignore[arg-type]
                cancelled += 1
            except BookingError as error:
                self.message_user(request, f"{appointment}: {error.message}", messages.WARNING)
        self.message_user(request, f"Cancelled {cancelled} appointment(s).")


@admin.register(PreVisitCheck)
class PreVisitCheckAdmin(ClinicalReadAdmin):
    """The day-of checks, to look up: each is a record of what the client answered on the day."""

    client_path = "appointment__client"
    appointment_path = "appointment"
    what = [AccessRecord.What.PRE_VISIT_CHECK]

    list_display = ("answered_at", "appointment", "answered_by", "stops_session")
    list_filter = ("stops_session", "answered_at")
    date_hierarchy = "answered_at"
    list_select_related = ("appointment__therapist__user", "appointment__service", "answered_by")
    readonly_fields = [field.name for field in PreVisitCheck._meta.fields]
