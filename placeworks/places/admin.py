"""Areas in the Django admin: for looking things up and small corrections. Imports and the web
pages are the way to change geography in bulk; after editing here, run
``placeworks rebuild_area_links`` so the closure, derived boundaries and totals follow."""

from __future__ import annotations

from django.contrib import admin

from .models import Area, AreaRelation, Crosswalk


class ParentInline(admin.TabularInline):
    model = AreaRelation
    fk_name = "child"
    raw_id_fields = ("parent",)
    extra = 0
    verbose_name = "parent"
    verbose_name_plural = "parents (lies within or belongs to)"


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "type", "vintage", "population", "is_active", "is_partial")
    list_filter = ("type", "vintage", "is_active", "is_partial", "boundary_derived")
    search_fields = ("name", "code")
    exclude = ("geometry_wkb",)
    readonly_fields = (
        "min_lon",
        "min_lat",
        "max_lon",
        "max_lat",
        "centroid_lon",
        "centroid_lat",
        "area_hectares",
        "boundary_source",
        "boundary_derived",
        "geometry_updated_at",
        "population_method",
    )
    inlines = [ParentInline]


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "method",
        "source_type",
        "source_vintage",
        "target_type",
        "target_vintage",
    )
    list_filter = ("method",)
    search_fields = ("name",)
