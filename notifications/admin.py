from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from .models import Message, MessagingSettings, Tip, TipsOptOut
from .services import messages_send_again
from .tips import STOP_SIGNS


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
    list_display = ["day", "title", "is_active", "cites"]
    list_editable = ["is_active"]
    fieldsets = [
        (None, {"fields": ["day", "title", "is_active"]}),
        (
            "Advice, one text per variant",
            {
                "description": "Each client gets one variant, chosen when the tip is sent from the "
                "outcome of their intake: after surgery (an operation 12 weeks ago or less), then "
                "pregnancy, then gentle (blood thinners or osteoporosis), then standard. No tip goes "
                "to a client without a current intake or with a red flag in force.",
                "fields": ["standard_text", "gentle_text", "pregnancy_text", "after_surgery_text"],
            },
        ),
        (
            "When to stop",
            {
                "description": "Every email adds, whatever is written here: " + escape(STOP_SIGNS) + " "
                "Then the A&E safety net, with the clinic's emergency number; after surgery, the "
                "signs of a blood clot too.",
                "fields": ["stop_rule"],
            },
        ),
        (
            "Sources",
            {
                "description": "Cite the article or the red-flag spec for each piece of advice; mark "
                "general knowledge for the clinical lead to confirm.",
                "fields": ["sources"],
            },
        ),
    ]

    @admin.display(description="sources")
    def cites(self, tip: Tip) -> str:
        return Truncator(tip.sources).chars(80)


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
