"""The IoD importer: official and snake_case headers, joining files, national files against a
regional geography, re-runs, and refusing bad files with messages that say what to fix."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest

from placeworks.audit.models import ImportRun
from placeworks.evidence.catalogue import measure_column
from placeworks.evidence.ingest import IoDImporter
from placeworks.evidence.models import Basis, Indicator, Observation
from placeworks.places.models import Area

from .conftest import FIXTURES, IOD2019_FILES, import_iod, read_rows


def messages(report):  # type: ignore[no-untyped-def]
    return [str(p) for p in report.problems]


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "measure", "kind"),
    [
        ("Index of Multiple Deprivation (IMD) Score", "imd", "score"),
        ("Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", "imd", "rank"),
        ("Index of Multiple Deprivation (IMD) Rank", "imd", "rank"),
        ("Income Score (rate)", "income", "score"),
        ("Employment Decile (where 1 is most deprived 10% of LSOAs)", "employment", "decile"),
        ("Education, Skills and Training Score", "education", "score"),
        ("Barriers to Housing and Services Rank (where 1 is most deprived)", "barriers", "rank"),
        ("Income Deprivation Affecting Older People (IDAOPI) Score (rate)", "idaopi", "score"),
        # IoD2025 File 7 ships one header cut short; it must still be recognised.
        (
            "Children and Young People Sub-domain Decile (where 1 is most deprived 10% of LSO",
            "cyp",
            "decile",
        ),
        ("IMD_score", "imd", "score"),
        ("Housing_and_Services_decile", "barriers", "decile"),
        ("Housing_and_Access_rank", "barriers", "rank"),
        ("Children_and_young_people_rank", "cyp", "rank"),
        ("imd_decile", "imd", "decile"),
    ],
)
def test_measure_columns_are_recognised_by_official_and_snake_case_headers(header, measure, kind):  # type: ignore[no-untyped-def]
    meaning = measure_column(header)
    assert meaning is not None and (meaning.measure, meaning.kind) == (measure, kind)


def test_file8_official_headers_normalise_to_the_humaniverse_names():
    assert measure_column("Homelessness indicator (rate per 1000 households)").key == (
        "homelessness_indicator_rate_per_1000_households"
    )
    assert measure_column("Road distance to a GP surgery indicator (km)").role == "underlying"
    assert measure_column("Total population: mid 2022").key == "total"
    assert (
        measure_column(
            "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022"
        ).key
        == "working-age"
    )
    assert measure_column("LSOA code (2021)").vintage == "2021"
    assert measure_column("Local Authority District code (2019)").role == "lad"
    assert measure_column("Something else entirely") is None


# --- good files -----------------------------------------------------------------------------


def test_regional_file_imports_scores_ranks_and_deciles_and_rolls_them_up(geography):  # type: ignore[no-untyped-def]
    report = import_iod([FIXTURES / "iod2025_mansfield.csv"])
    assert not report.errors, report.summary()
    assert report.rows == 68
    assert report.committed
    lsoa = Area.objects.get(code="E01028263", vintage="2021")
    score = Observation.objects.get(indicator__code="iod-imd-score", area=lsoa, period="2025")
    assert score.value == pytest.approx(75.649)
    assert score.rank is not None and score.rank_of == 33_755 and score.decile == 1
    assert score.basis == Basis.PUBLISHED
    mansfield = geography["E07000174"]
    rolled = Observation.objects.get(indicator__code="iod-imd-score", area=mansfield, period="2025")
    assert rolled.basis == Basis.ROLLUP
    # population-weighted mean of the 68 LSOA scores (weights: the geography's populations)
    lsoas = Area.objects.filter(type="lsoa", vintage="2021", ancestor_links__ancestor=mansfield)
    values = dict(
        Observation.objects.filter(indicator__code="iod-imd-score", area__in=lsoas).values_list(
            "area_id", "value"
        )
    )
    weights = dict(lsoas.values_list("pk", "population"))
    expected = sum(values[a] * weights[a] for a in values) / sum(weights[a] for a in values)
    assert rolled.value == pytest.approx(expected)
    assert "Weights: populations from the geography" in rolled.note
    # the district summary measures exist for the district, not for the LSOAs
    assert Observation.objects.filter(indicator__code="iod-imd-extent", area=mansfield).exists()
    assert not Observation.objects.filter(indicator__code="iod-imd-extent", area=lsoa).exists()
    # every import is logged
    run = ImportRun.objects.filter(importer="iod").latest("started_at")
    assert run.status == ImportRun.Status.COMMITTED and run.rows == 68 and len(run.checksum) == 64


def test_reimporting_the_same_file_changes_nothing(geography):  # type: ignore[no-untyped-def]
    first = import_iod([FIXTURES / "iod2025_mansfield.csv"])
    count = Observation.objects.count()
    again = import_iod([FIXTURES / "iod2025_mansfield.csv"])
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created
    assert Observation.objects.count() == count


def test_dry_run_writes_nothing_but_counts_what_it_would_do(geography):  # type: ignore[no-untyped-def]
    report = import_iod([FIXTURES / "iod2025_mansfield.csv"], commit=False)
    assert not report.errors and not report.committed
    assert report.created > 0
    assert not Observation.objects.exists()
    assert "Dry run" in report.summary()


def test_official_file7_headers_with_denominators(geography):  # type: ignore[no-untyped-def]
    report = import_iod([FIXTURES / "file7_official_headers_mansfield.csv"])
    assert not report.errors, report.summary()
    assert {"iod-imd-score", "iod-income-rank", "iod-population-total"} <= set(
        Indicator.objects.values_list("code", flat=True)
    )
    mansfield = geography["E07000174"]
    population = Observation.objects.get(indicator__code="iod-population-total", area=mansfield)
    # thousands separators ("1,822") are read as numbers; the district total is their sum
    assert population.value > 100_000
    rolled = Observation.objects.get(indicator__code="iod-imd-score", area=mansfield)
    assert "the release's own population denominators" in rolled.note


def test_separate_files_are_joined_and_must_agree(geography, tmp_path):  # type: ignore[no-untyped-def]
    source = FIXTURES / "iod2025_mansfield.csv"
    rows = read_rows(source)
    header = rows[0]
    scores = tmp_path / "scores.csv"
    ranks = tmp_path / "ranks.csv"
    keep_scores = [0] + [i for i, h in enumerate(header) if h.endswith("_score")]
    keep_ranks = [0] + [i for i, h in enumerate(header) if not h.endswith("_score") and i]
    for path, keep in ((scores, keep_scores), (ranks, keep_ranks)):
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows([[r[i] for i in keep] for r in rows])
    report = import_iod([scores, ranks])
    assert not report.errors, report.summary()
    score = Observation.objects.get(
        indicator__code="iod-health-score", area__code=rows[1][0], area__vintage="2021"
    )
    assert score.rank is not None and score.decile is not None
    # a companion that disagrees names both files, the row and the column
    clash = tmp_path / "clash.csv"
    changed = [r[:] for r in rows]
    column = header.index("IMD_decile")
    changed[3][column] = str(int(changed[3][column]) % 10 + 1)
    with clash.open("w", newline="") as handle:
        csv.writer(handle).writerows(changed)
    report = import_iod([FIXTURES / "iod2025_mansfield.csv", clash])
    assert report.errors
    text = "\n".join(messages(report))
    assert "clash.csv, row 4, column IMD_decile" in text and "not from the same release" in text


# --- national files against a regional geography ----------------------------------------------


def test_national_file_stores_loaded_lsoas_and_warns_about_the_rest(data):  # type: ignore[no-untyped-def]
    report_2025, _ = data["reports"]
    warnings = [p.message for p in report_2025.warnings]
    assert any(
        "of the 33,755 LSOA codes are not in the loaded geography" in w
        and "e.g. E01000001" in w
        and "national file" in w
        for w in warnings
    ), warnings
    assert not report_2025.errors
    stored = Observation.objects.filter(
        indicator__code="iod-imd-score", period="2025", area__type="lsoa"
    ).count()
    assert stored == Area.objects.filter(type="lsoa", vintage="2021").count() > 219


def test_england_comes_from_every_lsoa_in_the_national_file(data):  # type: ignore[no-untyped-def]
    england = data["areas"]["england"]
    with gzip.open(IOD2019_FILES[3], "rt") as handle:
        scores = {r["lsoa_code"]: float(r["imd_score"]) for r in csv.DictReader(handle)}
    with gzip.open(IOD2019_FILES[2], "rt", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        people = {r[0]: float(r[4].replace(",", "")) for r in reader}
    expected = sum(scores[c] * people[c] for c in scores) / sum(people[c] for c in scores)
    found = Observation.objects.get(indicator__code="iod-imd-score", area=england, period="2019")
    assert found.value == pytest.approx(expected, rel=1e-9)
    assert found.basis == Basis.NATIONAL
    # IoD2025 files carry no denominators: each LSOA counts equally, and the note says so
    found_2025 = Observation.objects.get(
        indicator__code="iod-imd-score", area=england, period="2025"
    )
    assert "weighted equally" in found_2025.note
    assert found_2025.value == pytest.approx(21.66935, abs=1e-4)


def test_districts_are_ranked_among_all_317_from_the_national_2019_files(data):  # type: ignore[no-untyped-def]
    mansfield = data["areas"]["E07000174"]
    average_rank = Observation.objects.get(
        indicator__code="iod-imd-rank", area=mansfield, period="2019"
    )
    assert average_rank.basis == Basis.NATIONAL and average_rank.rank_of == 317
    assert 1 <= average_rank.rank <= 317
    # the same measure recomputed from the stored LSOAs agrees (Mansfield lies wholly loaded)
    lsoas = Area.objects.filter(type="lsoa", vintage="2011", ancestor_links__ancestor=mansfield)
    ranks = dict(  # an LSOA's national rank is stored on its score
        Observation.objects.filter(
            indicator__code="iod-imd-score", area__in=lsoas, period="2019"
        ).values_list("area_id", "rank")
    )
    people = dict(
        Observation.objects.filter(
            indicator__code="iod-population-total", area__in=lsoas, period="2019"
        ).values_list("area_id", "value")
    )
    expected = sum(ranks[a] * people[a] for a in ranks) / sum(people[a] for a in ranks)
    assert average_rank.value == pytest.approx(expected)


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bad_lsoa_codes.csv",
            [
                "row 3, column lsoa21_code: expected an English LSOA code like E01012345, found 'E0102826X'",
                "row 5, column lsoa21_code",
            ],
        ),
        (
            "duplicate_lsoa.csv",
            ["row 6, column lsoa21_code: LSOA E01028", "appears twice (also row 4)"],
        ),
        ("rank_out_of_range.csv", ["rank(s) above 33,755", "IMD_rank"]),
        (
            "not_a_number.csv",
            [
                "row 4, column Health_score: expected a score, found 'n/a'",
                "row 5, column Health_score: this cell is empty",
            ],
        ),
        ("no_lsoa_column.csv", ["no LSOA code column"]),
        (
            "decile_out_of_range.csv",
            ["row 2, column Crime_decile: expected a decile from 1 to 10, found '11'"],
        ),
    ],
)
def test_bad_files_are_refused_with_file_row_and_column(geography, name, expected):  # type: ignore[no-untyped-def]
    report = import_iod([FIXTURES / name])
    assert report.errors and not report.committed
    text = "\n".join(messages(report))
    for fragment in expected:
        assert fragment in text, text
    assert name in text
    assert not Observation.objects.exists()
    assert ImportRun.objects.filter(status=ImportRun.Status.REJECTED, file_name=name).exists()


def test_a_regional_file_with_unknown_lsoas_is_an_error_listing_counts_and_examples(
    geography, tmp_path
):  # type: ignore[no-untyped-def]
    rows = read_rows(FIXTURES / "iod2025_mansfield.csv")
    path = tmp_path / "wrong_place.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(rows)
        other = rows[1][:]
        other[0] = "E01000001"  # City of London: not loaded
        writer.writerow(other)
    report = import_iod([path])
    text = "\n".join(messages(report))
    assert "1 of the 69 LSOA codes are not in the loaded geography" in text
    assert "E01000001" in text and "may only name loaded LSOAs" in text
    assert report.errors


def test_wrong_release_is_refused(geography):  # type: ignore[no-untyped-def]
    report = import_iod([FIXTURES / "iod2025_mansfield.csv"], release="2019")
    assert report.errors
    assert "IoD2019 is published on 2011 LSOAs" in report.errors[0].message


def test_a_file_that_does_not_say_its_release_needs_the_option(geography, tmp_path):  # type: ignore[no-untyped-def]
    rows = read_rows(FIXTURES / "iod2025_mansfield.csv")
    rows[0][0] = "lsoa_code"
    path = tmp_path / "no_year.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = import_iod([path])
    assert "pass --release 2019 or --release 2025" in report.errors[0].message
    assert not import_iod([path], release="2025").errors


def test_scores_that_do_not_follow_the_ranks_are_refused(geography, tmp_path):  # type: ignore[no-untyped-def]
    rows = read_rows(FIXTURES / "iod2025_mansfield.csv")
    header = rows[0]
    health, crime = header.index("Health_score"), header.index("Crime_score")
    for row in rows[1:]:
        row[health], row[crime] = row[crime], row[health]
    path = tmp_path / "swapped.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = import_iod([path])
    assert report.errors
    assert any("the scores do not fall as the ranks" in m for m in messages(report))


def test_unrecognised_columns_are_a_warning_not_an_error(geography, tmp_path):  # type: ignore[no-untyped-def]
    rows = read_rows(FIXTURES / "iod2025_mansfield.csv")
    path = tmp_path / "extra.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*rows[0], "Mystery column"])
        writer.writerows([[*r, "1"] for r in rows[1:]])
    report = import_iod([path])
    assert not report.errors
    assert any("Mystery column" in w.message for w in report.warnings)


def test_xlsx_workbooks_are_read_sheet_by_sheet(geography, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    rows = read_rows(FIXTURES / "iod2025_mansfield.csv")
    workbook = Workbook()
    first = workbook.active
    first.title = "Notes"
    first.append(["This sheet explains the data"])
    second = workbook.create_sheet("IoD2025 Health")
    header = rows[0]
    keep = [0, header.index("Health_score"), header.index("Health_rank")]
    second.append([header[i] for i in keep])
    for row in rows[1:]:
        second.append([row[0], float(row[keep[1]]), int(row[keep[2]])])
    path = tmp_path / "health.xlsx"
    workbook.save(path)
    report = import_iod([path])
    assert not report.errors, report.summary()
    ranked = Observation.objects.filter(indicator__code="iod-health-score", rank__isnull=False)
    assert ranked.count() == 68
    assert Observation.objects.filter(indicator__code="iod-health-rank", area__type="lad").exists()


def test_the_importer_needs_manage_indicators(geography):  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from tests.factories import member

    editor = member("editor")
    with pytest.raises(PermissionDenied):
        IoDImporter().run(FIXTURES / "iod2025_mansfield.csv", by=editor)


def test_national_ranks_cover_the_whole_range(data):  # type: ignore[no-untyped-def]
    ranks = np.array(
        Observation.objects.filter(
            indicator__code="iod-imd-score", period="2025", area__type="lsoa"
        ).values_list("rank", flat=True)
    )
    assert not Observation.objects.filter(
        indicator__code="iod-imd-rank", period="2025", area__type="lsoa"
    ).exists()  # stored once, on the score
    assert ranks.min() >= 1 and ranks.max() <= 33_755
