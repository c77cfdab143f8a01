"""Intakes and clearances in the admin: to look up, never to edit.

An intake is a record of what the client answered; a change is a new intake. A block is lifted
only on the clinic's clearance page (a doctor's clearance, or an answer given in error), through
bookings.screening.block_lift, like every other path. Reading them here is on record
(privacy.records.ClinicalReadAdmin).
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from privacy.models import AccessRecord
from privacy.records import ClinicalReadAdmin, ClinicalReadInline

from .models import Clearance, Intake
from .services import DETAIL_FIELDS
from .triage import Outcome


class ClearanceInline(ClinicalReadInline):
    model = Clearance
    fields = ("kind", "doctor_name", "practice", "cleared_on", "note", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Intake)
class IntakeAdmin(ClinicalReadAdmin):
    client_path = "client"
    what = [AccessRecord.What.INTAKE]

    list_display = ("id", "client", "created_at", "outcome", "reason_codes", "is_recheck", "is_cleared")
    list_filter = ("outcome", ("rechecked_from", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("client",)
    inlines = [ClearanceInline]
    fieldsets = (
        (None, {"fields": ("client", "created_at", "submitted_by", "rechecked_from", "clearance_page")}),
        ("Outcome", {"fields": ("outcome", "reasons")}),
        ("Answers", {"fields": ("answers",)}),
        (
            "About the client",
            {"fields": (*DETAIL_FIELDS, "consent_given_at")},
        ),
    )
    readonly_fields = ("clearance_page",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Intake]:
        cleared = Clearance.objects.filter(intake=OuterRef("pk"))
        return super().get_queryset(request).annotate(has_clearance=Exists(cleared))

    @admin.display(description="reasons")
    def reason_codes(self, intake: Intake) -> str:
        return ", ".join(reason["code"] for reason in intake.reasons)

    @admin.display(description="re-check", boolean=True)
    def is_recheck(self, intake: Intake) -> bool:
        return intake.rechecked_from_id is not None

    @admin.display(description="lifted", boolean=True)
    def is_cleared(self, intake: Intake) -> bool | None:
        if intake.outcome not in (Outcome.SEE_DOCTOR, Outcome.EMERGENCY):
            return None
        return intake.has_clearance  # type: ignore[attr-defined]

    @admin.display(description="lifting the block")
    def clearance_page(self, intake: Intake) -> str:
        if intake.outcome not in (Outcome.SEE_DOCTOR, Outcome.EMERGENCY):
            return "-"
        return format_html(
            '<a href="{}">Record or view clearances</a>', reverse("intake_clearance", args=[intake.pk])
        )


@admin.register(Clearance)
class ClearanceAdmin(ClinicalReadAdmin):
    client_path = "intake__client"
    what = [AccessRecord.What.INTAKE]

    list_display = (
        "intake",
        "client",
        "kind",
        "doctor_name",
        "practice",
        "cleared_on",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("kind", "cleared_on", "recorded_at")
    search_fields = ("doctor_name", "intake__client__email", "intake__client__last_name")
    date_hierarchy = "cleared_on"
    list_select_related = ("intake__client", "recorded_by")

    @admin.display(description="client", ordering="intake__client__last_name")
    def client(self, clearance: Clearance) -> str:
        return str(clearance.intake.client)
