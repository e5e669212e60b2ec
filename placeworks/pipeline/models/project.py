"""A project in the pipeline, and the records that hang off it.

The project's own fields (title, summary, lead, type, visibility, RAG, costs, benefits, dates,
notes, places and themes) and its stage carry a ``version`` that every write checks and
increments (``services.update_project``, ``services.change_stage``), so two people editing at once
never silently overwrite each other. Partners, assets, risks, funding lines, key dates,
inequalities and documents are rows of their own, added and removed one at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from placeworks.partners.models import Organisation, Visibility
from placeworks.places.models import Area
from placeworks.themes.models import Theme

from .choices import AssetRole, PartnerRole, ProjectType, Rag, Severity, Stage


def _money(label: str, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,  # type: ignore[arg-type]
    )


class Project(models.Model):
    reference = models.SlugField(
        max_length=80, unique=True, help_text="Stable key, e.g. mid-notts-mansfield-hub"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    lead = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_projects")
    project_type = models.CharField(
        "type", max_length=30, choices=ProjectType.choices, default=ProjectType.OTHER
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    rag_status = models.CharField("RAG status", max_length=5, choices=Rag.choices, blank=True)
    rag_reason = models.TextField("reason for the RAG status", blank=True)
    places = models.ManyToManyField(
        Area, blank=True, related_name="projects", verbose_name="places served"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")

    capital_cost = _money("capital cost (£)")
    revenue_cost = _money("revenue cost (£ a year)")

    capital_receipts_forecast = _money("capital receipts forecast (£)")
    capital_receipts_achieved = _money("capital receipts achieved (£)")
    running_cost_savings_forecast = _money("running cost savings forecast (£ a year)")
    running_cost_savings_achieved = _money("running cost savings achieved (£ a year)")
    land_released_ha_forecast = models.DecimalField(
        "land released forecast (ha)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    land_released_ha_achieved = models.DecimalField(
        "land released achieved (ha)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    homes_enabled_forecast = models.PositiveIntegerField(null=True, blank=True)
    homes_enabled_achieved = models.PositiveIntegerField(null=True, blank=True)
    jobs_created_forecast = models.PositiveIntegerField(null=True, blank=True)
    jobs_created_achieved = models.PositiveIntegerField(null=True, blank=True)
    service_outcomes_forecast = models.TextField(
        blank=True, help_text="What should change for residents, e.g. waiting times, reach"
    )
    service_outcomes_achieved = models.TextField(blank=True)

    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField("completion date", null=True, blank=True)
    notes = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PARTNERS, db_index=True
    )
    source_opportunity = models.CharField(
        max_length=60, blank=True, help_text="The estate opportunity this project was made from"
    )
    is_sample = models.BooleanField(
        default=False, help_text="Illustrative sample data loaded by the demo, not a real record."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["lead", "stage"])]

    def __str__(self) -> str:
        return self.title

    def organisation_ids(self) -> set[int]:
        """The lead and partner organisations (whose members may see and edit the project)."""
        ids = {self.lead_id} if self.lead_id else set()
        if self.pk:
            cached = getattr(self, "_prefetched_objects_cache", {}).get("partners")
            if cached is not None:
                ids |= {p.organisation_id for p in cached}
            else:
                ids |= set(self.partners.values_list("organisation_id", flat=True))
        return ids


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="project_partnerships"
    )
    role = models.CharField(
        max_length=20, choices=PartnerRole.choices, default=PartnerRole.DELIVERY
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="one_partner_row")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectAsset(models.Model):
    """A building or site the project vacates, reuses or creates.

    ``asset`` is a record in the estate register; a new building that does not exist yet has none
    and is described in ``description``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="asset_links")
    asset = models.ForeignKey(
        "estate.Asset",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    role = models.CharField(max_length=10, choices=AssetRole.choices)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "asset"],
                condition=models.Q(asset__isnull=False),
                name="one_link_per_asset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.asset or self.description}"


class StageChange(models.Model):
    """One move between stages, with the reason given (the dated stage history)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_history")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class Risk(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(max_length=300)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    mitigation = models.TextField(blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_open", "id"]

    def __str__(self) -> str:
        return self.description


class FundingLine(models.Model):
    """Money sought and secured from one funder."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    funder = models.CharField(max_length=200)
    opportunity = models.ForeignKey(
        "pipeline.FundingOpportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_lines",
    )
    amount_sought = _money("amount sought (£)")
    amount_secured = _money("amount secured (£)")
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["funder", "id"]

    def __str__(self) -> str:
        return self.funder


class KeyDate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="key_dates")
    label = models.CharField(max_length=200)
    date = models.DateField()
    achieved = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.date:%d %B %Y}"


class ProjectIndicator(models.Model):
    """An inequality the project targets: an indicator and its baseline for one place served.

    The baseline is copied from the evidence when the indicator is linked (or entered by hand
    when no observation is loaded), so later re-imports do not move it. The indicator is named by
    its code so the record outlives changes to the evidence catalogue.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    indicator_code = models.CharField(max_length=100)
    indicator_name = models.CharField(max_length=300)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the baseline came from")
    captured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator_code", "area"], name="one_baseline_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_name} in {self.area}" if self.area_id else self.indicator_name


__all__ = [
    "FundingLine",
    "KeyDate",
    "Project",
    "ProjectAsset",
    "ProjectIndicator",
    "ProjectPartner",
    "Risk",
    "StageChange",
]
