"""Writing audit records. Called by other apps' services inside their transactions."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def record(
    *, by: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEvent:
    """Record that ``by`` performed ``action`` on ``obj``; ``changes`` maps field -> [old, new]."""
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-by-field changes between two plain dictionaries, as ``{field: [old, new]}``."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
