"""Theme suggestions for ward and place plan priorities, from a curated lexicon.

A person confirms the themes of each priority; this module only *suggests* them, and says why.
It is pure Python (no Django), offline and fast: the default lexicon is read once from
``tagging_data/lexicon.yaml`` and compiled into lookup tables.

How a statement is tagged:

1. **Tokenise** the text, keeping each word's position so that the explanation can quote the
   original fragment ("fly-tipping", "ASB"). Hyphens, slashes and other punctuation separate
   words; possessives ("men's", "residents'") lose their apostrophe.
2. **Normalise** each word: American and common misspellings to British English (a table in
   the lexicon file), a light suffix stemmer (plurals, ``-ing``, ``-ed``, ``-ation``, a final
   ``e``) so "volunteers", "volunteering" and "volunteer" meet, and a cautious spelling
   correction (one edit, same first two letters, words of six letters or more that the
   lexicon does not know) so "behavour" still reads as "behaviour". Words written in capitals
   are also read as acronyms: ``SEND`` (special educational needs) is not "send".
3. **Join** two adjacent words when, written together, they form a one-word lexicon term
   ("well being" and "well-being" read as "wellbeing", "anti social" as "antisocial"); and
   a two-word term also matches written as one word ("fly-tipping" matches "flytipping").
4. **Set place names aside**: a place name the tagger was given (``Lexicon.places``, and in
   Placeworks the names of wards, districts and other areas), written with capitals as a proper
   noun, takes its words without suggesting anything, so the "Oak Tree" ward is not about
   trees and "Forest Town" is not a forest. Written in lower case ("plant an oak tree") the
   words count as usual; a one-word name opening a sentence is read as an ordinary word.
5. **Match** lexicon terms, longest first: a phrase takes its words, so "car park" is not a
   park and "school holidays" is not about schooling. Neutral phrases ("at home") take words
   without suggesting anything.
6. **Score** each theme from the weights of its distinct matched terms,
   ``score = 1 - exp(-sum of weights)``, in (0, 1): one strong term (weight 3) gives 0.95, a
   weak one (0.5) gives 0.39. A term is ignored when one of its ``not_with`` phrases occurs
   anywhere in the statement ("resilience" is emotional resilience, not community resilience,
   next to "emotional"). Themes scoring at least the threshold (0.5 by default) are suggested,
   with the score rounded to three places.

The explanation is honest by construction: ``matched`` lists exactly the fragments whose
weights made up the score.

>>> [slug for slug, _ in suggest_themes("Tackle fly-tipping and dog fouling on the estate")]
['environment']
>>> explain_themes("Reduce ASB in the town centre")[0].matched
('ASB',)
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "DEFAULT_LEXICON_PATH",
    "THEMES",
    "Lexicon",
    "Tagger",
    "Term",
    "ThemeSuggestion",
    "Evaluation",
    "default_tagger",
    "evaluate",
    "explain_themes",
    "parse_keywords",
    "stem",
    "suggest_themes",
]

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "tagging_data" / "lexicon.yaml"

#: The default theme vocabulary, slug -> label, in display order. Slugs are stable: other code
#: relies on them (they match ``placeworks.themes.defaults``).
THEMES: Mapping[str, str] = MappingProxyType(
    {
        "environment": "Environment",
        "community-safety": "Crime and community safety",
        "community-resilience": "Community resilience and infrastructure",
        "cost-of-living": "Cost of living",
        "children-young-people": "Children, young people and families",
        "transport-road-safety": "Transport and road safety",
        "health-wellbeing": "Physical health and wellbeing",
        "mental-health": "Mental health",
        "older-people": "Older people",
        "loneliness-isolation": "Loneliness and isolation",
        "employment-economy": "Employment and the economy",
        "housing": "Housing and tenancies",
        "planning": "Planning",
        "culture-leisure-sport": "Culture, leisure, sport and green spaces",
        "community-groups": "Supporting local community groups",
        "covid-recovery": "COVID-19 recovery",
        "education-skills": "Education and skills",
    }
)

DEFAULT_THRESHOLD = 0.5
#: Weight given to an admin's keyword when none is written beside it (scores 0.78 alone).
DEFAULT_KEYWORD_WEIGHT = 1.5
_MIN_FUZZY_LENGTH = 6
_CACHE_LIMIT = 100_000  # words remembered per tagger (stems and spelling corrections)

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*")
_ROAD_NUMBER = re.compile(r"^[ABM][0-9]{1,4}$")
_VOWELS = frozenset("aeiou")
ROAD_KEY = "#road"  # the lexicon's name for any UK road number (A633, B6089, M1)


# --- stemming ------------------------------------------------------------------------------


def stem(word: str, exceptions: Mapping[str, str] | None = None) -> str:
    """Reduce a lower-case English word to a crude stem, British spellings in mind.

    Light and predictable rather than linguistically right: plurals (``-s``, ``-es``,
    ``-ies``), ``-ing`` and ``-ed`` (undoubling "tipping" to "tip", restoring the ``e`` of
    "living" to "live"), ``-ation`` to ``-at`` and a final ``e`` on longer words, so that the
    forms of one word meet. ``exceptions`` maps words to fixed stems (the lexicon keeps
    "parking" apart from "park" and "planning" apart from "plan").

    >>> [stem(w) for w in ("volunteers", "volunteering", "volunteered", "volunteer")]
    ['volunteer', 'volunteer', 'volunteer', 'volunteer']
    >>> [stem(w) for w in ("tipping", "communities", "isolated", "isolation", "living")]
    ['tip', 'community', 'isolat', 'isolat', 'live']
    """
    if exceptions and word in exceptions:
        return exceptions[word]
    w = word
    if len(w) <= 3:
        return w
    # plurals
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("ches", "shes", "xes", "zes")) or (w.endswith("ses") and len(w) > 5):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if exceptions and w in exceptions:
        return exceptions[w]
    # verb endings
    base = ""
    if w.endswith("ing"):
        base = w[:-3]
    elif w.endswith("ed") and not w.endswith("eed"):
        base = w[:-2]
    if len(base) >= 3 and _VOWELS.intersection(base):
        if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "lsz" + "aeiou":
            base = base[:-1]
        elif _short_cvc(base):
            base += "e"
        w = base
    if w.endswith("ation") and len(w) >= 9:
        w = w[:-3]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _short_cvc(word: str) -> bool:
    """True for a one-syllable stem ending consonant-vowel-consonant ("liv", "car", "hop")."""
    if len(word) < 3 or word[-1] in "aeiouwxy" or word[-2] not in "aeiou":
        return False
    if word[-3] in "aeiou":
        return False
    groups, previous = 0, False
    for ch in word:
        vowel = ch in "aeiouy"
        if vowel and not previous:
            groups += 1
        previous = vowel
    return groups == 1


# --- the lexicon ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One piece of evidence for a theme: a word or phrase, its weight and its vetoes."""

    weight: float
    not_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """A theme vocabulary with the words and phrases that suggest each theme.

    ``terms`` maps slug -> term text -> ``Term``. Terms are written as a person would write
    them ("fly-tipping", "free school meals"); capitals mark acronyms that must be written in
    capitals to count ("SEND"); ``#road`` stands for any road number such as "A633".
    """

    labels: Mapping[str, str]
    terms: Mapping[str, Mapping[str, Term]]
    threshold: float = DEFAULT_THRESHOLD
    spelling: Mapping[str, str] = field(default_factory=dict)
    stem_exceptions: Mapping[str, str] = field(default_factory=dict)
    neutral: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @classmethod
    def from_file(cls, path: str | Path) -> Lexicon:
        """Read a lexicon from a YAML (or JSON, a subset of YAML) file."""
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lexicon:
        """Build a lexicon from the structure of ``tagging_data/lexicon.yaml``.

        >>> lexicon = Lexicon.from_dict({"themes": {"allotments": {
        ...     "label": "Allotments", "terms": {"allotment": 2, "plot": {"weight": 0.5}}}}})
        >>> lexicon.terms["allotments"]["plot"]
        Term(weight=0.5, not_with=())
        """
        labels: dict[str, str] = {}
        terms: dict[str, dict[str, Term]] = {}
        for slug, spec in (data.get("themes") or {}).items():
            if not isinstance(spec, Mapping) or not isinstance(slug, str):
                raise ValueError(f"theme {slug!r}: expected a mapping with a label and terms")
            labels[slug] = str(spec.get("label") or slug)
            terms[slug] = {}
            for text, value in (spec.get("terms") or {}).items():
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"theme {slug!r}: term {text!r} must be text")
                terms[slug][text] = _term(value, where=f"theme {slug!r}, term {text!r}")
        return cls(
            labels=labels,
            terms=terms,
            threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
            spelling={str(k): str(v) for k, v in (data.get("spelling") or {}).items()},
            stem_exceptions={
                str(k): str(v) for k, v in (data.get("stem_exceptions") or {}).items()
            },
            neutral=tuple(str(t) for t in data.get("neutral") or ()),
            places=tuple(str(t) for t in data.get("places") or ()),
        )

    def with_theme(
        self,
        slug: str,
        label: str | None = None,
        keywords: str | Iterable[str] | Mapping[str, float] = (),
        *,
        weight: float = DEFAULT_KEYWORD_WEIGHT,
    ) -> Lexicon:
        """A copy with a theme added (or, if ``slug`` exists, its keywords extended).

        ``keywords`` is a ``Theme.keywords`` text (one per line, optionally ``term | weight``),
        a list of terms (each given ``weight``) or a mapping of term to weight.

        >>> lexicon = Lexicon.from_dict({"themes": {}}).with_theme(
        ...     "allotments", "Allotments", "allotment\\ngrowing spaces | 1")
        >>> sorted(lexicon.terms["allotments"])
        ['allotment', 'growing spaces']
        """
        if isinstance(keywords, str):
            new = parse_keywords(keywords, weight=weight)
        elif isinstance(keywords, Mapping):
            new = {str(k): Term(float(v)) for k, v in keywords.items()}
        else:
            new = {str(k): Term(weight) for k in keywords}
        labels = dict(self.labels)
        labels[slug] = label or labels.get(slug, slug)
        terms = {s: dict(t) for s, t in self.terms.items()}
        terms.setdefault(slug, {}).update(new)
        return Lexicon(
            labels=labels,
            terms=terms,
            threshold=self.threshold,
            spelling=self.spelling,
            stem_exceptions=self.stem_exceptions,
            neutral=self.neutral,
            places=self.places,
        )

    def with_places(self, names: Iterable[str]) -> Lexicon:
        """A copy that also sets aside these place names (see the module docstring).

        >>> lexicon = Lexicon.from_dict({"themes": {}}).with_places(["Oak Tree", "Forest Town"])
        >>> lexicon.places
        ('Oak Tree', 'Forest Town')
        """
        added = tuple(dict.fromkeys(n for n in names if n and n.strip() and n not in self.places))
        return dataclasses.replace(self, places=self.places + added)


