"""Theme suggestions against the themes in the database.

The tagging engine (``tagging.py``) knows the default vocabulary. Administrators can rename
themes, add themes and give any theme extra keywords (``Theme.keywords``); this module builds a
tagger that includes those keywords, rebuilt only when the themes change, and answers with the
database's theme names. Suggestions for slugs that are not in the database are dropped.

The names of the places Placeworks knows (wards, neighbourhoods, PLACE areas, districts and
counties) are given to the tagger as place names, so a priority for the "Oak Tree" ward is not
read as being about trees (see ``tagging``'s docstring).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import asdict, dataclass

from django.db.models import Count, Max, Min, QuerySet

from placeworks.places.models import Area, AreaType
from placeworks.themes.models import Theme

from .tagging import DEFAULT_LEXICON_PATH, Lexicon, Tagger, ThemeSuggestion, default_tagger

# Longer texts are cut here before tagging: a priority is a sentence or a short paragraph.
MAX_TEXT = 5000


@dataclass(frozen=True)
class Suggestion:
    slug: str
    label: str
    score: float
    matched: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "matched": list(self.matched)}


# Areas whose names are set aside as place names. Statistical areas (LSOA, MSOA) have
# generated names ("Mansfield 001A"); GP practices and health bodies have names that are
# services ("Oakwood Surgery"), not places.
PLACE_NAME_TYPES = (
    AreaType.WARD,
    AreaType.NEIGHBOURHOOD,
    AreaType.PLACE,
    AreaType.LAD,
    AreaType.COUNTY,
)

_lock = threading.Lock()
_cached: tuple[str, Tagger, dict[str, str]] | None = None


def _themes() -> list[tuple[str, str, str]]:
    return list(Theme.objects.order_by("order", "name").values_list("slug", "name", "keywords"))


def _places() -> QuerySet[Area]:
    return Area.objects.filter(type__in=PLACE_NAME_TYPES)


def _places_fingerprint() -> str:
    """Changes when an area of those kinds is added or removed (one aggregate query).

    A renamed area is picked up when the set of areas next changes or the process restarts.
    """
    found = _places().aggregate(n=Count("pk"), last=Max("pk"), a=Min("name"), z=Max("name"))
    return repr(sorted(found.items()))


def tagger() -> tuple[Tagger, dict[str, str]]:
    """The tagger for the current themes and places, and the theme names by slug (two small
    queries; the tagger is rebuilt only when the themes or the set of places change)."""
    global _cached
    themes = _themes()
    places = _places_fingerprint()
    fingerprint = hashlib.sha256(repr((themes, places)).encode()).hexdigest()
    names = {slug: name for slug, name, _ in themes}
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1], names
        extra = [(slug, name, keywords) for slug, name, keywords in themes if keywords.strip()]
        place_names = list(_places().values_list("name", flat=True).distinct())
        if not extra and not place_names:
            built = default_tagger()
        else:
            lexicon = Lexicon.from_file(DEFAULT_LEXICON_PATH).with_places(place_names)
            for slug, name, keywords in extra:
                lexicon = lexicon.with_theme(slug, name, keywords)
            built = Tagger(lexicon)
        _cached = (fingerprint, built, names)
        return built, names


def suggest(text: str) -> list[Suggestion]:
    """Suggested themes for a priority statement, best first, with the words that led to each.

    Only themes present in the database are returned, labelled with their database names.
    """
    return suggest_many([text])[0]


def suggest_many(texts: list[str]) -> list[list[Suggestion]]:
    """Suggestions for several statements, with one query for the themes."""
    built, names = tagger()
    results = []
    for text in texts:
        found: list[ThemeSuggestion] = built.explain((text or "")[:MAX_TEXT])
        results.append(
            [
                Suggestion(s.slug, names[s.slug], s.score, tuple(s.matched))
                for s in found
                if s.slug in names
            ]
        )
    return results
