from django.contrib import admin

from webhooks.models import Attempt, Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "owner", "active", "failures_in_a_row", "disabled_at", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__username")
    exclude = ("secret",)
    readonly_fields = ("owner", "failures_in_a_row", "disabled_at", "disabled_reason", "created_at")


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "milliseconds")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every event sent to a webhook, with each attempt's answer."""

    list_display = ("event", "event_id", "webhook", "status", "attempts", "created_at")
    list_filter = ("status", "event")
    search_fields = ("event_id", "webhook__url")
    readonly_fields = (
        "webhook", "event_id", "event", "payload", "status", "attempts", "claimed_at",
        "next_attempt_at", "delivered_at", "created_at",
    )  # fmt: skip
    inlines = (AttemptInline,)

    def has_add_permission(self, request):
        return False
