"""Organisations in a partnership, their members and roles, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify


class Sector(models.TextChoices):
    COUNTY_COUNCIL = "county_council", "County council"
    DISTRICT_COUNCIL = "district_council", "District council"
    UNITARY_COUNCIL = "unitary_council", "Unitary council"
    NHS_TRUST = "nhs_trust", "NHS trust"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    PRIMARY_CARE_NETWORK = "pcn", "Primary care network"
    SCHOOL = "school", "School or academy trust"
    COLLEGE_UNIVERSITY = "college_university", "College or university"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    VCS = "vcs", "Voluntary or community organisation"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    OTHER_PUBLIC = "other_public", "Other public body"
    PRIVATE = "private", "Private"


class Visibility(models.TextChoices):
    """Who may see a record. Reused by assets, projects and every confidential record."""

    PUBLIC = "public", "Public: anyone"
    PARTNERS = "partners", "Partners: any signed-in member of the partnership"
    ORGANISATION = "organisation", "Organisation: members of the owning and partner organisations"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    urn = models.CharField("URN", max_length=10, blank=True, help_text="School unique reference")
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=10, blank=True)
    website = models.URLField(blank=True)
    is_sample = models.BooleanField(
        default=False, help_text="Illustrative sample data loaded by the demo, not a real record."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def organisation_ids(self) -> set[int]:
        return {self.pk}


class Membership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        EDITOR = "editor", "Editor"
        ADMIN = "admin", "Administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once."""

    PREFIX = "pwk_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="First characters, to recognise the token")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def touch(self) -> None:
        now = timezone.now()
        # At most one write a minute per token: reads should not become writes.
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
