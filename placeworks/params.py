"""Reading list filters from a query string (or any mapping) the same way on every page and API.

``?kind=school&kind=library`` and ``?kind=school,library`` mean the same; blanks are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of ``name``: repeated parameters and comma-separated lists, stripped.

    >>> values({"kind": "school, library,"}, "kind")
    ['school', 'library']
    >>> values({"kind": ["school", "gp_surgery,clinic"]}, "kind"), values({}, "kind")
    (['school', 'gp_surgery', 'clinic'], [])
    """
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist is not None else params.get(name)
    items = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]
