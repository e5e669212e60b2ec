"""Benchmarking as Fingertips does it: each value against its parent and England by its 95%
confidence interval (better / similar / worse, or higher / similar / lower without a polarity),
written as a word and coloured with Fingertips' colours."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from placeworks.evidence.ingest import FingertipsImporter
from placeworks.evidence.profile import build_profile

from .conftest import FIXTURES

CSS = Path(__file__).resolve().parents[2] / "placeworks/evidence/static/evidence/evidence.css"

# OHID Fingertips' comparison colours (Technical Guide: Comparing indicator values with a
# benchmark; the Fingertips legend).
FINGERTIPS_COLOURS = {
    "better": "#92d050",
    "similar": "#ffc000",
    "worse": "#c00000",
    "higher": "#bed2ff",
    "lower": "#5555e6",
}


def _export(tmp_path: Path) -> Path:
    """The fixture export plus three illustrative indicators for Mansfield (E07000174), each
    with England's and Nottinghamshire's value in 2022: one better than England (its interval
    wholly below England's value, lower being better), one similar (its interval contains
    England's value) and one without a polarity (interval wholly above: higher)."""
    with (FIXTURES / "fingertips_export.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    template = next(r for r in rows if r["Area Code"] == "E07000174" and r["Time period"] == "2022")
    extra = []
    # (id, name, [(area, value, lower, upper, verdict)])
    cases = [
        ("91001", "Better than England (illustrative)", [
            ("E92000001", 2.9, 2.88, 2.92, ""),
            ("E10000024", 3.0, 2.9, 3.1, "Worse"),
            ("E07000174", 2.0, 1.7, 2.3, "Better"),
        ]),
        ("91002", "Similar to England (illustrative)", [
            ("E92000001", 2.9, 2.88, 2.92, ""),
            ("E10000024", 3.2, 3.1, 3.3, "Worse"),
            ("E07000174", 2.95, 2.5, 3.4, "Similar"),
        ]),
        ("91003", "No polarity (illustrative)", [
            ("E92000001", 2.9, 2.88, 2.92, ""),
            ("E10000024", 6.0, 5.8, 6.2, "Higher"),
            ("E07000174", 5.0, 4.5, 5.5, "Higher"),
        ]),
    ]  # fmt: skip
    for indicator, name, values in cases:
        for area, value, lower, upper, verdict in values:
            row = dict(template)
            row.update(
                {
                    "Indicator ID": indicator,
                    "Indicator Name": name,
                    "Area Code": area,
                    "Value": str(value),
                    "Lower CI 95.0 limit": str(lower),
                    "Upper CI 95.0 limit": str(upper),
                    "Count": "",
                    "Denominator": "",
                    "Compared to England value or percentiles": verdict,
                }
            )
            extra.append(row)
    path = tmp_path / "fingertips_benchmarks.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows([*rows, *extra])
    return path


@pytest.fixture
def compared(geography, tmp_path):  # type: ignore[no-untyped-def]
    report = FingertipsImporter().run(_export(tmp_path), commit=True)
    assert not report.errors, report.summary()
    return geography


def test_each_value_is_compared_with_its_parent_and_england_by_its_interval(compared):  # type: ignore[no-untyped-def]
    profile = build_profile(compared["E07000174"])
    assert profile.parent.code == "E10000024"  # a district's parent is its county
    rows = {row.indicator.code: row for row in profile.rows}
    # Low birth weight 4.17 (3.69–4.70): above England's 2.9 and Nottinghamshire's 3.22
    low_birth_weight = rows["fingertips-90323"]
    assert (low_birth_weight.vs_england, low_birth_weight.vs_parent) == ("worse", "worse")
    # 2.0 (1.7–2.3) below England's 2.9 and Nottinghamshire's 3.0, lower being better
    assert (rows["fingertips-91001"].vs_england, rows["fingertips-91001"].vs_parent) == (
        "better",
        "better",
    )
    # 2.95 (2.5–3.4) contains England's 2.9 and Nottinghamshire's 3.2
    assert (rows["fingertips-91002"].vs_england, rows["fingertips-91002"].vs_parent) == (
        "similar",
        "similar",
    )
    # without a polarity: 5.0 (4.5–5.5) is higher than England (2.9), lower than the county (6.0)
    assert rows["fingertips-91003"].indicator.polarity == "no_judgement"
    assert (rows["fingertips-91003"].vs_england, rows["fingertips-91003"].vs_parent) == (
        "higher",
        "lower",
    )


def test_iod_scores_without_an_interval_are_not_compared(data):  # type: ignore[no-untyped-def]
    profile = build_profile(data["areas"]["E07000174"])
    imd = next(row for row in profile.rows if row.indicator.code == "iod-imd-score")
    assert imd.value is not None and imd.england is not None
    assert (imd.vs_england, imd.vs_parent) == ("not_compared", "not_compared")


def test_the_profile_writes_each_comparison_and_colours_it_as_fingertips_does(client, compared):  # type: ignore[no-untyped-def]
    html = client.get("/evidence/areas/E07000174/").content.decode()
    for kind, word in (
        ("worse", "Worse"),
        ("better", "Better"),
        ("similar", "Similar"),
        ("higher", "Higher"),
        ("lower", "Lower"),
    ):
        tag = f'<strong class="pw-compare pw-compare--{kind}">{word}</strong>'
        # once in the legend, and at least once against a value
        assert html.count(tag) >= 2, kind
    css = CSS.read_text().lower()
    for kind, colour in FINGERTIPS_COLOURS.items():
        rule = re.search(rf"\.pw-compare--{kind} \{{ background: (#[0-9a-f]{{6}})", css)
        assert rule is not None and rule.group(1) == colour, kind
        dot = re.search(rf"circle\.pw-compare--{kind} \{{ fill: (#[0-9a-f]{{6}})", css)
        assert dot is not None and dot.group(1) == colour, kind
