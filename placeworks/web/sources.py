"""The open data sources shipped with Placeworks, read from each data folder's SOURCE.md."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings


@dataclass(frozen=True)
class DataSource:
    folder: str
    title: str
    text: str


@cache
def data_sources() -> list[DataSource]:
    sources = []
    for path in sorted((settings.BASE_DIR / "data").glob("*/SOURCE.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        title = lines[0].lstrip("# ").strip() if lines else path.parent.name
        body = [line.lstrip("- ").strip() for line in lines[1:] if line.strip()]
        sources.append(DataSource(path.parent.name, title, "\n".join(body)))
    return sources
