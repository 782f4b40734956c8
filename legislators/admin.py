from django.contrib import admin

from legislators.models import DistrictOffice, Legislator, ZipDistrict


class DistrictOfficeInline(admin.TabularInline):
    model = DistrictOffice
    extra = 0
    fields = ("office_id", "address", "suite", "city", "state", "zip_code", "phone")


@admin.register(Legislator)
class LegislatorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "title", "state", "district", "party", "in_office")
    list_filter = ("chamber", "in_office", "party", "state")
    search_fields = ("bioguide_id", "first_name", "last_name", "nickname", "official_full_name")
    readonly_fields = ("created_at", "updated_at")
    inlines = (DistrictOfficeInline,)


@admin.register(ZipDistrict)
class ZipDistrictAdmin(admin.ModelAdmin):
    list_display = ("zcta", "state", "district")
    list_filter = ("state",)
    search_fields = ("zcta",)
