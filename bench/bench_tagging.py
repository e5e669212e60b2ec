"""Priority theme tagging: quality on the labelled evaluation set, and speed.

Quality: precision, recall and F1 per theme, micro- and macro-averaged, of
``placeworks.priorities.tagging.suggest_themes`` against the hand-labelled statements in
``tests/fixtures/priorities/tagging_eval.csv``, separately for the ``test`` split (never used to
tune the lexicon) and the ``dev`` split (used to tune it, so expect it to look better).

Speed: the time to load and compile the lexicon, and to tag 1,000 priorities (the evaluation
statements repeated to 1,000) with a fresh tagger (cold caches) and with a warm one (best of 5).
Goal: 1,000 priorities in well under 5 s on a 2-core machine; aim for under 0.5 s.

Place names: in Placeworks the tagger sets aside the names of the wards and districts it knows
(``placeworks.priorities.suggestions``). The quality tables use the tagger as Placeworks runs
it, with every English ward and district name of the committed ONS lookup (2024) as place
names; the bare tagger's micro-averages are printed beside them, and the speed is measured
with the place names too.

Run: ``.venv/bin/python bench/bench_tagging.py`` (add ``--errors`` to list the test-split
statements where suggestions and labels differ).
"""

from __future__ import annotations

import csv
import gzip
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placeworks.priorities.tagging import (  # noqa: E402
    DEFAULT_LEXICON_PATH,
    THEMES,
    Evaluation,
    Lexicon,
    Tagger,
    evaluate,
)

EVAL_FILE = ROOT / "tests" / "fixtures" / "priorities" / "tagging_eval.csv"
LOOKUP = ROOT / "data" / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz"
N = 1_000
GOAL_SECONDS = 0.5


def load(split: str) -> list[tuple[str, list[str]]]:
    with open(EVAL_FILE, newline="", encoding="utf-8") as handle:
        return [
            (row["text"], row["themes"].split(";"))
            for row in csv.DictReader(handle)
            if row["split"] == split
        ]


def place_names() -> list[str]:
    """Every ward and district name in the committed ONS lookup (England, 2024)."""
    names: set[str] = set()
    with gzip.open(LOOKUP, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            names.update((row["WD24NM"], row["LAD24NM"]))
    return sorted(names)


def placeworks_tagger(names: list[str]) -> Tagger:
    return Tagger(Lexicon.from_file(DEFAULT_LEXICON_PATH).with_places(names))


def report(name: str, result: Evaluation, examples: list[tuple[str, list[str]]]) -> None:
    support = dict.fromkeys(THEMES, 0)
    for _, themes in examples:
        for slug in themes:
            support[slug] += 1
    print(f"\n{name}: {result.statements} statements, {sum(support.values())} labels")
    print(f"  {'theme':<24} {'n':>4} {'prec':>6} {'recall':>6} {'F1':>6}   tp  fp  fn")
    for slug in THEMES:
        p, r, f = result.scores(slug)
        tp, fp, fn = (c.get(slug, 0) for c in (result.tp, result.fp, result.fn))
        print(
            f"  {slug:<24} {support[slug]:>4} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:3d} {fp:3d} {fn:3d}"
        )
    for label, (p, r, f) in (("micro average", result.micro), ("macro average", result.macro)):
        print(f"  {label:<24} {'':>4} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"  exact set match: {result.exact}/{result.statements}")


def timing(names: list[str]) -> None:
    texts = [text for split in ("dev", "test") for text, _ in load(split)]
    texts = (texts * (N // len(texts) + 1))[:N]

    start = time.perf_counter()
    tagger = placeworks_tagger(names)
    compiled = time.perf_counter() - start

    start = time.perf_counter()
    for text in texts:
        tagger.suggest(text)
    cold = time.perf_counter() - start

    warm = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            tagger.suggest(text)
        warm = min(warm, time.perf_counter() - start)

    print(f"\nSpeed ({os.cpu_count()} CPUs reported, one process):")
    print(
        f"  load and compile the lexicon and {len(names):,} place names: {compiled * 1000:.1f} ms"
    )
    print(f"  tag {N:,} priorities, fresh tagger:    {cold * 1000:7.1f} ms")
    print(f"  tag {N:,} priorities, warm (best of 5): {warm * 1000:7.1f} ms")
    verdict = "met" if compiled + cold < GOAL_SECONDS else "NOT met"
    print(f"  goal: load + {N:,} in under {GOAL_SECONDS} s: {verdict}")


def main() -> int:
    names = place_names()
    tagger = placeworks_tagger(names)
    print(f"Tagger as Placeworks runs it: the lexicon and {len(names):,} ward and district names")
    for split in ("test", "dev"):
        examples = load(split)
        report(f"{split} split", evaluate(examples, tagger), examples)
        p, r, f = evaluate(examples, Tagger()).micro
        print(f"  without place names, micro average: {p:.3f} {r:.3f} {f:.3f}")
    if "--errors" in sys.argv:
        print("\nTest-split differences (labelled -> suggested):")
        for text, themes in load("test"):
            explained = tagger.explain(text)
            if {s.slug for s in explained} != set(themes):
                print(f"  {text}\n    labelled:  {', '.join(sorted(themes))}")
                shown = [f"{s.slug} {s.score:.2f} ({', '.join(s.matched)})" for s in explained]
                print(f"    suggested: {'; '.join(shown) or '-'}")
    timing(names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
