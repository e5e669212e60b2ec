"""Cells for spreadsheets people open: every CSV and XLSX export goes through ``safe_cell``.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by Excel, LibreOffice or Google Sheets (CSV or formula injection). Following the
OWASP advice, such text gets a leading apostrophe, which spreadsheets show as text and do not
display. Numbers (and text that is only a number, such as ``-1.25``) are left alone, so figures
stay figures.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


def safe_cell(value: Any, *, none: Any = "") -> Any:
    """``value`` as a spreadsheet will show it, never run it; ``none`` stands for None.

    >>> safe_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-reduce ASB"), safe_cell("-1.25"), safe_cell(-3), safe_cell(None)
    ("'-reduce ASB", '-1.25', -3, '')
    >>> safe_cell("@SUM(A1)"), safe_cell(True), safe_cell(Decimal("2.50"))
    ("'@SUM(A1)", 'yes', 2.5)
    """
    if value is None:
        return none
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text
