"""Who may see an asset's commercially sensitive fields.

Seeing an asset at all follows its visibility (``partners.permissions.visible`` in the query).
Its ``SENSITIVE_FIELDS`` (disposal plan, estimated value, commercial notes) go further: only
members of the owning organisation, whatever their role, and platform administrators see them.
Pages, the API, GeoJSON and CSV exports all ask ``sensitive_checker`` before writing them out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from placeworks.partners.permissions import (
    Permission,
    has_permission,
    is_platform_admin,
    memberships,
)

from .models import SENSITIVE_FIELDS, Asset


def sensitive_checker(user: Any) -> Callable[[Asset], bool]:
    """A function telling, for many assets, whether ``user`` may see their sensitive fields."""
    if is_platform_admin(user):
        return lambda asset: True
    own = set(memberships(user))
    return lambda asset: asset.owner_id in own


def may_see_sensitive(user: Any, asset: Asset) -> bool:
    return sensitive_checker(user)(asset) or has_permission(user, Permission.EDIT_ASSET, asset)


def redacted(asset: Asset, may_see: bool) -> dict[str, Any]:
    """The sensitive fields' values, or ``None`` for each when the user may not see them."""
    return {name: getattr(asset, name) if may_see else None for name in SENSITIVE_FIELDS}
