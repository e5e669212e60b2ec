"""MHCLG's district summaries reproduced from the national files (no database): the published
facts of the IoD2019 statistical release, and the 296 districts of IoD2025."""

from __future__ import annotations

import csv
import gzip
from functools import cache

import numpy as np
import pytest

from placeworks.stats import la_summaries

from .geography import DATA, lookup21


def _rows(path):  # type: ignore[no-untyped-def]
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


@cache
def iod2019():  # type: ignore[no-untyped-def]
    _, file2 = _rows(DATA / "iod2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz")
    _, file6 = _rows(DATA / "iod2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz")
    header, scores = _rows(DATA / "iod2019" / "IoD2019_IMD_score_lsoa11_NHSRpopulation.csv.gz")
    people = {r[0]: float(r[4].replace(",", "")) for r in file6}
    score = {r[header.index("lsoa_code")]: float(r[header.index("imd_score")]) for r in scores}
    codes = [r[0] for r in file2]
    names = {r[2]: r[3] for r in file2}
    return (
        np.array([float(r[4].replace(",", "")) for r in file2]),
        np.array([people[c] for c in codes]),
        np.array([r[2] for r in file2]),
        np.array([score[c] for c in codes]),
        names,
    )


@cache
def summaries_2019():  # type: ignore[no-untyped-def]
    ranks, people, lads, scores, names = iod2019()
    return la_summaries(ranks, people, lads, total_areas=32_844, scores=scores), names


def ranked(values: dict[str, float], most_deprived_first_descending: bool) -> list[str]:
    return sorted(values, key=lambda k: -values[k] if most_deprived_first_descending else values[k])


def test_iod2019_has_317_districts():
    found, _ = summaries_2019()
    assert len(found) == 317


def test_blackpool_is_the_most_deprived_district_on_average_rank_and_average_score():
    found, names = summaries_2019()
    by_rank = ranked({k: v.average_rank for k, v in found.items()}, False)
    by_score = ranked({k: v.average_score for k, v in found.items()}, True)
    assert names[by_rank[0]] == "Blackpool"
    assert names[by_score[0]] == "Blackpool"


def test_the_five_districts_with_most_lsoas_in_the_most_deprived_decile():
    found, names = summaries_2019()
    share = {k: v.proportion_most_deprived_10pct for k, v in found.items()}
    top = [names[k] for k in ranked(share, True)[:5]]
    assert top == [
        "Middlesbrough",
        "Liverpool",
        "Knowsley",
        "Kingston upon Hull, City of",
        "Manchester",
    ]
    # Middlesbrough: 42 of its 86 LSOAs (48.8%), "almost half" as the release puts it
    middlesbrough = next(k for k, n in names.items() if n == "Middlesbrough")
    assert share[middlesbrough] == pytest.approx(42 / 86)


def test_summaries_follow_their_definitions_for_one_district():
    ranks, people, lads, scores, names = iod2019()
    mansfield = lads == "E07000174"
    found, _ = summaries_2019()
    summary = found["E07000174"]
    r, p = ranks[mansfield], people[mansfield]
    assert summary.average_rank == pytest.approx((r * p).sum() / p.sum())
    assert summary.average_score == pytest.approx((scores[mansfield] * p).sum() / p.sum())
    assert summary.proportion_most_deprived_10pct == pytest.approx((r <= 3_284.4).mean())
    assert 0 <= summary.extent <= 1
    assert summary.local_concentration <= summary.average_rank


def test_iod2025_lsoas_roll_up_to_296_districts():
    header, rows = _rows(DATA / "iod2025" / "iod2025_lsoa21_scores_ranks_deciles.csv.gz")
    lad_of = {code: lad for code, _, _, _, lad, _ in lookup21()}
    ranks = np.array([float(r[header.index("IMD_rank")]) for r in rows])
    lads = np.array([lad_of[r[0]] for r in rows])
    found = la_summaries(ranks, np.ones(ranks.size), lads, total_areas=33_755)
    assert len(found) == 296
