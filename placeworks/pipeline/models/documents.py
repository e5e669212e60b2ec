"""Evidence documents attached to a project: business cases, feasibility studies, plans.

Files live under ``MEDIA_ROOT/evidence/<project id>/`` with a random name, are never served by
the web server, and are downloaded only through a view that checks the user may see the project
(``views.download_document``). Types and size are checked on upload (``documents.validate``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from .project import Project


class DocumentKind(models.TextChoices):
    BUSINESS_CASE = "business_case", "Business case"
    FEASIBILITY = "feasibility", "Feasibility study"
    OPTIONS_APPRAISAL = "options_appraisal", "Options appraisal"
    SURVEY = "survey", "Survey or condition report"
    PLAN = "plan", "Site plan or drawing"
    CONSULTATION = "consultation", "Consultation or engagement report"
    FINANCIAL = "financial", "Financial model"
    OTHER = "other", "Other"


def evidence_path(instance: EvidenceDocument, filename: str) -> str:
    """``evidence/<project id>/<random>.<ext>``: the uploaded name is kept only as a label."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"evidence/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title
