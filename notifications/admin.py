from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import Message, MessagingSettings, Tip, TipsOptOut
from .services import messages_send_again


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "appointment", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "dedupe_key"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient", "appointment__service", "appointment__therapist__user"]
    actions = ["send_again"]
    readonly_fields = [field.name for field in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows are written by the booking services, in their transactions

    @admin.action(description="Send again (failed messages only)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = messages_send_again(
            message_ids=list(queryset.values_list("pk", flat=True)), now=timezone.now()
        )
        skipped = queryset.count() - count
        self.message_user(request, f"{count} message(s) queued to send again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) were not failed, so left as they were.")


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    list_display = ["day", "title", "is_active"]
    list_editable = ["is_active"]


@admin.register(TipsOptOut)
class TipsOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MessagingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
