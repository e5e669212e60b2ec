"""Read-only admin views of the pipeline: every change goes through the pages, the API or the
demo loader (``services.py``), so that it is permission-checked, versioned and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import FundingOpportunity, Project, ProjectPartner, StageChange


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "role"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "reason", "by", "changed_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ["title", "reference", "lead", "stage", "rag_status", "visibility", "is_sample"]
    list_filter = ["stage", "project_type", "visibility", "rag_status", "is_sample"]
    search_fields = ["title", "reference", "lead__name"]
    inlines = [PartnerInline, StageInline]


@admin.register(FundingOpportunity)
class FundingOpportunityAdmin(ReadOnly):
    list_display = ["name", "funder", "deadline", "max_grant", "is_sample"]
    search_fields = ["name", "funder"]
