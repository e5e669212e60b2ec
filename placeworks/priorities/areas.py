"""Finding the areas plans are for: by GSS code, or by name within a parent district.

Ward plans name their wards loosely ("Sutton St Mary's Ward", "Kirkby Cross and Portland"), so
names are compared on a normal form: lower case, "&" read as "and", "Saint" as "St",
punctuation and the words "ward" and "ward plan" dropped. Unknown names and codes come back with
the closest candidate as a suggestion.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from placeworks.places import queries as places
from placeworks.places.models import Area, AreaType

_NOISE = re.compile(r"\b(wards?|plans?|neighbourhood plans?|priorities)\b")


def name_key(name: str) -> str:
    """A normal form of an area name for matching.

    >>> name_key("Sutton St. Mary's Ward")
    'sutton st marys'
    >>> name_key("Annesley and Kirkby Woodhouse") == name_key("Annesley & Kirkby Woodhouse")
    True
    """
    text = (name or "").lower().replace("&", " and ").replace("’", "'").replace("'", "")
    text = re.sub(r"\d{4}\s*[/\-–—]\s*\d{2,4}", " ", text)  # a year: "Bancroft 2025/26"
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\bsaint\b", "st", text)
    text = _NOISE.sub(" ", text)
    return " ".join(text.split())


def find_area(code: str, types: Iterable[str] | None = None) -> Area | None:
    """The active area with this code (of one of ``types`` when given), by the places app."""
    if types is None:
        return places.find_area(code)
    for area_type in types:
        area = places.find_area(code, type=area_type)
        if area is not None:
            return area
    return None


def within(parent: Area, types: Iterable[str]) -> QuerySet[Area]:
    """Areas of ``types`` (each at its current vintage) anywhere inside ``parent``."""
    condition = Q()
    for area_type in types:
        condition |= Q(pk__in=places.descendants(parent, area_type).values("pk"))
    return Area.objects.filter(condition) if condition else Area.objects.none()


@dataclass(frozen=True)
class Match:
    area: Area | None
    message: str = ""  # why there is no match, with a suggestion when one is close


class AreaMatcher:
    """Matches names and codes in an import file to areas of the plan types.

    With a ``parent`` (a district or PLACE area) names are looked up among the areas inside it;
    without one, among every active area of the plan types (a name found in several districts
    is reported as ambiguous).
    """

    def __init__(self, types: Iterable[str], parent: Area | None = None):
        self.types = list(types)
        self.parent = parent
        self._by_code: dict[str, Area] = {}
        self._names: dict[str, list[Area]] | None = None
        self._inside_ids: set[int] | None = None

    @property
    def scope(self) -> str:
        if self.parent is not None:
            return f"in {self.parent.name}"
        return "in Placeworks"

    def load_codes(self, codes: Iterable[str]) -> None:
        """Fetch every code the file uses in one query."""
        wanted = {c.strip() for c in codes if c and c.strip()}
        if not wanted:
            return
        best: dict[str, Area] = {}
        for area in Area.objects.filter(code__in=wanted, type__in=self.types):
            current = best.get(area.code)
            if current is None or (area.is_active, area.vintage) > (
                current.is_active,
                current.vintage,
            ):
                best[area.code] = area
        self._by_code.update(best)

    def _candidates(self) -> dict[str, list[Area]]:
        if self._names is None:
            if self.parent is not None:
                areas: QuerySet[Area] = within(self.parent, self.types)
            else:
                areas = Area.objects.filter(type__in=self.types, is_active=True)
            names: dict[str, list[Area]] = defaultdict(list)
            for area in areas.only("id", "code", "name", "type", "vintage", "is_active"):
                names[name_key(area.name)].append(area)
            for key, found in names.items():
                # The same ward in several boundary vintages: keep the latest.
                by_code: dict[str, Area] = {}
                for area in sorted(found, key=lambda a: (a.is_active, a.vintage)):
                    by_code[area.code] = area
                names[key] = list(by_code.values())
            self._names = dict(names)
        return self._names

    def by_code(self, code: str) -> Match:
        code = code.strip()
        if code not in self._by_code:
            self.load_codes([code])
        area = self._by_code.get(code)
        if area is not None:
            if self.parent is not None and not self._inside(area):
                return Match(None, f"‘{code}’ ({area.name}) is not {self.scope}.")
            return Match(area)
        other = Area.objects.filter(code=code).first()
        if other is not None:
            return Match(
                None,
                f"‘{code}’ is {other.name}, a {other.get_type_display().lower()}, not a "
                f"{self.type_names()}.",
            )
        return Match(None, f"no {self.type_names()} has the code ‘{code}’.")

    def _inside(self, area: Area) -> bool:
        if self._inside_ids is None:
            self._inside_ids = {a.pk for found in self._candidates().values() for a in found}
        return area.pk in self._inside_ids

    def by_name(self, name: str) -> Match:
        key = name_key(name)
        if not key:
            return Match(None, "the area name is empty.")
        candidates = self._candidates()
        found = candidates.get(key, [])
        if len(found) == 1:
            return Match(found[0])
        if len(found) > 1:
            codes = ", ".join(sorted(a.code for a in found)[:5])
            return Match(
                None,
                f"‘{name}’ matches {len(found)} areas ({codes}): use the area code, or choose "
                "the district the areas are in.",
            )
        close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
        message = f"no {self.type_names()} called ‘{name}’ {self.scope}"
        if close:
            suggestion = candidates[close[0]][0]
            message += f"; did you mean ‘{suggestion.name}’ ({suggestion.code})?"
        elif not candidates:
            message += " (no areas of these kinds are loaded there)"
        return Match(None, message + ("" if message.endswith("?") else "."))

    def type_names(self) -> str:
        labels = {
            AreaType.WARD: "ward",
            AreaType.NEIGHBOURHOOD: "neighbourhood",
            AreaType.PLACE: "PLACE area",
            AreaType.LAD: "district",
        }
        names = [labels.get(AreaType(t), t) for t in self.types]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
