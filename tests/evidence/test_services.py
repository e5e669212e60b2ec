"""Writing observations: idempotence, ranks within the region, spreads, and published values
taking precedence over Placeworks' own aggregates."""

from __future__ import annotations

import numpy as np
import pytest

from placeworks.evidence import services
from placeworks.evidence.catalogue import IndicatorSpec
from placeworks.evidence.geography import Geography
from placeworks.evidence.models import Basis, Distribution, Observation
from placeworks.places.models import Area


@pytest.fixture
def indicator(db):  # type: ignore[no-untyped-def]
    spec = IndicatorSpec(
        "test-proportion",
        "Test proportion",
        "Test",
        "housing",
        "higher_is_worse",
        "proportion",
        "%",
        "A test indicator",
        "Wilson",
        multiplier=100,
    )
    return services.ensure_indicators([spec], publisher="Tests")["test-proportion"]


def _lsoas(geography):  # type: ignore[no-untyped-def]
    return list(
        Area.objects.filter(
            type="lsoa", vintage="2021", ancestor_links__ancestor=geography["E07000174"]
        ).order_by("code")
    )


def test_write_is_idempotent_and_ranks_within_the_region(geography, indicator):  # type: ignore[no-untyped-def]
    lsoas = _lsoas(geography)[:5]
    frame = services.ObsFrame(
        area=np.array([a.pk for a in lsoas]),
        value=np.array([10.0, 40.0, 20.0, 40.0, np.nan]),
        suppressed=np.array([False, False, False, False, True]),
    )
    geo = Geography.load()
    first = services.write_observations(indicator, "2024", frame, geo)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    again = services.write_observations(indicator, "2024", frame, geo)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    ranks = dict(
        Observation.objects.filter(indicator=indicator).values_list("area__code", "local_rank")
    )
    codes = [a.code for a in lsoas]
    # higher is worse: 40 and 40 share rank 1, then 20 (3rd), then 10 (4th); suppressed unranked
    assert [ranks[c] for c in codes] == [4, 1, 3, 1, None]
    spread = Distribution.objects.get(indicator=indicator, period="2024", area_type="lsoa")
    assert (spread.count, spread.minimum, spread.maximum) == (4, 10, 40)
    assert spread.group == geography["region"]


def test_changing_one_value_updates_it_and_re_ranks_the_others(geography, indicator):  # type: ignore[no-untyped-def]
    lsoas = _lsoas(geography)[:3]
    geo = Geography.load()
    ids = np.array([a.pk for a in lsoas])
    services.write_observations(
        indicator, "2024", services.ObsFrame(area=ids, value=np.array([1.0, 2.0, 3.0])), geo
    )
    counts = services.write_observations(
        indicator, "2024", services.ObsFrame(area=ids[:1], value=np.array([9.0])), geo
    )
    assert counts.updated == 1 and counts.ranked == 2
    assert Observation.objects.get(indicator=indicator, area=lsoas[0]).local_rank == 1


def test_rollups_never_overwrite_published_values(geography, indicator):  # type: ignore[no-untyped-def]
    geo = Geography.load()
    mansfield = geography["E07000174"]
    services.write_observations(
        indicator,
        "2024",
        services.ObsFrame(
            area=np.array([mansfield.pk]),
            value=np.array([25.0]),
            lower=np.array([24.0]),
            upper=np.array([26.0]),
        ),
        geo,
        basis=Basis.PUBLISHED,
    )
    lsoas = _lsoas(geography)
    services.write_observations(
        indicator,
        "2024",
        services.ObsFrame(
            area=np.array([a.pk for a in lsoas]),
            value=np.full(len(lsoas), 10.0),
            count=np.full(len(lsoas), 10.0),
            denominator=np.full(len(lsoas), 100.0),
        ),
        geo,
    )
    services.rollup_period([indicator], "2024", geo)
    published = Observation.objects.get(indicator=indicator, area=mansfield)
    assert published.value == 25 and published.basis == Basis.PUBLISHED
    ward = Observation.objects.filter(indicator=indicator, area__type="ward").first()
    assert ward is not None and ward.basis == Basis.ROLLUP
    assert ward.value == pytest.approx(10.0) and ward.lower is not None
    place = Observation.objects.get(indicator=indicator, area=geography["place"])
    assert place.count == 10 * len(lsoas) and place.denominator == 100 * len(lsoas)
    # England is never rolled up from the loaded areas
    assert not Observation.objects.filter(indicator=indicator, area=geography["england"]).exists()
    # the region is only partly loaded: its aggregate says so
    region = Observation.objects.get(indicator=indicator, area=geography["region"])
    assert "Only part of this area is loaded" in region.note


