from django.contrib import admin

from .models import Asset, AssetArea, CommunityService, PostcodeCentroid


class AssetAreaInline(admin.TabularInline):
    model = AssetArea
    extra = 0
    readonly_fields = ["area", "area_type"]
    can_delete = False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Read-mostly: changes belong in the service layer (pages, API, importers) for the audit."""

    list_display = ["name", "kind", "owner", "status", "visibility", "location_source", "is_sample"]
    list_filter = ["kind", "status", "visibility", "location_source", "source", "is_sample"]
    search_fields = ["name", "reference", "identifier", "postcode", "owner__name"]
    autocomplete_fields = ["owner"]
    inlines = [AssetAreaInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommunityService)
class CommunityServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization_name", "maintainer", "visibility", "is_sample"]
    search_fields = ["name", "organization_name", "hsds_id"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PostcodeCentroid)
class PostcodeCentroidAdmin(admin.ModelAdmin):
    list_display = ["display", "lon", "lat", "source"]
    search_fields = ["postcode", "display"]
