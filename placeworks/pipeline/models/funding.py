"""Funding opportunities (funding rounds) and their criteria.

Criteria are declarative so that ``readiness.check`` can say, in words, which a project meets and
which it misses: themes, area types served, a minimum need decile, the stage a bid needs, the
largest grant, the match funding share and the partner sectors the funder expects.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from placeworks.themes.models import Theme

from .choices import Stage


class FundingOpportunity(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    funder = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="funding_opportunities",
        help_text="A project must address at least one (none: any theme)",
    )
    area_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Area types a project must serve at least one of, e.g. ['lad', 'place']",
    )
    min_need_decile = models.PositiveSmallIntegerField(
        "need decile required",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="A place served must be in this decile of overall need or a higher one "
        "(1 = the highest-need tenth of comparable places)",
    )
    stage_required = models.CharField(
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text="The stage a project must have reached to bid",
    )
    max_grant = models.DecimalField(
        "maximum grant (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    match_funding_percent = models.FloatField(
        "match funding required (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the capital cost that must be secured from other sources",
    )
    required_sectors = models.JSONField(
        default=list,
        blank=True,
        help_text="Sector groups that must be partners, e.g. ['health', 'council']",
    )
    deadline = models.DateField(null=True, blank=True)
    is_sample = models.BooleanField(
        default=False, help_text="Illustrative sample data loaded by the demo, not a real round."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "funding opportunities"
        ordering = ["deadline", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.funder})"