def _term(value: Any, *, where: str) -> Term:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Term(float(value))
    if isinstance(value, Mapping) and "weight" in value:
        not_with = value.get("not_with") or ()
        if isinstance(not_with, str):
            not_with = (not_with,)
        return Term(float(value["weight"]), tuple(str(p) for p in not_with))
    raise ValueError(f"{where}: expected a weight or {{weight: ..., not_with: [...]}}")


def parse_keywords(text: str, *, weight: float = DEFAULT_KEYWORD_WEIGHT) -> dict[str, Term]:
    """Read keywords written one per line, with an optional ``| weight`` after each.

    This is the format of ``Theme.keywords`` in the admin; blank lines and lines starting
    with ``#`` are skipped.

    >>> parse_keywords("skips\\nbulky waste | 2")
    {'skips': Term(weight=1.5, not_with=()), 'bulky waste': Term(weight=2.0, not_with=())}
    """
    terms: dict[str, Term] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, given = line.partition("|")
        try:
            terms[phrase.strip()] = Term(float(given) if given.strip() else weight)
        except ValueError:
            raise ValueError(
                f"keyword line {line!r}: the weight after '|' is not a number"
            ) from None
    return terms


# --- suggestions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSuggestion:
    """A suggested theme: its slug and label, a score in (0, 1], and the evidence.

    ``matched`` holds the fragments of the statement, as written and in reading order, whose
    weights made up the score: the UI shows "because: fly-tipping, litter".
    """

    slug: str
    label: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _Token:
    keys: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True)
