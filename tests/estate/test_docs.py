"""docs/estate.md cannot go stale: every import column, format, kind and endpoint is in it."""

from __future__ import annotations

from pathlib import Path

from placeworks.estate.ingest import FORMATS
from placeworks.estate.ingest.generic import COLUMNS
from placeworks.estate.models import Kind

DOC = (Path(__file__).resolve().parents[2] / "docs" / "estate.md").read_text()


def test_every_generic_column_is_documented():
    missing = [c for c in COLUMNS if f"`{c}`" not in DOC]
    assert not missing, f"Add these columns to docs/estate.md: {missing}"


def test_every_format_and_command_is_documented():
    missing = [f for f in FORMATS if f"--format {f}" not in DOC and f != "generic"]
    assert not missing, f"Add these formats to docs/estate.md: {missing}"
    for command in ("import_assets", "import_postcodes", "locate_assets"):
        assert command in DOC


def test_every_kind_is_documented():
    missing = [label for _, label in Kind.choices if label.lower() not in DOC.lower()]
    assert not missing, f"Add these kinds to docs/estate.md: {missing}"


def test_api_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    ours = [
        p
        for p in paths
        if p.startswith(("/api/assets", "/api/opportunities", "/api/estate", "/api/community"))
    ]
    assert ours
    missing = [p for p in ours if f"`GET {p}`" not in DOC]
    assert not missing, f"Add these endpoints to docs/estate.md: {missing}"
