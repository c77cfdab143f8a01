"""Admin for the documents: to look up, never to change.

Referrals and letters are clinical: clinic admins only, and each page opened is on record
(privacy.records.ClinicalReadAdmin). Receipts are read-only for everyone: a receipt is never
edited once issued; a correction is issued from the documents pages and voids the old one. The
scan and the letter's PDF are downloaded from the documents pages, where the privacy rules and
the access records apply; the admin shows neither.
"""

from django.contrib import admin

from privacy.models import AccessRecord
from privacy.records import ClinicalReadAdmin, ReadOnlyForClinicAdmins

from .models import Letter, Receipt, Referral


@admin.register(Referral)
class ReferralAdmin(ClinicalReadAdmin):
    client_path = "client"
    what = [AccessRecord.What.REFERRAL]

    list_display = ("written_on", "client", "doctor_name", "practice", "sessions", "recorded_at")
    search_fields = ("client__email", "client__first_name", "client__last_name", "doctor_name")
    date_hierarchy = "written_on"
    list_select_related = ("client",)
    fields = (
        "client",
        "doctor_name",
        "practice",
        "written_on",
        "sessions",
        "period_weeks",
        "valid_until",
        "notes",
        "scan_content_type",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(ClinicalReadAdmin):
    client_path = "client"
    what = [AccessRecord.What.LETTER]

    list_display = ("issued_at", "client", "addressed_to", "written_by")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    date_hierarchy = "issued_at"
    list_select_related = ("client", "written_by")
    fields = ("client", "plan", "addressed_to", "summary", "written_by", "issued_at")
    readonly_fields = fields


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyForClinicAdmins):
    list_display = ("display_number", "issued_at", "client", "amount", "payment_method", "void_of")
    list_filter = ("payment_method",)
    search_fields = ("number", "client__email", "client__first_name", "client__last_name")
    date_hierarchy = "issued_at"
    list_select_related = ("client", "void_of")
    fields = (
        "number",
        "client",
        "appointment",
        "package_purchase",
        "referral",
        "amount",
        "payment_method",
        "content",
        "void_of",
        "correction_reason",
        "issued_by",
        "issued_at",
    )
    readonly_fields = fields

    @admin.display(ordering="number", description="number")
    def display_number(self, receipt: Receipt) -> str:
        return receipt.display_number