class _Entry:
    keys: tuple[str, ...]
    weights: tuple[tuple[str, float, tuple[tuple[str, ...], ...]], ...]  # slug, weight, vetoes


class Tagger:
    """Suggests themes for priority statements from a lexicon (the default one if none given).

    An admin-added theme with its keywords, beside the default ones:

    >>> lexicon = Lexicon.from_file(DEFAULT_LEXICON_PATH)
    >>> tagger = Tagger(lexicon.with_theme("dark-skies", "Dark skies", "dark skies | 3"))
    >>> tagger.suggest("Protect our dark skies")
    [('dark-skies', 0.95)]
    """

    def __init__(
        self,
        lexicon: Lexicon | Mapping[str, Any] | str | Path | None = None,
        *,
        threshold: float | None = None,
    ) -> None:
        if lexicon is None:
            lexicon = Lexicon.from_file(DEFAULT_LEXICON_PATH)
        elif isinstance(lexicon, str | Path):
            lexicon = Lexicon.from_file(lexicon)
        elif not isinstance(lexicon, Lexicon):
            lexicon = Lexicon.from_dict(lexicon)
        self.lexicon = lexicon
        self.threshold = lexicon.threshold if threshold is None else threshold
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.themes: Mapping[str, str] = MappingProxyType(dict(lexicon.labels))
        self._spelling = {k.lower(): v.lower() for k, v in lexicon.spelling.items()}
        self._exceptions = dict(lexicon.stem_exceptions)
        self._stems: dict[str, str] = {}
        self._compile()
        self._places: dict[str, set[tuple[str, ...]]] = {}
        self._longest_place = 0
        for name in lexicon.places:
            key = _place_key(w for w, _, _ in _words(name))
            if key:
                self._places.setdefault(key[0], set()).add(key)
                self._longest_place = max(self._longest_place, len(key))

    # compilation ---------------------------------------------------------------------------

    def _compile(self) -> None:
        raw_terms: list[tuple[str, str, Term]] = [
            (slug, text, term)
            for slug, terms in self.lexicon.terms.items()
            for text, term in terms.items()
        ]
        phrases = [text for _, text, _ in raw_terms] + list(self.lexicon.neutral)
        # Words the lexicon writes as one ("antisocial", "wellbeing", "foodbank"): two words in
        # a statement that join up into one of them are read as one ("anti social").
        # Two-word terms also match written as one ("fly-tipping" matches "flytipping").
        self._compounds: set[str] = set()
        self._vocabulary: set[str] = set()
        joined_form: dict[str, str] = {}
        for text in phrases:
            words = [w for w, _, _ in _words(text)]
            plain = [w.lower() for w in words if not _is_acronym_form(w)]
            self._vocabulary.update(self._stem(w) for w in plain)
            if len(words) == 1 and plain and text.strip().isalnum():
                self._compounds.add(self._stem(plain[0]))
            elif len(words) == 2 and len(plain) == 2 and "".join(plain).isalpha():
                joined_form[text] = self._stem("".join(plain))
        self._vocabulary.update(joined_form.values())
        self._deletions: dict[str, set[str]] = {}
        for word in self._vocabulary:
            if len(word) >= _MIN_FUZZY_LENGTH and word.isalpha():
                for variant in _deletions(word):
                    self._deletions.setdefault(variant, set()).add(word)
        self._fuzzy: dict[str, str | None] = {}

        grouped: dict[tuple[str, ...], dict[str, tuple[float, tuple[tuple[str, ...], ...]]]] = {}
        joined: list[tuple[tuple[str, ...], str, float, tuple[tuple[str, ...], ...]]] = []
        for slug, text, term in raw_terms:
            keys = self._term_keys(text)
            if not keys:
                raise ValueError(f"theme {slug!r}: term {text!r} has no words")
            if not term.weight > 0:
                raise ValueError(
                    f"theme {slug!r}: term {text!r} needs a positive weight "
                    "(use not_with to stop a term counting)"
                )
            vetoes = tuple(self._term_keys(p) for p in term.not_with)
            found = grouped.setdefault(keys, {})
            if slug in found:
                raise ValueError(
                    f"theme {slug!r}: term {text!r} reads the same as another of its terms "
                    f"({' '.join(keys)}); keep one"
                )
            found[slug] = (term.weight, vetoes)
            if text in joined_form:
                joined.append(((joined_form[text],), slug, term.weight, vetoes))
        for keys, slug, weight, vetoes in joined:
            grouped.setdefault(keys, {}).setdefault(slug, (weight, vetoes))
        for text in self.lexicon.neutral:
            grouped.setdefault(self._term_keys(text), {})
        self._by_first: dict[str, list[_Entry]] = {}
        for keys, weights in grouped.items():
            entry = _Entry(keys, tuple((slug, w, v) for slug, (w, v) in weights.items()))
            self._by_first.setdefault(keys[0], []).append(entry)

    def _term_keys(self, text: str) -> tuple[str, ...]:
        """The key sequence of a lexicon term: one key per (joined) word."""
        if text.strip() == ROAD_KEY:
            return (ROAD_KEY,)
        return tuple(min(t.keys) for t in self._tokens(text, lexicon_term=True))

    # tokenising ----------------------------------------------------------------------------

    def _stem(self, word: str) -> str:
        cached = self._stems.get(word)
        if cached is None:
            if len(self._stems) > _CACHE_LIMIT:  # bounded in a long-running process
                self._stems.clear()
            cached = stem(self._spelling.get(word, word), self._exceptions)
            self._stems[word] = cached
        return cached

    def _correct(self, word: str) -> str:
        """A lexicon word one edit away from an unknown word, if there is exactly one."""
        if word in self._fuzzy:
            return self._fuzzy[word] or word
        if len(self._fuzzy) > _CACHE_LIMIT:
            self._fuzzy.clear()
        found: set[str] = set()
        if len(word) >= _MIN_FUZZY_LENGTH and word.isalpha():
            for variant in (word, *_deletions(word)):
                found.update(self._deletions.get(variant, ()))
            found = {w for w in found if w[:2] == word[:2]}
        result = found.pop() if len(found) == 1 else None
        self._fuzzy[word] = result
        return result or word

    def _tokens(self, text: str, *, lexicon_term: bool = False) -> list[_Token]:
        """Words of ``text`` as sets of lookup keys, joining two-word compounds.

        In a statement a word's keys are its stem, its spelling correction (if any) and, when
        written in capitals, its acronym; in a lexicon term capitals mean the acronym only.
        """
        words = _words(text)
        tokens: list[_Token] = []
        i = 0
        while i < len(words):
            raw, start, end = words[i]
            acronym = _is_acronym_form(raw) and not raw.isdigit()
            if i + 1 < len(words):
                joined = self._stem(raw.lower() + words[i + 1][0].lower())
                if joined in self._compounds:
                    tokens.append(_Token(frozenset({joined}), start, words[i + 1][2]))
                    i += 2
                    continue
            if lexicon_term:
                keys = {_acronym_key(raw) if acronym else self._stem(raw.lower())}
            else:
                word = self._stem(raw.lower())
                keys = {word, self._correct(word)} if word not in self._vocabulary else {word}
                if acronym:
                    keys.add(_acronym_key(raw))
                    if _ROAD_NUMBER.match(raw):
                        keys.add(ROAD_KEY)
            tokens.append(_Token(frozenset(keys), start, end))
            i += 1
        return tokens

    # matching ------------------------------------------------------------------------------

    def explain(self, text: str) -> list[ThemeSuggestion]:
        """Suggested themes for ``text``, best first, each with the fragments that led to it.

        >>> [(s.slug, s.matched) for s in Tagger().explain("Reduce litter and fly-tipping")]
        [('environment', ('litter', 'fly-tipping'))]
        """
        if not text or not text.strip():
            return []
        # Place names are blanked out with spaces, so every span still points into ``text``.
        tokens = self._tokens(self._mask_places(text) if self._places else text)
        n = len(tokens)
        candidates: list[tuple[int, int, _Entry]] = []
        for i, token in enumerate(tokens):
            for key in token.keys:
                for entry in self._by_first.get(key, ()):
                    size = len(entry.keys)
                    if i + size <= n and all(
                        entry.keys[j] in tokens[i + j].keys for j in range(1, size)
                    ):
                        candidates.append((size, i, entry))
        if not candidates:
            return []
        # Longest first, then leftmost, then heaviest: a phrase takes its words.
        candidates.sort(key=lambda c: (-c[0], c[1], -sum(w for _, w, _ in c[2].weights)))
        taken = [False] * n
        chosen: list[tuple[int, _Entry]] = []
        for size, i, entry in candidates:
            if not any(taken[i : i + size]):
                taken[i : i + size] = [True] * size
                chosen.append((i, entry))
        chosen.sort(key=lambda c: c[0])

        evidence: dict[str, dict[tuple[str, ...], tuple[float, str]]] = {}
        for i, entry in chosen:
            fragment = text[tokens[i].start : tokens[i + len(entry.keys) - 1].end]
            for slug, weight, vetoes in entry.weights:
                if vetoes and any(_occurs(veto, tokens) for veto in vetoes):
                    continue
                found = evidence.setdefault(slug, {})
                if entry.keys not in found:  # a term repeated counts once
                    found[entry.keys] = (weight, fragment)
        suggestions = []
        for slug, found in evidence.items():
            score = 1.0 - math.exp(-sum(weight for weight, _ in found.values()))
            if score > 0 and score >= self.threshold:
                matched = tuple(dict.fromkeys(fragment for _, fragment in found.values()))
                shown = max(round(score, 3), 0.001)
                suggestions.append(ThemeSuggestion(slug, self.themes[slug], shown, matched))
        order = {slug: n for n, slug in enumerate(self.themes)}
        suggestions.sort(key=lambda s: (-s.score, order[s.slug]))
        return suggestions

    def _mask_places(self, text: str) -> str:
        """``text`` with the place names it mentions (written with capitals) blanked out."""
        words = [
            (raw, start, end)
            for raw, start, end in _words(text)
            if raw.lower() not in _PLACE_CONNECTORS
        ]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            found = 0
            raw, start, _ = words[i]
            if raw[0].isupper() and (first := _place_word(raw)) in self._places:
                names = self._places[first]
                for size in range(min(self._longest_place, len(words) - i), 0, -1):
                    run = words[i : i + size]
                    if not all(w[0][0].isupper() or w[0].isdigit() for w in run):
                        continue
                    if _place_key(w[0] for w in run) not in names:
                        continue
                    if size == 1 and _opens_sentence(text, start):
                        continue
                    found = size
                    break
            if found:
                spans.append((start, words[i + found - 1][2]))
                i += found
            else:
                i += 1
        if not spans:
            return text
        chars = list(text)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def suggest(self, text: str) -> list[tuple[str, float]]:
        """``(slug, score)`` pairs for ``text``, best first; empty when nothing is suggested.

        >>> Tagger().suggest("The meeting will be held on Tuesday")
        []
        """
        return [(s.slug, s.score) for s in self.explain(text)]


