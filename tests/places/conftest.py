"""The places tests' geography: the real importers on the real files, for Mid-Nottinghamshire.

Loading the whole North Midlands takes tens of seconds, so the package shares one load of the
three districts of Mid-Nottinghamshire (Ashfield, Mansfield, Newark and Sherwood), made once in
an outer transaction that is rolled back when the package's tests finish. Each test runs in a
savepoint inside it, so what a test writes is undone after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "places"
DATA = Path(__file__).resolve().parents[2] / "data"
MID_NOTTS = ["E07000170", "E07000174", "E07000175"]  # Ashfield, Mansfield, Newark and Sherwood
MANSFIELD = "E07000174"
# Mansfield town centre (Market Place): in LSOA E01028268, ward Central (2024).
TOWN_CENTRE = (-1.1967, 53.1435)


@pytest.fixture(scope="package")
def _mid_notts(django_db_setup, django_db_blocker) -> Iterator[dict[str, float]]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from placeworks.places.demo import load_geography

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_geography(
                lads=MID_NOTTS, groupings=FIXTURES / "groupings_mid_notts.yaml", quiet=True
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def geography(_mid_notts, db):  # type: ignore[no-untyped-def]
    """The Mid-Nottinghamshire geography (read-only by convention; changes are rolled back)."""
    return _mid_notts


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    return UserFactory(username="geoadmin", is_staff=True, is_superuser=True)


@pytest.fixture
def viewer(db):  # type: ignore[no-untyped-def]
    from tests.factories import member

    return member(username="viewer")


def area(code: str, **filters: str):  # type: ignore[no-untyped-def]
    from placeworks.places.queries import find_area

    found = find_area(code, **filters)
    assert found is not None, f"{code} is not loaded"
    return found
