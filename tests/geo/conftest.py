"""Real ONS boundary files (data/geography, see its SOURCE.md), read once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from placeworks.geo import BoundaryFile, read_boundaries

GEOGRAPHY = Path(__file__).resolve().parents[2] / "data" / "geography"
LAD19 = GEOGRAPHY / "boundaries_lad19_uk.geojson"
LSOA21 = GEOGRAPHY / "boundaries_lsoa21_north_midlands.geojson"
WARDS21 = GEOGRAPHY / "boundaries_wards21_north_midlands.geojson"

MANSFIELD_TOWN_CENTRE = (-1.1967, 53.1435)
MANSFIELD_LAD = "E07000174"


@pytest.fixture(scope="session")
def lads() -> BoundaryFile:
    return read_boundaries(LAD19)


@pytest.fixture(scope="session")
def lsoas() -> BoundaryFile:
    return read_boundaries(LSOA21)


@pytest.fixture(scope="session")
def wards() -> BoundaryFile:
    return read_boundaries(WARDS21)
