"""Property-based checks: importers never crash on odd cells; CSV cells never run as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeworks.estate.ingest import GenericAssetImporter
from placeworks.estate.models import Asset
from tests.factories import OrganisationFactory

cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    floor=cells,
    utilisation=cells,
    condition=cells,
    latitude=cells,
    cost=st.one_of(cells, st.floats(allow_nan=True).map(str)),
)
def test_any_cell_is_imported_or_reported_with_its_row_and_column(
    tmp_path, floor, utilisation, condition, latitude, cost
):
    org = OrganisationFactory(name="Ashfield District Council")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "reference",
            "name",
            "kind",
            "floor_area_m2",
            "utilisation",
            "condition",
            "latitude",
            "longitude",
            "running cost",
        ]
    )
    writer.writerow(["P1", "Hall", "office", floor, utilisation, condition, latitude, "-1.2", cost])
    path = tmp_path / "property.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = GenericAssetImporter(owner=org).run(path, commit=True)
    for problem in report.errors:
        assert problem.row in (1, 2) and problem.file == "property.csv"
    if report.errors:
        assert not Asset.objects.filter(reference="P1").exists()
    else:
        asset = Asset.objects.get(reference="P1")
        assert asset.utilisation_percent is None or 0 <= asset.utilisation_percent <= 100
    Asset.objects.all().delete()
