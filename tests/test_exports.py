"""Every export's cells: text a spreadsheet would run as a formula is escaped, figures stay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.exports import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+44 115 000", "'+44 115 000"),
        ("-reduce ASB", "'-reduce ASB"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("-2+3", "'-2+3"),
        ("-2", "-2"),  # a plain number cannot run
        ("-1.25", "-1.25"),
        (" -1", " -1"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (-12.5, -12.5),
        (3, 3),
        (Decimal("1250000.00"), 1250000.0),
        (True, "yes"),
        (None, ""),
        (date(2026, 4, 1), date(2026, 4, 1)),
    ],
)
def test_text_a_spreadsheet_would_run_is_escaped(value, expected):
    assert safe_cell(value) == expected


def test_none_can_stand_for_an_empty_cell():
    assert safe_cell(None, none=None) is None


@given(st.text(max_size=30))
def test_no_cell_starts_a_formula(value):
    cell = safe_cell(value)
    if cell and cell[0] in "=+-@\t\r":
        float(cell)  # only a plain number may start with a sign


def test_the_module_doctests_pass():
    import doctest

    import placeworks.exports

    failed, attempted = doctest.testmod(placeworks.exports)
    assert attempted and not failed
