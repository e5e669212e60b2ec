"""docs/priorities.md documents the import layouts, the command and the coverage definitions;
the doctests in the priorities modules run."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from placeworks.priorities import areas, exports, need, periods
from placeworks.priorities.ingest import core, csv_xlsx

DOC = Path(__file__).resolve().parents[2] / "docs" / "priorities.md"


def test_every_import_column_is_documented():
    text = DOC.read_text()
    missing = [name for name in csv_xlsx.COLUMNS if f"`{name}`" not in text]
    assert not missing, f"Document these columns in docs/priorities.md: {missing}"


def test_the_command_and_the_definitions_are_documented():
    text = DOC.read_text()
    for needed in (
        "import_plans",
        "--commit",
        "--parent",
        "--period",
        "--owner",
        "Heading 1",
        "Unrecognised need",
        "Coverage",
        "/api/coverage",
        "/api/tagging/suggest",
    ):
        assert needed in text, needed


@pytest.mark.parametrize("module", [periods, areas, exports, need, core])
def test_doctests(module):
    failures, _ = doctest.testmod(module)
    assert failures == 0
