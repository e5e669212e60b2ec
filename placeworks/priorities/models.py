"""Ward and place plans and their priorities.

A ``Plan`` is one organisation's plan for one area (a ward, neighbourhood, PLACE area or
district) for one financial year; it links to the same area's plan for the year before, so the
year-on-year changes can be shown. A ``Priority`` is one statement in a plan with its confirmed
themes (the tagger only *suggests*; ``suggestions`` keeps what it suggested and why), the
strategy aims it serves (derived from its themes unless a person overrode them), actions, lead
contacts and partner organisations.

Who may see a plan: a published plan follows its ``sharing`` (public by default); a draft is
seen only by members of its owning organisation. ``Plan.visibility`` gives that effective value
to the permission layer; list queries filter the same rule in the database
(``queries.visible_plans``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from placeworks.partners.models import Organisation, Visibility
from placeworks.places.models import Area, AreaType
from placeworks.themes.models import Aim, Theme

from .periods import validate_period

# The kinds of area a plan can be for.
PLAN_AREA_TYPES = (AreaType.WARD, AreaType.NEIGHBOURHOOD, AreaType.PLACE, AreaType.LAD)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Plan(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(
        max_length=7, validators=[validate_period], help_text="Financial year, e.g. 2025/26"
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    sharing = models.CharField(
        "visibility when published",
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text="Who may see the plan once it is published; a draft is only seen by members "
        "of the owning organisation.",
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="following",
        help_text="The same area's plan for the year before",
    )
    source = models.CharField(max_length=300, blank=True, help_text="The file it came from")
    is_sample = models.BooleanField(
        default=False, help_text="Illustrative sample data loaded by the demo, not a real plan."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name", "-period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "area", "period"], name="one_plan_per_owner_area_period"
            )
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.title or f"{self.area.name} plan {self.period}"

    @property
    def visibility(self) -> str:
        """Effective visibility for the permission layer: drafts are the owner's only."""
        return Visibility.ORGANISATION if self.status == PlanStatus.DRAFT else self.sharing

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def organisation_ids(self) -> set[int]:
        return {self.owner_id}


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(default=1, help_text="Order within the plan")
    text = models.TextField()
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="priorities", help_text="Themes confirmed by a person"
    )
    themes_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the themes await a person's confirmation"
    )
    themes_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestions = models.JSONField(
        default=list,
        blank=True,
        help_text="The tagger's suggestions for the current text: slug, label, score, matched",
    )
    aims_overridden = models.BooleanField(
        default=False, help_text="Use the aims chosen by a person instead of those derived"
    )
    aims = models.ManyToManyField(
        Aim,
        blank=True,
        related_name="priorities",
        help_text="Only used when the derived aims are overridden",
    )
    actions = models.TextField(blank=True)
    lead = models.TextField("lead contacts", blank=True)
    partners = models.ManyToManyField(Organisation, blank=True, related_name="plan_priorities")
    other_partners = models.TextField(
        blank=True, help_text="Partners that are not registered organisations, one per line"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def themes_confirmed(self) -> bool:
        return self.themes_confirmed_at is not None

    @property
    def visibility(self) -> str:
        return self.plan.visibility

    def organisation_ids(self) -> set[int]:
        return self.plan.organisation_ids()

    def suggested_slugs(self) -> list[str]:
        return [s["slug"] for s in self.suggestions if isinstance(s, dict) and "slug" in s]

    def other_partner_names(self) -> list[str]:
        return [line.strip() for line in self.other_partners.splitlines() if line.strip()]

    def snapshot(self) -> dict[str, Any]:
        """Tracked values for the audit trail (relations as sorted ids)."""
        return {
            "number": self.number,
            "text": self.text,
            "actions": self.actions,
            "lead": self.lead,
            "other_partners": self.other_partners,
            "aims_overridden": self.aims_overridden,
        }
