"""The import core's upkeep after a large import: PostgreSQL's statistics and visibility map."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from placeworks.evidence.ingest import FingertipsImporter, IoDImporter, TidyImporter
from placeworks.ingest import core


def _last_vacuum(table: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_evidence_importers_name_the_observation_table() -> None:
    for importer in (IoDImporter, FingertipsImporter, TidyImporter):
        assert importer.bulk_tables == ("evidence_observation",)
    assert core.BaseImporter.bulk_tables == ()


@pytest.mark.django_db(transaction=True)  # VACUUM runs only outside a transaction
def test_refresh_statistics_vacuums_the_named_tables_outside_a_transaction() -> None:
    with CaptureQueriesContext(connection) as queries:
        core.refresh_statistics(("evidence_observation",))
    issued = [q["sql"] for q in queries.captured_queries]
    if connection.vendor != "postgresql":
        assert issued == []  # SQLite needs neither
        return
    assert issued == ["ANALYZE", 'VACUUM "evidence_observation"']
    assert _last_vacuum("evidence_observation") is not None
    assert _last_vacuum("places_area") is None  # only the tables named
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        core.refresh_statistics(("evidence_observation",))  # inside one: statistics only
    assert [q["sql"] for q in queries.captured_queries] == ["ANALYZE"]
