"""Helpers shared by the places importers."""

from __future__ import annotations

from collections.abc import Iterable

from placeworks.ingest.core import ImportReport, Problem

from ..models import Area, AreaLink
from ..store import chunks


def allowed_codes(within: Iterable[str]) -> set[str]:
    """The given codes and the codes of every loaded area inside the areas with those codes.

    Used by ``--within`` to keep the rows of a national file that concern a region.
    """
    codes = {c.strip() for c in within if c and c.strip()}
    if not codes:
        return set()
    ids = list(Area.objects.filter(code__in=codes).values_list("id", flat=True))
    found = set(codes)
    for chunk in chunks(ids):
        found.update(
            AreaLink.objects.filter(ancestor_id__in=chunk).values_list(
                "descendant__code", flat=True
            )
        )
    return found


def error(
    report: ImportReport, message: str, row: int | None = None, column: str | None = None
) -> None:
    report.problems.append(Problem(report.file_name, message, row=row, column=column))


def warning(
    report: ImportReport, message: str, row: int | None = None, column: str | None = None
) -> None:
    report.problems.append(
        Problem(report.file_name, message, row=row, column=column, severity="warning")
    )


def parse_count(text: str) -> int | None:
    """A whole number as published: thousands separators and surrounding spaces allowed.

    >>> parse_count(" 1,296 "), parse_count("12.0"), parse_count("x") is None
    (1296, 12, True)
    """
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if value != int(value):
        return None
    return int(value)
