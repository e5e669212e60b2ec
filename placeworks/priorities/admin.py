"""Admin for plans and priorities (reading and correcting; everyday changes use the pages)."""

from django.contrib import admin

from .models import Plan, Priority


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0
    fields = ["number", "text", "themes_confirmed_at"]
    readonly_fields = ["themes_confirmed_at"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["area", "period", "owner", "status", "sharing", "is_sample"]
    list_filter = ["period", "status", "sharing", "is_sample", "owner"]
    search_fields = ["area__name", "area__code", "title"]
    raw_id_fields = ["area", "previous"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "number", "themes_confirmed_at"]
    list_filter = ["plan__period", "themes"]
    search_fields = ["text", "plan__area__name"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["themes", "aims", "partners"]
    readonly_fields = ["suggestions", "themes_confirmed_at", "themes_confirmed_by"]
