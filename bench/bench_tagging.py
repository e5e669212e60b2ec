"""Priority theme tagging: quality on the labelled evaluation set, and speed.

Quality: precision, recall and F1 per theme, micro- and macro-averaged, of
``placeworks.priorities.tagging.suggest_themes`` against the hand-labelled statements in
``tests/fixtures/priorities/tagging_eval.csv``, separately for the ``test`` split (never used to
tune the lexicon) and the ``dev`` split (used to tune it, so expect it to look better).

Speed: the time to load and compile the lexicon, and to tag 1,000 priorities (the evaluation
statements repeated to 1,000) with a fresh tagger (cold caches) and with a warm one (best of 5).
Goal: 1,000 priorities in well under 5 s on a 2-core machine; aim for under 0.5 s.

Run: ``.venv/bin/python bench/bench_tagging.py`` (add ``--errors`` to list the test-split
statements where suggestions and labels differ).
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placeworks.priorities.tagging import THEMES, Evaluation, Tagger, evaluate  # noqa: E402

EVAL_FILE = ROOT / "tests" / "fixtures" / "priorities" / "tagging_eval.csv"
N = 1_000
GOAL_SECONDS = 0.5


def load(split: str) -> list[tuple[str, list[str]]]:
    with open(EVAL_FILE, newline="", encoding="utf-8") as handle:
        return [
            (row["text"], row["themes"].split(";"))
            for row in csv.DictReader(handle)
            if row["split"] == split
        ]


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


def timing() -> None:
    texts = [text for split in ("dev", "test") for text, _ in load(split)]
    texts = (texts * (N // len(texts) + 1))[:N]

    start = time.perf_counter()
    tagger = Tagger()
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
    print(f"  load and compile the lexicon:         {compiled * 1000:7.1f} ms")
    print(f"  tag {N:,} priorities, fresh tagger:    {cold * 1000:7.1f} ms")
    print(f"  tag {N:,} priorities, warm (best of 5): {warm * 1000:7.1f} ms")
    verdict = "met" if compiled + cold < GOAL_SECONDS else "NOT met"
    print(f"  goal: load + {N:,} in under {GOAL_SECONDS} s: {verdict}")


def main() -> int:
    for split in ("test", "dev"):
        examples = load(split)
        report(f"{split} split", evaluate(examples), examples)
    if "--errors" in sys.argv:
        tagger = Tagger()
        print("\nTest-split differences (labelled -> suggested):")
        for text, themes in load("test"):
            explained = tagger.explain(text)
            if {s.slug for s in explained} != set(themes):
                print(f"  {text}\n    labelled:  {', '.join(sorted(themes))}")
                shown = [f"{s.slug} {s.score:.2f} ({', '.join(s.matched)})" for s in explained]
                print(f"    suggested: {'; '.join(shown) or '-'}")
    timing()
    return 0


if __name__ == "__main__":
    sys.exit(main())
