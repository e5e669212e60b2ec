"""Indicators (declarative records with provenance) and their observations for areas.

An ``Indicator`` says what is measured, how, by whom and under which licence; an
``Observation`` is one value of it for one area, period and breakdown (sex, age), with its count,
denominator, confidence limits and flags. Values are stored on the scale the source publishes
(an IoD income score of 0.132 stays 0.132); ``Indicator.multiplier`` says what scale that is.

Where a figure came from is kept on every observation (``basis``): as published in the source
file, computed by Placeworks from a complete national file (England, and districts ranked
nationally), rolled up by Placeworks from the loaded smaller areas, or supplied by a partner.

``Distribution`` holds, per indicator, period, area type and comparison group (the region), the
spread of values that spine charts draw; it and the ranks within the group are refreshed
whenever observations are written, so a profile page reads them instead of scanning every area.
"""

from __future__ import annotations

from django.db import models

from placeworks.places.models import Area


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    HIGHER_IS_WORSE = "higher_is_worse", "Higher is worse"
    NO_JUDGEMENT = "no_judgement", "No judgement"


class ValueType(models.TextChoices):
    PROPORTION = "proportion", "Proportion"
    RATE = "rate", "Crude rate"
    DSR = "dsr", "Directly standardised rate"
    SCORE = "score", "Score"
    RANK = "rank", "Rank"
    COUNT = "count", "Count"
    MEAN = "mean", "Mean"


class Summary(models.TextChoices):
    """The MHCLG summary measures of deprivation for larger areas (IoD2019 Technical Report)."""

    EXTENT = "extent", "Extent"
    LOCAL_CONCENTRATION = "local_concentration", "Local concentration"
    MOST_DEPRIVED_10PCT = "most_deprived_10pct", "Proportion of LSOAs in the most deprived 10%"


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "Official statistics"
    PARTNER = "partner", "A partner's own data"


class Basis(models.TextChoices):
    PUBLISHED = "published", "As published"
    NATIONAL = "national", "Computed from the complete national file"
    ROLLUP = "rollup", "Aggregated from the loaded smaller areas"
    PARTNER = "partner", "Supplied by a partner"


class Indicator(models.Model):
    code = models.SlugField(max_length=100, unique=True, help_text="Stable identifier")
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=80)
    theme = models.ForeignKey(
        "themes.Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        help_text="Empty for measures of overall deprivation that span every theme",
    )
    definition = models.TextField()
    numerator = models.TextField(blank=True)
    denominator = models.TextField(blank=True)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    value_type = models.CharField(max_length=20, choices=ValueType.choices)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, per 1,000, score")
    multiplier = models.FloatField(
        default=1, help_text="Value = ratio × multiplier (100 for %, 1,000 per thousand)"
    )
    decimals = models.PositiveSmallIntegerField(default=1, help_text="Decimal places shown")
    method = models.TextField(blank=True, help_text="How the value and its limits are made")
    summary = models.CharField(max_length=30, choices=Summary.choices, blank=True)
    summary_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summaries",
        help_text="For a larger-area summary measure: the LSOA rank indicator it summarises",
    )
    aggregate = models.BooleanField(
        default=True, help_text="Roll small-area values up to larger areas"
    )
    source_kind = models.CharField(
        max_length=20, choices=SourceKind.choices, default=SourceKind.OFFICIAL
    )
    publisher = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Publication or data set")
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="For a partner's indicator: the organisation that maintains it",
    )
    checked_by = models.CharField(max_length=200, blank=True)
    checked_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=1000)
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Also touched when data change")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def organisation_ids(self) -> set[int]:
        return {self.organisation_id} if self.organisation_id else set()


class Observation(models.Model):
    # No single-column indexes: the unique constraint (indicator, period, area, …) and the
    # (area, indicator) index lead with these columns, and every extra index slows national
    # imports of a million rows.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    period = models.CharField(max_length=30, help_text="As the source writes it: 2025, 2021/22")
    year = models.PositiveSmallIntegerField(help_text="First year of the period, for ordering")
    sex = models.CharField(max_length=20, default="Persons")
    age = models.CharField(max_length=40, default="All ages")
    value = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True, help_text="0.95 for 95% limits")
    rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="National rank (1 = most deprived or worst)"
    )
    rank_of = models.PositiveIntegerField(null=True, blank=True, help_text="Areas ranked")
    decile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="National decile (1 = most deprived or worst 10%)"
    )
    local_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="Rank among areas of the same type in the region"
    )
    local_count = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    provisional = models.BooleanField(default=False)
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.PUBLISHED)
    coverage = models.FloatField(
        null=True, blank=True, help_text="Share of the population covered, for aggregates"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            # Its index also serves "one indicator and period" queries (a leading prefix).
            models.UniqueConstraint(
                fields=["indicator", "period", "area", "sex", "age"],
                name="one_observation_per_breakdown",
            )
        ]
        indexes = [models.Index(fields=["area", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period}: {self.value}"


class Distribution(models.Model):
    """The spread of one indicator's values across a comparison group of same-type areas."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="distributions")
    period = models.CharField(max_length=30)
    sex = models.CharField(max_length=20, default="Persons")
    age = models.CharField(max_length=40, default="All ages")
    area_type = models.CharField(max_length=20)
    vintage = models.CharField(max_length=10, blank=True)
    group = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The region compared within (empty: areas outside any region)",
    )
    count = models.PositiveIntegerField()
    minimum = models.FloatField()
    q1 = models.FloatField()
    median = models.FloatField()
    q3 = models.FloatField()
    maximum = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "sex", "age", "area_type", "vintage", "group"],
                name="one_distribution_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.area_type} ({self.count})"
