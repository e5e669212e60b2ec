"""Theme suggestions against the themes in the database.

The tagging engine (``tagging.py``) knows the default vocabulary. Administrators can rename
themes, add themes and give any theme extra keywords (``Theme.keywords``); this module builds a
tagger that includes those keywords, rebuilt only when the themes change, and answers with the
database's theme names. Suggestions for slugs that are not in the database are dropped.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import asdict, dataclass

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


_lock = threading.Lock()
_cached: tuple[str, Tagger, dict[str, str]] | None = None


def _themes() -> list[tuple[str, str, str]]:
    return list(Theme.objects.order_by("order", "name").values_list("slug", "name", "keywords"))


def tagger() -> tuple[Tagger, dict[str, str]]:
    """The tagger for the current themes, and their names by slug (one small query)."""
    global _cached
    themes = _themes()
    fingerprint = hashlib.sha256(repr(themes).encode()).hexdigest()
    names = {slug: name for slug, name, _ in themes}
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1], names
        extra = [(slug, name, keywords) for slug, name, keywords in themes if keywords.strip()]
        if not extra:
            built = default_tagger()
        else:
            lexicon = Lexicon.from_file(DEFAULT_LEXICON_PATH)
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
