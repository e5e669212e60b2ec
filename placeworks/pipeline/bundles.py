"""Viable together: bundles of projects that share places or assets, with combined figures.

A project "which might not be viable in isolation" may be delivered as part of a wider
pan-organisation project. Two active projects belong together when they use the same asset or
serve the same local authority district (a PLACE area counts as its districts, a ward as its
district); bundles are the connected groups of two or more. Pure: ``queries.bundles`` builds the
``Item``s from the projects a user may see, so a bundle never reveals a project the user cannot.

>>> a = Item(1, "a", "Hub", districts=frozenset({"Mansfield"}), capital_cost=100.0)
>>> b = Item(2, "b", "Homes", districts=frozenset({"Mansfield"}), capital_cost=50.0)
>>> [bundle.capital_cost for bundle in find_bundles([a, b])]
[150.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models.choices import BENEFITS

BENEFIT_KEYS = [b.key for b in BENEFITS]


@dataclass(frozen=True)
class Item:
    id: int
    reference: str
    title: str
    districts: frozenset[str] = frozenset()  # district names (or codes) served
    assets: frozenset[str] = frozenset()  # names of the assets it uses
    capital_cost: float = 0.0
    revenue_cost: float = 0.0
    benefits: tuple[tuple[str, float], ...] = ()  # (benefit key, forecast)
    organisations: frozenset[str] = frozenset()


@dataclass
class Bundle:
    items: list[Item]
    shared_districts: list[str] = field(default_factory=list)
    shared_assets: list[str] = field(default_factory=list)

    @property
    def capital_cost(self) -> float:
        return sum(i.capital_cost for i in self.items)

    @property
    def revenue_cost(self) -> float:
        return sum(i.revenue_cost for i in self.items)

    @property
    def benefits(self) -> dict[str, float]:
        totals = dict.fromkeys(BENEFIT_KEYS, 0.0)
        for item in self.items:
            for key, value in item.benefits:
                totals[key] = totals.get(key, 0.0) + value
        return totals

    @property
    def organisations(self) -> list[str]:
        return sorted(set().union(*(i.organisations for i in self.items)))

    @property
    def title(self) -> str:
        where = self.shared_districts[:2] or self.shared_assets[:1]
        return f"{len(self.items)} projects in {' and '.join(where)}" if where else "Bundle"

    @property
    def reasons(self) -> list[str]:
        lines = []
        if self.shared_districts:
            lines.append(f"They serve the same district: {', '.join(self.shared_districts)}.")
        if self.shared_assets:
            lines.append(f"They use the same buildings: {', '.join(self.shared_assets)}.")
        lines.append(
            f"Together {len(self.organisations)} organisations: {', '.join(self.organisations)}."
        )
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "projects": [
                {"id": i.id, "reference": i.reference, "title": i.title} for i in self.items
            ],
            "shared_districts": self.shared_districts,
            "shared_assets": self.shared_assets,
            "organisations": self.organisations,
            "capital_cost": self.capital_cost,
            "revenue_cost": self.revenue_cost,
            "benefits_forecast": self.benefits,
            "reasons": self.reasons,
        }


def find_bundles(items: Iterable[Item]) -> list[Bundle]:
    """Connected groups (two or more) of items sharing a district or an asset.

    Ordered by size, then combined capital cost, then the first reference: stable for the same
    input.
    """
    items = sorted(items, key=lambda i: (i.reference, i.id))
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        keys = [("district", d) for d in item.districts] + [("asset", a) for a in item.assets]
        for key in keys:
            if key in first_with:
                parent[root(index)] = root(first_with[key])
            else:
                first_with[key] = index
    groups: dict[int, list[Item]] = {}
    for index, item in enumerate(items):
        groups.setdefault(root(index), []).append(item)
    bundles = []
    for members in groups.values():
        if len(members) < 2:
            continue
        districts = sorted(
            d
            for d in set().union(*(m.districts for m in members))
            if sum(d in m.districts for m in members) > 1
        )
        assets = sorted(
            a
            for a in set().union(*(m.assets for m in members))
            if sum(a in m.assets for m in members) > 1
        )
        bundles.append(Bundle(members, districts, assets))
    bundles.sort(key=lambda b: (-len(b.items), -b.capital_cost, b.items[0].reference))
    return bundles
