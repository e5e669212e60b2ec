from django.contrib import admin

from .models import Aim, Strategy, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]


class AimInline(admin.TabularInline):
    model = Aim
    extra = 1
    filter_horizontal = ["themes"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "period", "is_sample"]
    inlines = [AimInline]