def test_period_year_reads_the_first_year():
    assert services.period_year("2019") == 2019
    assert services.period_year("2022/23") == 2022
    assert services.period_year("no year") == 0


# --- how rows reach the database ------------------------------------------------------------------


def _stored(indicator):  # type: ignore[no-untyped-def]
    return sorted(
        Observation.objects.filter(indicator=indicator).values_list(
            "area_id", "period", "year", "sex", "age", *services.FIELDS, "local_rank", "local_count"
        )
    )


def test_staged_inserts_store_exactly_what_row_by_row_inserts_store(
    geography, indicator, monkeypatch
):  # type: ignore[no-untyped-def]
    """Large batches go through a staging table on SQLite (the constant columns bound once):
    every value, None, flag, breakdown and note must arrive as a row-by-row insert stores it."""
    lsoas = _lsoas(geography)
    n = len(lsoas)
    ids = np.array([a.pk for a in lsoas] * 2)
    values = np.linspace(1, 50, 2 * n)
    values[::7] = np.nan
    frame = services.ObsFrame(
        area=ids,
        value=values,
        count=np.where(np.arange(2 * n) % 3 == 0, np.nan, 5.0),
        denominator=np.full(2 * n, 100.0),
        rank=np.arange(1, 2 * n + 1, dtype=float),
        suppressed=np.isnan(values),
        sex=["Male"] * n + ["Female"] * n,
        note=["" if i % 2 else f"note '{i}'; DROP TABLE x" for i in range(2 * n)],
    )
    geo = Geography.load()
    results = []
    for stage_from in (10**9, 1):  # row by row, then staged
        monkeypatch.setattr(services, "_STAGE_FROM", stage_from)
        Observation.objects.filter(indicator=indicator).delete()
        counts = services.write_observations(indicator, "2024", frame, geo)
        assert counts.created == 2 * n
        results.append(_stored(indicator))
    assert results[0] == results[1]
    assert len(results[1]) == 2 * n
    assert {row[3] for row in results[1]} == {"Male", "Female"}
    assert any(row[5] is None for row in results[1]) and any(row[6] is None for row in results[1])


def test_staged_inserts_keep_the_merge_path_too(geography, indicator, monkeypatch):  # type: ignore[no-untyped-def]
    """Adding areas next to stored ones (the merge path) inserts the new ones through staging."""
    monkeypatch.setattr(services, "_STAGE_FROM", 1)
    lsoas = _lsoas(geography)
    geo = Geography.load()
    ids = np.array([a.pk for a in lsoas])
    services.write_observations(
        indicator, "2024", services.ObsFrame(area=ids[:10], value=np.arange(10.0)), geo
    )
    counts = services.write_observations(
        indicator, "2024", services.ObsFrame(area=ids, value=np.arange(float(ids.size))), geo
    )
    assert counts.created == ids.size - 10 and counts.unchanged == 10
    stored = dict(Observation.objects.filter(indicator=indicator).values_list("area_id", "value"))
    assert stored == {int(a): float(i) for i, a in enumerate(ids)}


def _constraints() -> dict:  # type: ignore[type-arg]
    from django.db import connection

    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Observation._meta.db_table)


def _area_index_exists() -> bool:
    return any(
        c["index"] and c["columns"] == ["area_id", "indicator_id"] for c in _constraints().values()
    )


def _foreign_keys() -> set[tuple[str, tuple[str, str]]]:
    return {
        (c["columns"][0], tuple(c["foreign_key"]))
        for c in _constraints().values()
        if c["foreign_key"]
    }


def _import(kind):  # type: ignore[no-untyped-def]
    from placeworks.evidence.ingest import FingertipsImporter
    from tests.evidence.conftest import FIXTURES, import_iod

    if kind == "iod":
        return import_iod([FIXTURES / "iod2025_mansfield.csv"])
    return FingertipsImporter().run(FIXTURES / "fingertips_export.csv", commit=True)


@pytest.mark.parametrize("kind", ["iod", "fingertips"])
def test_a_bulk_load_rebuilds_the_area_index_and_stores_the_same_rows(geography, monkeypatch, kind):  # type: ignore[no-untyped-def]
    first = _import(kind)
    fields = ("indicator__code", "area_id", "period", "value", "lower", "rank", "basis")
    plain = sorted(Observation.objects.values_list(*fields))
    Observation.objects.all().delete()
    monkeypatch.setattr(services, "_BULK_FROM", 1)  # treat this file as a national one
    again = _import(kind)
    assert not again.errors and again.created == first.created > 0
    assert sorted(Observation.objects.values_list(*fields)) == plain
    assert _area_index_exists()
    assert _foreign_keys() == {
        ("area_id", ("places_area", "id")),
        ("indicator_id", ("evidence_indicator", "id")),
    }


