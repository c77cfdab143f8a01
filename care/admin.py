"""Admin for care: admins create the packages the clinic sells; sales are read here, made at the desk.

Treatment plans (clinical) and series are read and changed on the staff's pages only, where
privacy.access decides who sees them and reads are kept on record.
"""

from django.contrib import admin
from django.http import HttpRequest

from privacy.records import ReadOnlyForClinicAdmins

from .models import Package, PackagePurchase


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "sessions", "price", "valid_days", "is_active")
    list_filter = ("is_active", "service")
    list_editable = ("is_active",)
    search_fields = ("name",)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A package once sold stays on record with its sales: retire it with "is active" instead.
        return False


@admin.register(PackagePurchase)
class PackagePurchaseAdmin(ReadOnlyForClinicAdmins):
    """Packages sold (at the desk: care.services.package_sell), read-only."""

    list_display = ("sold_at", "client", "package", "sessions", "amount_paid", "payment_method", "expires_on")
    list_filter = ("package", "payment_method")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    date_hierarchy = "sold_at"
    list_select_related = ("client", "package")
    readonly_fields = [field.name for field in PackagePurchase._meta.fields]
