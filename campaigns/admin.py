import json
from collections import Counter

from django.conf import settings
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse

from campaigns import privacy, targets
from campaigns.delivery.queue import cancel_queued, retry_failed
from campaigns.models import (
    Campaign,
    CustomTarget,
    DeliveryAttempt,
    Event,
    Letter,
    Posting,
    Submission,
    Supporter,
)

# The site's name in the admin too, not "Django administration".
admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} admin"


class CustomTargetInline(admin.TabularInline):
    model = CustomTarget
    extra = 0
    readonly_fields = ["verified_at", "verified_by"]


@admin.register(CustomTarget)
class CustomTargetAdmin(admin.ModelAdmin):
    """Staff approve an address here when its owner cannot follow the link."""

    list_display = ["name", "email", "campaign", "verified_at", "verified_by"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "campaign__title"]
    readonly_fields = ["verified_at", "verified_by"]
    actions = ["approve"]

    @admin.action(description="Approve these addresses to receive letters")
    def approve(self, request, queryset):
        waiting = list(queryset.unverified())
        for target in waiting:
            targets.verify(target, by=request.user)
        self.message_user(request, f"Approved {len(waiting)} addresses.", messages.SUCCESS)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "organization", "owner", "created_at", "published_at"]
    list_filter = ["status", "targets"]
    search_fields = ["title", "slug", "organization"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["target_members"]
    # Images are uploaded through the organizer's form, which resizes and re-encodes them.
    readonly_fields = [
        "uuid", "created_at", "updated_at", "published_at", "closed_at", "image", "logo",
    ]  # fmt: skip
    inlines = [CustomTargetInline]
    actions = ["cancel_unsent_letters"]

    @admin.action(description="Cancel the letters these campaigns have not sent yet")
    def cancel_unsent_letters(self, request, queryset):
        cancelled = sum(cancel_queued(campaign) for campaign in queryset)
        self.message_user(request, f"Cancelled {cancelled} letters.", messages.SUCCESS)


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = [
        "email", "first_name", "last_name", "city", "state", "campaign", "opted_in_at",
        "created_at",
    ]  # fmt: skip
    list_filter = ["state", "campaign", ("opted_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "last_name"]
    list_select_related = ["campaign"]
    # Timestamps the system keeps (a hand-typed year 9999 would break every
    # list), and the consent record, which is evidence only while unedited.
    readonly_fields = ["created_at", "address_erased_at", "opted_in_at", "opt_in_text"]
    actions = ["export_data", "delete_data"]

    def has_export_permission(self, request):
        # Strictly the view permission: it is what the staff CSV of
        # supporters asks for too.
        return request.user.has_perm("campaigns.view_supporter")

    @admin.action(description="Export these supporters' data (JSON)", permissions=["export"])
    def export_data(self, request, queryset):
        data = [privacy.export_supporter(supporter) for supporter in queryset]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="supporter-data.json"'
        return response

    @admin.action(
        description="Delete these supporters' data, letters included", permissions=["delete"]
    )
    def delete_data(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            # An erasure cannot be undone: ask first, as Django's own delete does.
            context = {
                **self.admin_site.each_context(request),
                "title": "Delete supporters' data?",
                "opts": self.model._meta,
                "supporters": queryset.select_related("campaign"),
                "letters": Letter.objects.filter(supporter__in=queryset).count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "campaigns/privacy/delete_supporters.html", context)
        totals = Counter()
        for supporter in queryset:
            totals.update(privacy.delete_supporter(supporter))
        self.message_user(
            request,
            f"Deleted {totals['supporters']} supporters, {totals['submissions']} submissions "
            f"and {totals['letters']} letters.",
            messages.SUCCESS,
        )
        return None


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["uuid", "campaign", "supporter", "edited", "source", "created_at"]
    list_filter = ["campaign", "edited", "lookup_source"]
    list_select_related = ["campaign", "supporter"]
    raw_id_fields = ["supporter"]
    readonly_fields = ["created_at", "confirmation_queued_at"]


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    """Sends as the request took them, and whether a worker wrote them; one
    that failed says why. Read only: the payload (an address) is not shown."""

    list_display = ["uuid", "campaign", "letters", "created_at", "accepted_at", "failed_at"]
    list_filter = [("failed_at", admin.EmptyFieldListFilter), "campaign"]
    search_fields = ["uuid"]
    fields = [
        "uuid", "campaign", "letters", "created_at", "published_at", "accepted_at", "failed_at",
        "failure_reason",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    """Every attempt at sending the letter, as delivery recorded it: history, not for editing."""

    model = DeliveryAttempt
    fields = ["number", "started_at", "duration", "channel", "outcome", "answer"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["number", "started_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
    readonly_fields = [
        "uuid", "created_at", "claimed_at", "next_attempt_at", "delivered_at", "failed_at",
        "published_at", "gateway_answer",
    ]  # fmt: skip
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]

    @admin.action(description="Send the selected failed or rejected letters again")
    def retry(self, request, queryset):
        retried = retry_failed(queryset)
        self.message_user(request, f"Queued {retried} failed letters again.", messages.SUCCESS)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["campaign", "kind", "source", "created_at"]
    list_filter = ["kind", "campaign"]
    readonly_fields = ["created_at"]
