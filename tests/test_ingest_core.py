"""The import core's upkeep after a large import: PostgreSQL's statistics and visibility map."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from placeworks.ingest import core


def _last_vacuum() -> object:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'evidence_observation'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # VACUUM runs only outside a transaction
def test_refresh_statistics_vacuums_and_analyzes_postgresql_outside_a_transaction() -> None:
    with CaptureQueriesContext(connection) as queries:
        core.refresh_statistics()
    issued = [q["sql"] for q in queries.captured_queries]
    if connection.vendor != "postgresql":
        assert issued == []  # SQLite needs neither
        return
    assert issued == ["VACUUM (ANALYZE)"]
    assert _last_vacuum() is not None
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        core.refresh_statistics()  # inside one (a web request, a test): statistics only
    assert [q["sql"] for q in queries.captured_queries] == ["ANALYZE"]
