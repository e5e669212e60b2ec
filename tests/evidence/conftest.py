"""Evidence test data: a real geography from the ONS lookups and the real IoD files.

``loaded`` (package scope) builds the Mid-Nottinghamshire districts (Ashfield, Mansfield, Newark
and Sherwood), Bassetlaw and Nottingham in both LSOA vintages, with the county, region, England and the PLACE area, and
imports the national IoD2025 and IoD2019 files once; it deletes everything it made when the
package's tests finish, so other apps' tests never see it. Tests that change data use their own
small ``geography`` instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evidence.geography import DATA, MID_NOTTS, build

IOD2025 = DATA / "iod2025" / "iod2025_lsoa21_scores_ranks_deciles.csv.gz"
IOD2025_INDICATORS = DATA / "iod2025" / "iod2025_lsoa21_indicators.csv.gz"
IOD2019_FILES = [
    DATA / "iod2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
    DATA / "iod2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
    DATA / "iod2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz",
    DATA / "iod2019" / "IoD2019_IMD_score_lsoa11_NHSRpopulation.csv.gz",
    DATA / "iod2019_indicators" / "iod2019_lsoa11_indicators.csv.gz",
    DATA / "iod2019_indicators" / "iod2019_lsoa11_subdomains.csv.gz",
]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"


def read_rows(path):  # type: ignore[no-untyped-def]
    import csv

    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def import_iod(paths, release=None, commit=True):  # type: ignore[no-untyped-def]
    from placeworks.evidence.ingest import IoDImporter

    paths = [Path(p) for p in paths]
    importer = IoDImporter(release=release, companions=paths[1:])
    return importer.run(paths[0], commit=commit)


def _wipe() -> None:
    from placeworks.audit.models import ImportRun
    from placeworks.evidence.models import Distribution, Indicator, Observation
    from placeworks.places.models import Area

    Observation.objects.all().delete()
    Distribution.objects.all().delete()
    Indicator.objects.filter(summary_of__isnull=False).delete()
    Indicator.objects.all().delete()
    Area.objects.all().delete()
    ImportRun.objects.all().delete()


@pytest.fixture(scope="package")
def loaded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        _wipe()
        # Mid-Nottinghamshire with Bassetlaw and Nottingham: three PLACE areas to rank.
        areas = build([*MID_NOTTS[2], "E07000171", "E06000018"], boundaries=True)
        reports = [
            import_iod([IOD2025, IOD2025_INDICATORS]),
            import_iod(IOD2019_FILES),
        ]
        for report in reports:
            assert not report.errors, report.summary()
        yield {"areas": areas, "reports": reports}
        _wipe()


@pytest.fixture
def data(loaded, db):  # type: ignore[no-untyped-def]
    return loaded


@pytest.fixture
def geography(db):  # type: ignore[no-untyped-def]
    """Mansfield alone (2021 and 2011 LSOAs), for tests that write. Anything the package's
    ``loaded`` data put in the database is removed inside the test's transaction (and comes
    back when it rolls back)."""
    _wipe()
    return build(["E07000174"], places=True)
