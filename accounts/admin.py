from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "phone", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name", "phone")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "phone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Privacy", {"fields": ("access_records",)}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("access_records",)

    @admin.display(description="access records")
    def access_records(self, user: User) -> str:
        """Who opened this client's health information: the access records, filtered to them."""
        # By URL name: the privacy app sits above accounts, so accounts does not import it.
        records = reverse("admin:privacy_accessrecord_changelist")
        return format_html(
            '<a href="{}?client__id__exact={}">Access records for this client</a>', records, user.pk
        )
