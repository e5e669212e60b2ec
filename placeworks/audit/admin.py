from django.contrib import admin

from .models import AuditEvent, ImportRun


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__username"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "importer", "file_name", "status", "rows", "by"]
    list_filter = ["importer", "status"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
