"""The shared vocabulary: themes, strategies and their aims."""

from __future__ import annotations

from django.db import models


class Theme(models.Model):
    """A theme in a hierarchical taxonomy. Slugs are stable: code and scripts rely on them."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)
    keywords = models.TextField(
        blank=True,
        help_text="Extra words and phrases that suggest this theme, one per line (for tagging).",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    """A partnership strategy, e.g. a Joint Health and Wellbeing Strategy."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    period = models.CharField(max_length=20, blank=True, help_text="e.g. 2022–2026")
    url = models.URLField(blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Aim(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="aims")
    number = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=300)
    themes = models.ManyToManyField(Theme, related_name="aims", blank=True)

    class Meta:
        ordering = ["strategy", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"
