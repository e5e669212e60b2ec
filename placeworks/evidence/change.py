"""How a place's deprivation changed between two IoD releases on different LSOA geographies.

IoD2019 is published on 2011 LSOAs, IoD2025 on 2021 LSOAs. The ONS lookup (LSOA 2011 → LSOA
2021, with change flags: U unchanged, S split, M merged, X irregular) carries each 2021 LSOA's
earlier position: the IoD2019 rank of the 2011 LSOA it came from (for a split, the parent's; for
a merge or an irregular change, the mean rank of its 2011 parts), turned into the 2019 decile.
Comparing deciles, not ranks or scores, keeps to what MHCLG says is comparable between releases:
relative position within England.

The lookup comes from the places app's crosswalk (LSOA 2011 → 2021) when one is loaded, else
from the ONS file shipped in ``data/geography``.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from placeworks.places.models import Area, AreaType, Crosswalk, CrosswalkWeight

from .catalogue import MEASURE_BY_KEY, RELEASES
from .models import Observation

LOOKUP_FILE = Path("data") / "geography" / "lookup_lsoa11_lsoa21_lad22_ONS.csv.gz"
IMD_SCORE = MEASURE_BY_KEY["imd"].score_code
IMD_RANK = MEASURE_BY_KEY["imd"].rank_code


@dataclass
class DecileChange:
    earlier: str
    later: str
    earlier_counts: list[int]  # 2021 LSOAs of the place by their earlier decile (index 0 = 1)
    later_counts: list[int]
    more_deprived: int  # moved to a more deprived decile
    same: int
    less_deprived: int
    compared: int  # 2021 LSOAs with both deciles
    matrix: list[list[int]]  # [earlier decile − 1][later decile − 1]
    lookup: str
    biggest_moves: list[tuple[str, str, int, int]]  # (code, name, earlier, later)

    def as_dict(self) -> dict[str, object]:
        return {
            "earlier": self.earlier,
            "later": self.later,
            "lsoas_compared": self.compared,
            "more_deprived_decile": self.more_deprived,
            "same_decile": self.same,
            "less_deprived_decile": self.less_deprived,
            "earlier_decile_counts": self.earlier_counts,
            "later_decile_counts": self.later_counts,
            "lookup": self.lookup,
        }


@cache
def _file_lookup(path: str) -> dict[str, tuple[str, ...]]:
    parents: dict[str, list[str]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            parents[row["LSOA21CD"]].append(row["F_LSOA11CD"])
    return {code: tuple(sorted(set(found))) for code, found in parents.items()}


def lsoa21_parents() -> tuple[dict[str, tuple[str, ...]], str]:
    """``{LSOA 2021 code: (LSOA 2011 codes it came from)}`` and where the lookup came from."""
    crosswalk = Crosswalk.objects.filter(
        source_type=AreaType.LSOA,
        source_vintage="2011",
        target_type=AreaType.LSOA,
        target_vintage="2021",
    ).first()
    if crosswalk is not None:
        parents: dict[str, list[str]] = defaultdict(list)
        for source, target in CrosswalkWeight.objects.filter(crosswalk=crosswalk).values_list(
            "source__code", "target__code"
        ):
            parents[target].append(source)
        if parents:
            return (
                {code: tuple(sorted(set(found))) for code, found in parents.items()},
                crosswalk.name,
            )
    path = Path(settings.BASE_DIR) / LOOKUP_FILE
    return _file_lookup(str(path)), "ONS LSOA (2011) to LSOA (2021) lookup (data/geography)"


def decile_change(area: Area, earlier: str = "2019", later: str = "2025") -> DecileChange | None:
    """The 2021 LSOAs of ``area`` by IMD decile in ``earlier`` (through the lookup) and
    ``later``; None when either release is not loaded for the place."""
    if area.type == AreaType.LSOA:
        lsoas = [(area.code, area.name)]
    else:
        lsoas = list(
            Area.objects.filter(
                type=AreaType.LSOA,
                vintage=RELEASES[later].lsoa_vintage,
                ancestor_links__ancestor=area,
            ).values_list("code", "name")
        )
    if not lsoas:
        return None
    names = dict(lsoas)
    later_deciles = _deciles(later, RELEASES[later].lsoa_vintage, list(names))
    if not later_deciles:
        return None
    parents, source = lsoa21_parents()
    wanted = sorted({p for code in names for p in parents.get(code, ())})
    earlier_ranks = _ranks(earlier, RELEASES[earlier].lsoa_vintage, wanted)
    if not earlier_ranks:
        return None
    total = RELEASES[earlier].lsoa_count
    earlier_counts, later_counts = [0] * 10, [0] * 10
    matrix = [[0] * 10 for _ in range(10)]
    more = same = less = compared = 0
    moves: list[tuple[int, str, str, int, int]] = []
    for code in names:
        after = later_deciles.get(code)
        if after is not None:
            later_counts[after - 1] += 1
        ranks = [earlier_ranks[p] for p in parents.get(code, ()) if p in earlier_ranks]
        if not ranks:
            continue
        before = max(1, min(10, math.ceil(10 * (sum(ranks) / len(ranks)) / total)))
        earlier_counts[before - 1] += 1
        if after is None:
            continue
        compared += 1
        matrix[before - 1][after - 1] += 1
        if after < before:
            more += 1
        elif after > before:
            less += 1
        else:
            same += 1
        if after != before:
            moves.append((abs(after - before), code, names[code], before, after))
    moves.sort(key=lambda m: (-m[0], m[1]))
    return DecileChange(
        earlier=earlier,
        later=later,
        earlier_counts=earlier_counts,
        later_counts=later_counts,
        more_deprived=more,
        same=same,
        less_deprived=less,
        compared=compared,
        matrix=matrix,
        lookup=source,
        biggest_moves=[(c, n, b, a) for _, c, n, b, a in moves[:10]],
    )


def _values(code: str, period: str, vintage: str, lsoas: list[str], field: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for start in range(0, len(lsoas), 500):
        found.update(
            Observation.objects.filter(
                indicator__code=code,
                period=period,
                area__type=AreaType.LSOA,
                area__vintage__in=[vintage, ""],
                area__code__in=lsoas[start : start + 500],
                **{f"{field}__isnull": False},
            ).values_list("area__code", field)
        )
    return found


def _deciles(period: str, vintage: str, lsoas: list[str]) -> dict[str, int]:
    """National IMD deciles: on the LSOA scores, or on the ranks when a release has no scores."""
    found = _values(IMD_SCORE, period, vintage, lsoas, "decile") or _values(
        IMD_RANK, period, vintage, lsoas, "decile"
    )
    return {k: int(v) for k, v in found.items()}


def _ranks(period: str, vintage: str, lsoas: list[str]) -> dict[str, float]:
    return _values(IMD_SCORE, period, vintage, lsoas, "rank") or _values(
        IMD_RANK, period, vintage, lsoas, "value"
    )
