from django.contrib import admin, messages

from campaigns.delivery import cancel_queued, retry_failed
from campaigns.models import Campaign, CustomTarget, Event, Letter, Submission, Supporter


class CustomTargetInline(admin.TabularInline):
    model = CustomTarget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "organization", "owner", "created_at", "published_at"]
    list_filter = ["status", "targets"]
    search_fields = ["title", "slug", "organization"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["target_members"]
    readonly_fields = ["uuid", "created_at", "updated_at", "published_at", "closed_at"]
    inlines = [CustomTargetInline]
    actions = ["cancel_unsent_letters"]

    @admin.action(description="Cancel the letters these campaigns have not sent yet")
    def cancel_unsent_letters(self, request, queryset):
        cancelled = sum(cancel_queued(campaign) for campaign in queryset)
        self.message_user(request, f"Cancelled {cancelled} letters.", messages.SUCCESS)


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "city", "state", "campaign", "created_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["email", "last_name"]
    list_select_related = ["campaign"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["uuid", "campaign", "supporter", "edited", "source", "created_at"]
    list_filter = ["campaign", "edited", "lookup_source"]
    list_select_related = ["campaign", "supporter"]
    raw_id_fields = ["supporter"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "salutation",
        "campaign",
        "status",
        "channel",
        "attempts",
        "failure_reason",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "channel", "campaign"]
    search_fields = ["uuid", "provider_id", "salutation", "supporter__email"]
    list_select_related = ["campaign"]
    raw_id_fields = ["submission", "supporter", "legislator", "custom_target"]
    readonly_fields = ["uuid", "created_at", "claimed_at", "delivered_at", "failed_at"]
    actions = ["retry"]

    @admin.action(description="Send the selected failed letters again")
    def retry(self, request, queryset):
        retried = retry_failed(queryset)
        self.message_user(request, f"Queued {retried} failed letters again.", messages.SUCCESS)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "source", "created_at"]
    list_filter = ["kind", "campaign"]
