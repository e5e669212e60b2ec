from typing import Any

from django.contrib import admin

from .models import Aim, Strategy, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_prepopulated_fields(self, request: Any, obj: Theme | None = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def get_readonly_fields(self, request: Any, obj: Theme | None = None) -> list[str]:
        # A new theme is given its slug; after that the slug is stable (code and outside
        # scripts rely on it), while the name, description, parent and keywords stay editable.
        return ["slug"] if obj is not None else []


class AimInline(admin.TabularInline):
    model = Aim
    extra = 1
    filter_horizontal = ["themes"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "period", "is_sample"]
    inlines = [AimInline]
