"""docs/pipeline.md cannot go stale: every endpoint, export column, stage, type, score component
and readiness criterion is in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from placeworks.pipeline.exports import COLUMNS
from placeworks.pipeline.models import ProjectType, Stage
from placeworks.pipeline.scoring import LABELS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pipeline.md").read_text()
FLAT = " ".join(DOC.split())


def test_every_api_endpoint_is_documented(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    ours = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith(("/api/projects", "/api/funding", "/api/pipeline"))
        for method in operations
    }
    assert len(ours) >= 11
    missing = sorted(f"{m} {p}" for m, p in ours if f"`{m} {p}" not in DOC)
    assert not missing, f"Add these endpoints to docs/pipeline.md: {missing}"


def test_every_export_column_is_documented():
    missing = [c.header for c in COLUMNS if c.header not in FLAT]
    assert not missing, f"Add these columns to docs/pipeline.md: {missing}"


@pytest.mark.parametrize(
    "words",
    [label.lower() for _, label in Stage.choices]
    + [label.lower() for _, label in ProjectType.choices]
    + list(LABELS.values()),
)
def test_every_stage_type_and_score_component_is_documented(words):
    assert words.lower() in FLAT.lower()
