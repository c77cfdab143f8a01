from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin import UserAdmin
from accounts.models import User
from accounts.roles import is_clinic_admin
from bookings.selectors import clinic_get

from .models import Erasure
from .services import ErasureRefused, client_erase

# The erase action joins the accounts' user admin here, not in accounts/admin.py: it needs every
# app's records, and accounts sits below them all.
admin.site.unregister(User)


@admin.register(User)
class UserWithErasureAdmin(UserAdmin):
    actions = ["erase_clients"]

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return is_clinic_admin(request.user)

    @admin.action(description="Erase (anonymise) selected clients", permissions=["erase"])
    def erase_clients(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        erased, refused = 0, []
        for user in queryset:
            try:
                client_erase(client=user, reason=Erasure.Reason.CLINIC, by=request.user)  # type: ignore[arg-type]
            except ErasureRefused:
                refused.append(user.email)
            else:
                erased += 1
        if erased:
            years = clinic_get().record_retention_years
            self.message_user(
                request,
                f"{erased} client(s) erased: their appointments still to come are cancelled; their health "
                f"records are kept without their name for {years} years after their last visit.",
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                f"Not erased, staff accounts: {', '.join(refused)}. Untick “active” to close one.",
                messages.WARNING,
            )


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ("client", "reason", "erased_by", "erased_at", "health_text_removed_at")
    list_filter = ("reason",)
    readonly_fields = ("client", "reason", "erased_by", "erased_at", "health_text_removed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Erasure | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Erasure | None = None) -> bool:
        return False