def test_a_failed_bulk_load_keeps_the_area_index_and_foreign_keys(db, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    keys = _foreign_keys()
    assert len(keys) == 2
    monkeypatch.setattr(services, "_BULK_FROM", 100)
    with pytest.raises(RuntimeError), transaction.atomic(), services.bulk_load(100):
        assert not _area_index_exists()  # dropped while the rows go in
        if connection.vendor == "postgresql":
            assert not _foreign_keys()
        raise RuntimeError("the import failed half way")
    assert _area_index_exists() and _foreign_keys() == keys
    with transaction.atomic(), services.bulk_load(99):  # a smaller import leaves them alone
        assert _area_index_exists() and _foreign_keys() == keys


def test_a_bulk_load_still_refuses_rows_for_missing_areas(geography, indicator, monkeypatch):  # type: ignore[no-untyped-def]
    """The foreign keys come back validated: a row naming no area fails the whole import."""
    from django.db import IntegrityError, transaction

    monkeypatch.setattr(services, "_BULK_FROM", 1)
    lsoa = _lsoas(geography)[0]
    columns = [[value] for value in (indicator.pk, lsoa.pk, "2024", 2024, "Persons", "All ages")]
    columns += [[None]] * (len(services.FIELDS) + 2)
    columns[6 + services.FIELDS.index("suppressed")] = [False]
    columns[6 + services.FIELDS.index("provisional")] = [False]
    columns[6 + services.FIELDS.index("basis")] = ["published"]
    columns[6 + services.FIELDS.index("note")] = [""]
    orphan = [list(column) for column in columns]
    orphan[1] = [10**9]  # no such area
    with pytest.raises(IntegrityError), transaction.atomic():
        with services.bulk_load(1):
            services._insert(columns)
            services._insert(orphan)
        transaction.get_connection().check_constraints()  # SQLite checks deferred keys here
    assert not Observation.objects.filter(indicator=indicator).exists()
    assert _foreign_keys() and _area_index_exists()


def test_a_large_import_refreshes_postgresql_planner_statistics(geography, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from placeworks.ingest import core

    monkeypatch.setattr(core, "ANALYZE_FROM", 1)
    with CaptureQueriesContext(connection) as queries:
        report = _import("iod")
    assert report.committed
    analyzed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analyzed == (["ANALYZE"] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(core, "ANALYZE_FROM", report.created + report.updated + 1)
    with CaptureQueriesContext(connection) as queries:
        _import("iod")  # nothing new: no refresh
    assert not [q for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]


def _observation_reads(queries) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "evidence_observation"' in q["sql"]
    ]


def test_a_bulk_load_skips_reads_only_for_area_types_it_has_not_written(
    geography, indicator, monkeypatch
):  # type: ignore[no-untyped-def]
    """Inside ``bulk_load`` an (indicator, period) found empty is not read again for other area
    types; a write of types the load has already written still merges with them."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(services, "_BULK_FROM", 1)
    geo = Geography.load()
    mansfield = geography["E07000174"]
    lsoas = _lsoas(geography)
    small = services.ObsFrame(
        area=np.array([a.pk for a in lsoas]),
        value=np.full(len(lsoas), 10.0),
        count=np.full(len(lsoas), 10.0),
        denominator=np.full(len(lsoas), 100.0),
    )
    published = services.ObsFrame(area=np.array([mansfield.pk]), value=np.array([25.0]))
    with transaction.atomic(), services.bulk_load(1):
        with CaptureQueriesContext(connection) as queries:
            services.write_observations(indicator, "2024", small, geo)
        assert len(_observation_reads(queries)) == 1  # is anything stored? no
        with CaptureQueriesContext(connection) as queries:
            counts = services.write_observations(indicator, "2024", published, geo)
        assert counts.created == 1 and not _observation_reads(queries)  # districts: not written
        # The roll-up writes districts again: it reads them, and keeps the published value.
        rolled = services.rollup_period([indicator], "2024", geo)
    assert rolled.created > 0
    assert services._WRITTEN.get() is None  # only inside a load
    stored = Observation.objects.get(indicator=indicator, area=mansfield)
    assert stored.value == 25 and stored.basis == Basis.PUBLISHED
    assert Observation.objects.filter(indicator=indicator, area__type="ward").exists()
    # Stored before the load: read as usual, so the same rows come back unchanged.
    with transaction.atomic(), services.bulk_load(1):
        again = services.write_observations(indicator, "2024", small, geo)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(lsoas))
