"""Reproduce facts MHCLG published about districts from the real IoD2019 LSOA files.

Data: data/iod2019/ (see its SOURCE.md) — File 2 (IMD rank and district of each of the 32,844
LSOAs), File 6 (population denominators, mid-2015) and the IMD 2019 score of each LSOA.
Published facts: The English Indices of Deprivation 2019 Statistical Release (MHCLG, 26 September
2019), and Blackpool Council's JSNA summary of the same release.
"""

from __future__ import annotations

import csv
import gzip
import time
from pathlib import Path

import numpy as np
import pytest

from placeworks.stats import LASummary, la_summaries

DATA = Path(__file__).resolve().parents[2] / "data" / "iod2019"
LSOAS = 32_844
BLACKPOOL = "E06000009"


def _rows(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _number(text: str) -> float:
    return float(text.replace(",", ""))  # the files write thousands separators: "29,199"


@pytest.fixture(scope="module")
def iod2019() -> tuple[dict[str, LASummary], dict[str, str], float]:
    domains = _rows("File_2_-_IoD2019_Domains_of_Deprivation.csv.gz")
    population = {
        row["LSOA code (2011)"]: _number(row["Total population: mid 2015 (excluding prisoners)"])
        for row in _rows("File_6_-_IoD2019_Population_Denominators.csv.gz")
    }
    score = {
        row["lsoa_code"]: _number(row["imd_score"])
        for row in _rows("IoD2019_IMD_score_lsoa11_NHSRpopulation.csv.gz")
    }
    codes = [row["LSOA code (2011)"] for row in domains]
    rank_column = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
    ranks = np.array([_number(row[rank_column]) for row in domains])
    districts = np.array([row["Local Authority District code (2019)"] for row in domains])
    names = {
        row["Local Authority District code (2019)"]: row["Local Authority District name (2019)"]
        for row in domains
    }
    started = time.perf_counter()
    summaries = la_summaries(
        ranks,
        [population[code] for code in codes],
        districts,
        total_areas=LSOAS,
        scores=[score[code] for code in codes],
    )
    return summaries, names, time.perf_counter() - started


def _leaders(summaries: dict[str, LASummary], measure: str, most_deprived_first: bool) -> list[str]:
    order = sorted(summaries, key=lambda code: getattr(summaries[code], measure))
    return order[::-1] if most_deprived_first else order


def test_every_lsoa_and_district_is_summarised(iod2019):
    summaries, names, _ = iod2019  # the time is printed by bench/, not asserted here
    assert len(summaries) == len(names) == 317


def test_five_districts_with_most_lsoas_in_the_most_deprived_tenth(iod2019):
    # Release, key findings: "Middlesbrough, Liverpool, Knowsley, Kingston upon Hull and
    # Manchester are the local authorities with the highest proportions of neighbourhoods among
    # the most deprived in England."
    summaries, names, _ = iod2019
    top = _leaders(summaries, "proportion_most_deprived_10pct", most_deprived_first=True)[:5]
    assert [names[code] for code in top] == [
        "Middlesbrough",
        "Liverpool",
        "Knowsley",
        "Kingston upon Hull, City of",
        "Manchester",
    ]
    # Middlesbrough 42 of 86 LSOAs (48.8%), Liverpool 145 of 298 (48.7%)
    assert summaries[top[0]].proportion_most_deprived_10pct == pytest.approx(42 / 86)
    assert summaries[top[1]].proportion_most_deprived_10pct == pytest.approx(145 / 298)


def test_blackpool_has_39_of_its_94_lsoas_in_the_most_deprived_tenth_sixth_highest(iod2019):
    # Blackpool JSNA: "39 of 94 Blackpool LSOAs are in the 10% most deprived ... the 6th highest
    # proportion"
    summaries, _, _ = iod2019
    assert summaries[BLACKPOOL].proportion_most_deprived_10pct == pytest.approx(39 / 94)
    ranking = _leaders(summaries, "proportion_most_deprived_10pct", most_deprived_first=True)
    assert ranking.index(BLACKPOOL) == 5


def test_blackpool_is_the_most_deprived_district_on_average_rank_score_and_concentration(iod2019):
    summaries, _, _ = iod2019
    assert _leaders(summaries, "average_rank", most_deprived_first=False)[0] == BLACKPOOL
    assert _leaders(summaries, "average_score", most_deprived_first=True)[0] == BLACKPOOL
    assert _leaders(summaries, "local_concentration", most_deprived_first=False)[0] == BLACKPOOL


def test_61_percent_of_districts_contain_at_least_one_of_the_most_deprived_lsoas(iod2019):
    # Release, key findings: "61 per cent of local authority districts contain at least one of
    # the most deprived neighbourhoods in England" (194 of 317)
    summaries, _, _ = iod2019
    share = np.mean([s.proportion_most_deprived_10pct > 0 for s in summaries.values()])
    assert round(100 * share) == 61


def test_published_average_scores_and_their_ranking_are_reproduced(iod2019):
    # MHCLG, IoD2019 File 10 (Local Authority District Summaries, lower-tier), sheet IMD:
    # "IMD - Average score" (published to 3 decimal places) and "IMD - Rank of average score".
    # The seven most deprived districts by rank of average score and the two least deprived.
    summaries, names, _ = iod2019
    by_score = _leaders(summaries, "average_score", most_deprived_first=True)
    assert [names[code] for code in by_score[:7]] == [
        "Blackpool",
        "Knowsley",
        "Liverpool",
        "Kingston upon Hull, City of",
        "Middlesbrough",
        "Manchester",
        "Birmingham",
    ]
    assert [names[code] for code in by_score[-2:]] == ["Wokingham", "Hart"]  # ranks 316, 317
    published = {
        "E06000009": 45.039,  # Blackpool
        "E08000011": 43.006,  # Knowsley
        "E08000012": 42.412,  # Liverpool
        "E06000002": 40.460,  # Middlesbrough
    }
    for code, value in published.items():
        average_score = summaries[code].average_score
        assert average_score is not None and round(average_score, 3) == value, names[code]
