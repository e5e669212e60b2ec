"""docs/evidence.md cannot go stale: commands, value types, need themes, API paths."""

from __future__ import annotations

from pathlib import Path

from placeworks.evidence import need
from placeworks.evidence.api import router
from placeworks.evidence.catalogue import MEASURES
from placeworks.evidence.models import ValueType

DOC = (Path(__file__).resolve().parents[2] / "docs" / "evidence.md").read_text()
COMMANDS = (
    Path(__file__).resolve().parents[2] / "placeworks" / "evidence" / "management" / "commands"
)


def test_every_evidence_command_is_documented():
    names = [p.stem for p in COMMANDS.glob("*.py") if p.stem != "__init__"]
    missing = [n for n in names if f"placeworks {n}" not in DOC]
    assert names and not missing, f"Document these commands in docs/evidence.md: {missing}"


def test_every_value_type_method_is_documented():
    missing = [
        v for v in ValueType.values if v.replace("dsr", "directly standardised") not in DOC.lower()
    ]
    assert not missing


def test_every_need_theme_is_documented():
    missing = [t.key for t in need.config() if f"`{t.key}`" not in DOC]
    assert not missing, f"Document these need-index themes: {missing}"


def test_every_iod_measure_is_documented():
    text = " ".join(DOC.lower().split())
    missing = [m.name for m in MEASURES if m.stems[0].replace(" sub-domain", "") not in text]
    assert not missing


def test_every_api_path_is_documented():
    paths = list(router.path_operations)
    missing = [p for p in paths if p not in DOC]
    assert paths and not missing, f"Document these API paths: {missing}"
