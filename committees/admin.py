from django.contrib import admin

from committees.models import Committee, CommitteeTargeting, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("legislator",)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "chamber", "parent", "current")
    list_filter = ("chamber", "current")
    search_fields = ("code", "name", "parent__name")
    inlines = (MembershipInline,)


@admin.register(CommitteeTargeting)
class CommitteeTargetingAdmin(admin.ModelAdmin):
    list_display = ("campaign", "write_anyway")
    autocomplete_fields = ("committees",)
    raw_id_fields = ("campaign",)
