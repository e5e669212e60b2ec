"""The loaded geography as arrays, for vectorised roll-ups and ranking (one query per table).

``Geography.load()`` reads every area (id, type, code, vintage, population) and the transitive
closure ``AreaLink`` once; roll-ups and ranks then work on numpy arrays instead of asking the
database area by area. The comparison group of an area is the region it lies in (areas outside
any region — regions, countries, unlinked groupings — form one group per type).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from placeworks.places.models import Area, AreaLink, AreaType

IntArray = np.ndarray


@dataclass
class Geography:
    ids: np.ndarray  # sorted area ids
    types: np.ndarray  # object array of type codes
    codes: np.ndarray
    vintages: np.ndarray
    names: np.ndarray
    populations: np.ndarray  # float, NaN when unknown
    population_notes: np.ndarray
    region: np.ndarray  # id of the region each area lies in, 0 when none
    partial: np.ndarray  # bool: only part of the area is loaded (places' ``is_partial``)
    link_ancestor: np.ndarray  # positions (not ids) into ``ids``
    link_descendant: np.ndarray
    group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group_info: list[tuple[str, str, int]] = field(default_factory=list)
    _by_code: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def empty(cls) -> Geography:
        nothing = np.zeros(0, dtype=np.int64)
        words = np.zeros(0, dtype=object)
        return cls(
            nothing,
            words,
            words,
            words,
            words,
            np.zeros(0),
            words,
            nothing,
            np.zeros(0, dtype=bool),
            nothing,
            nothing,
        )

    @classmethod
    def load(cls) -> Geography:
        rows = list(
            Area.objects.order_by("id").values_list(
                "id",
                "type",
                "code",
                "vintage",
                "name",
                "population",
                "population_source",
                "is_partial",
            )
        )
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        populations = np.array(
            [float(r[5]) if r[5] is not None else np.nan for r in rows], dtype=np.float64
        )
        geography = cls(
            ids=ids,
            types=np.array([r[1] for r in rows], dtype=object),
            codes=np.array([r[2] for r in rows], dtype=object),
            vintages=np.array([r[3] for r in rows], dtype=object),
            names=np.array([r[4] for r in rows], dtype=object),
            populations=populations,
            population_notes=np.array([r[6] or "" for r in rows], dtype=object),
            region=np.zeros(ids.size, dtype=np.int64),
            partial=np.array([bool(r[7]) for r in rows], dtype=bool),
            link_ancestor=np.zeros(0, dtype=np.int64),
            link_descendant=np.zeros(0, dtype=np.int64),
        )
        links = np.array(
            list(AreaLink.objects.filter(depth__gt=0).values_list("ancestor_id", "descendant_id")),
            dtype=np.int64,
        ).reshape(-1, 2)
        if links.size:
            anc = geography.positions(links[:, 0])
            desc = geography.positions(links[:, 1])
            ok = (anc >= 0) & (desc >= 0)
            geography.link_ancestor, geography.link_descendant = anc[ok], desc[ok]
            is_region = geography.types[geography.link_ancestor] == AreaType.REGION
            geography.region[geography.link_descendant[is_region]] = geography.ids[
                geography.link_ancestor[is_region]
            ]
        for position, (kind, code) in enumerate(zip(geography.types, geography.codes, strict=True)):
            geography._by_code.setdefault((kind, code), []).append(position)
        geography._group()
        return geography

    def _group(self) -> None:
        """Number the comparison groups: (type, vintage, region) → an integer per area."""
        codes: dict[tuple[str, str, int], int] = {}
        self.group = np.fromiter(
            (
                codes.setdefault((str(t), str(v), int(r)), len(codes))
                for t, v, r in zip(self.types, self.vintages, self.region, strict=True)
            ),
            dtype=np.int64,
            count=self.ids.size,
        )
        self.group_info = [key for key, _ in sorted(codes.items(), key=lambda item: item[1])]

    def positions(self, area_ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Positions of area ids in the arrays (-1 for ids not loaded)."""
        wanted = np.asarray(area_ids, dtype=np.int64)
        found = np.searchsorted(self.ids, wanted)
        found = np.clip(found, 0, max(self.ids.size - 1, 0))
        ok = self.ids.size > 0
        hit = (self.ids[found] == wanted) if ok else np.zeros(wanted.size, dtype=bool)
        return np.where(hit, found, -1)

    def find(self, kind: str, code: str, vintage: str | None = None) -> list[int]:
        """Positions of areas of ``kind`` with ``code``; with a vintage, that vintage first,
        falling back to areas loaded without one."""
        found = self._by_code.get((kind, code), [])
        if vintage is None:
            return list(found)
        exact = [p for p in found if self.vintages[p] == vintage]
        return exact or [p for p in found if not self.vintages[p]]

    def codes_of(self, kind: str, vintage: str | None = None) -> dict[str, int]:
        """``{code: position}`` of the areas of one type (and vintage: exact, else blank)."""
        mask = self.types == kind
        result: dict[str, int] = {}
        for position in np.flatnonzero(mask):
            if vintage is not None and self.vintages[position] not in (vintage, ""):
                continue
            code = self.codes[position]
            if code in result and self.vintages[position] != vintage:
                continue
            result[code] = int(position)
        return result
