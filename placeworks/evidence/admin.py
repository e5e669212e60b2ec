from django.contrib import admin

from .models import Distribution, Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicator metadata may be edited here; data change only through the importers."""

    list_display = [
        "code",
        "name",
        "theme",
        "value_type",
        "polarity",
        "source_kind",
        "organisation",
    ]
    list_filter = ["theme", "value_type", "polarity", "source_kind"]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["code", "summary", "summary_of", "created_at", "updated_at"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "sex", "age", "value", "basis"]
    list_filter = ["basis", "period", "indicator__theme"]
    search_fields = ["indicator__code", "area__code", "area__name"]
    raw_id_fields = ["indicator", "area"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "area_type", "vintage", "group", "count"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