def _words(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans; curly apostrophes straightened, possessives dropped."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    found = []
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if "'" in word:
            head, _, tail = word.partition("'")
            word = head if tail.lower() == "s" else word.replace("'", "")
        found.append((word, start, end))
    return found


# Small words that may sit in lower case inside a place name ("Sutton in Ashfield",
# "Kirkby Cross and Portland"); they are skipped on both sides, so "&" matches "and".
_PLACE_CONNECTORS = frozenset({"and", "in", "on", "upon", "of", "the", "le", "de", "by"})


def _place_word(word: str) -> str:
    lower = word.lower()
    return "st" if lower == "saint" else lower


def _place_key(words: Iterable[str]) -> tuple[str, ...]:
    """A place name as lower-case words without connectors: "St. Mary's and Oak" -> st, mary, oak."""
    return tuple(_place_word(w) for w in words if w.lower() not in _PLACE_CONNECTORS)


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` is the first of the text or of a sentence or item."""
    before = text[:start].rstrip()
    if not before or "\n" in text[len(before) : start] or before[-1] in ".!?:;\u2022*":
        return True
    line = before.rpartition("\n")[2]
    return line.strip() in {"-", "\u2013"}  # a dash bullet


def _is_acronym_form(word: str) -> bool:
    """Written in capitals (two or more), allowing a plural s: "ASB", "PCSOs", "A633"."""
    core = word[:-1] if len(word) > 2 and word.endswith("s") else word
    return len(core) >= 2 and core.isupper()


def _acronym_key(word: str) -> str:
    core = word[:-1] if len(word) > 2 and word.endswith("s") and word[:-1].isupper() else word
    return core.upper()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _occurs(keys: tuple[str, ...], tokens: list[_Token]) -> bool:
    size = len(keys)
    return any(
        all(keys[j] in tokens[i + j].keys for j in range(size))
        for i in range(len(tokens) - size + 1)
    )


@cache
def default_tagger() -> Tagger:
    """The tagger for the default lexicon, built once per process."""
    return Tagger()


def suggest_themes(text: str) -> list[tuple[str, float]]:
    """Theme slugs for a priority statement with scores in (0, 1], best first.

    Only themes scoring at least the lexicon's threshold are returned, so text with no signal
    (or empty text) gives an empty list.

    >>> [slug for slug, _ in suggest_themes("Reduce ASB and support young people")]
    ['community-safety', 'children-young-people']
    >>> suggest_themes("   ")
    []
    """
    return default_tagger().suggest(text)


def explain_themes(text: str) -> list[ThemeSuggestion]:
    """Suggested themes for a priority statement with the words and phrases that led to each.

    >>> [(s.slug, s.matched) for s in explain_themes("Volunteers to run a befriending service")]
    [('loneliness-isolation', ('befriending',)), ('community-groups', ('Volunteers',))]
    """
    return default_tagger().explain(text)


# --- evaluation ----------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Suggestions counted against confirmed themes: per theme, true and false positives and
    false negatives, with precision, recall and F1 per theme, micro- and macro-averaged."""

    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    exact: int = 0  # statements whose suggested set equals the confirmed set

    def add(self, confirmed: Iterable[str], suggested: Iterable[str]) -> None:
        """Count one statement."""
        gold, pred = set(confirmed), set(suggested)
        for slug in gold | pred:
            for counter, hit in (
                (self.tp, gold & pred),
                (self.fp, pred - gold),
                (self.fn, gold - pred),
            ):
                if slug in hit:
                    counter[slug] = counter.get(slug, 0) + 1
        self.statements += 1
        self.exact += gold == pred

    def scores(self, slug: str) -> tuple[float, float, float]:
        """Precision, recall and F1 for one theme (0 where undefined)."""
        return _prf(self.tp.get(slug, 0), self.fp.get(slug, 0), self.fn.get(slug, 0))

    @property
    def themes(self) -> list[str]:
        """Themes that were confirmed or suggested at least once."""
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    @property
    def micro(self) -> tuple[float, float, float]:
        """Precision, recall and F1 over all (statement, theme) decisions."""
        return _prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    @property
    def macro(self) -> tuple[float, float, float]:
        """Unweighted means of the per-theme precision, recall and F1."""
        per_theme = [self.scores(slug) for slug in self.themes]
        if not per_theme:
            return (0.0, 0.0, 0.0)
        p, r, f = (sum(values) / len(per_theme) for values in zip(*per_theme, strict=True))
        return (p, r, f)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (precision, recall, f1)


def evaluate(
    examples: Iterable[tuple[str, Iterable[str]]], tagger: Tagger | None = None
) -> Evaluation:
    """Compare suggestions with confirmed themes for ``(text, confirmed slugs)`` pairs.

    >>> result = evaluate([("Reduce litter", ["environment"]), ("Reduce ASB", ["housing"])])
    >>> result.micro
    (0.5, 0.5, 0.5)
    >>> result.scores("environment")
    (1.0, 1.0, 1.0)
    """
    tagger = tagger or default_tagger()
    result = Evaluation()
    for text, confirmed in examples:
        result.add(confirmed, (slug for slug, _ in tagger.suggest(text)))
    return result
