"""Importers of ward and place plans: one core (``core.PlansImporter``), one module per format.

``importer_for(path, format="auto", ...)`` picks the importer for a file; the management command
``import_plans`` and the web upload both call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core import PlansImporter
from .csv_xlsx import TableImporter
from .docx import DocxImporter

FORMATS: dict[str, tuple[type[PlansImporter], str]] = {
    "csv": (TableImporter, "CSV: one row per priority"),
    "xlsx": (TableImporter, "Excel (XLSX): one row per priority"),
    "docx": (DocxImporter, "Word (DOCX): a heading per ward followed by its priorities"),
}
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx"}


def detect_format(path: str | Path) -> str | None:
    """The format for a file name by its extension (None when unknown)."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def importer_for(path: str | Path, format: str = "auto", **options: Any) -> PlansImporter:  # noqa: A002
    """The importer for ``path``; ``options`` are ``PlansImporter``'s (owner, period, parent,
    status, is_sample)."""
    chosen = detect_format(path) if format == "auto" else format
    if chosen not in FORMATS:
        known = ", ".join(sorted(EXTENSIONS))
        raise ValueError(f"Cannot tell the format of {Path(path).name}: use a {known} file.")
    return FORMATS[chosen][0](**options)


__all__ = ["FORMATS", "DocxImporter", "PlansImporter", "TableImporter", "importer_for"]
