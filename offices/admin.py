from django.contrib import admin

from offices.models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    """Staff read the directory and set an office's override: an email
    address, or no route. The list-backed fields are the importer's."""

    list_display = ("legislator", "chamber", "cwc_code", "enrolled", "email", "no_route")
    list_filter = ("chamber", "enrolled", "no_route")
    search_fields = ("cwc_code", "legislator__bioguide_id", "legislator__last_name", "email")
    raw_id_fields = ("legislator",)
    readonly_fields = ("cwc_code", "enrolled", "last_listed_at", "updated_at")
    fields = (
        "legislator",
        "chamber",
        "cwc_code",
        "enrolled",
        "last_listed_at",
        "email",
        "no_route",
        "note",
        "updated_at",
    )
