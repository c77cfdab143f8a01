"""The access records in the admin: who opened which client's health information, and when.

To read one client's records, open them from the client's page in the admin ("Access records
for this client"), which filters this list with ?client__id__exact=.
"""

from django.contrib import admin

from .models import AccessRecord
from .records import ReadOnlyForClinicAdmins


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyForClinicAdmins):
    list_display = ("at", "viewer", "what", "client", "appointment", "path")
    list_filter = (
        "what",
        "at",
        ("viewer", admin.RelatedOnlyFieldListFilter),
        ("client", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "viewer__email",
        "viewer__last_name",
        "client__email",
        "client__first_name",
        "client__last_name",
        "path",
    )
    date_hierarchy = "at"
    list_select_related = ("viewer", "client", "appointment__service", "appointment__therapist__user")
    readonly_fields = [field.name for field in AccessRecord._meta.fields]
