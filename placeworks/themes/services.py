"""Writes for the theme vocabulary."""

from __future__ import annotations

from django.db import transaction

from .defaults import DEFAULT_THEMES
from .models import Theme


def ensure_default_themes() -> int:
    """Create any missing default themes (existing ones keep their edited names). Idempotent."""
    created = 0
    with transaction.atomic():
        for order, default in enumerate(DEFAULT_THEMES):
            parent = Theme.objects.get(slug=default.parent) if default.parent else None
            _, was_created = Theme.objects.get_or_create(
                slug=default.slug,
                defaults={
                    "name": default.name,
                    "description": default.description,
                    "order": order,
                    "parent": parent,
                },
            )
            created += was_created
    return created
