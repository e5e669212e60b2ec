"""Estate factories (saved through the service so assets are placed in areas like real ones)."""

from __future__ import annotations

from typing import Any

from placeworks.estate import services
from placeworks.estate.models import Asset
from tests.factories import OrganisationFactory

_counter = {"n": 0}


def AssetFactory(**fields: Any) -> Asset:  # noqa: N802 - reads like a factory_boy factory
    _counter["n"] += 1
    owner = fields.pop("owner", None) or OrganisationFactory()
    fields.setdefault("name", f"Asset {_counter['n']}")
    fields.setdefault("kind", "office")
    return services.create_asset(by=None, owner=owner, **fields)
