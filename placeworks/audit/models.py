"""Records of who changed what, and of every import."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change made through a service: who, when, what, and the field changes."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_repr}"


class ImportRun(models.Model):
    """One run of an importer: the file, its checksum, what it found and what it wrote."""

    class Status(models.TextChoices):
        DRY_RUN = "dry_run", "Dry run (nothing written)"
        COMMITTED = "committed", "Committed"
        REJECTED = "rejected", "Rejected (problems found, nothing written)"

    importer = models.CharField(max_length=100)
    file_name = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file")
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    problems = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.importer}: {self.file_name} ({self.get_status_display()})"
