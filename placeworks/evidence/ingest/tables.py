"""Reading whole tables fast (polars), keeping spreadsheet row numbers for problem reports.

National files (33,755 rows × 60 columns) are read column-wise as text, then converted with
vectorised casts; a cell that does not convert is found by comparing the text and the number, so
every problem still names its row and column.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from placeworks.ingest import Problem

FloatArray = np.ndarray


@dataclass
class Sheet:
    """One table: its display name (file, or file and sheet), headers and text cells."""

    name: str
    frame: pl.DataFrame

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)

    def row_number(self, index: int) -> int:
        """The spreadsheet row of the ``index``-th data row (the header is row 1)."""
        return index + 2


class Unreadable(Exception):
    pass


def _csv_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw


def read_sheets(path: Path, display_name: str | None = None) -> list[Sheet]:
    """Every table in the file as text: a CSV (gzipped or not) or each sheet of an XLSX.

    Raises ``Unreadable`` with a plain message when the file is not a table.
    """
    name = display_name or path.name
    suffix = "".join(path.suffixes[-2:]).lower()
    if suffix.endswith((".xlsx", ".xlsm")):
        return list(_xlsx_sheets(path, name))
    raw = _csv_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"
        ) from None
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    headers = [h.strip() for h in first]
    _check_headers(headers)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            new_columns=headers,
        )
    except pl.exceptions.PolarsError as exc:
        message = str(exc).splitlines()[0]
        raise Unreadable(f"could not read the file as CSV: {message}") from None
    return [Sheet(name, _strip(frame))]


def _check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise Unreadable("the first row is empty: it must hold the column headers")
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise Unreadable(f"the column header {header!r} appears twice")
        seen.add(header)


def _strip(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.all().str.strip_chars())


def _xlsx_sheets(path: Path, name: str) -> Iterator[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise Unreadable(f"could not open the workbook: {exc}") from None
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            headers = [str(h).strip() if h is not None else "" for h in header]
            while headers and not headers[-1]:
                headers.pop()
            if not any(headers):
                continue
            _check_headers(headers)
            columns: list[list[str | None]] = [[] for _ in headers]
            for values in rows:
                cells = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
                for column, cell in zip(columns, cells, strict=False):
                    column.append(None if cell is None or cell == "" else _cell(cell))
            frame = pl.DataFrame(
                {
                    h or f"column {i + 1}": c
                    for i, (h, c) in enumerate(zip(headers, columns, strict=True))
                },
                schema={h or f"column {i + 1}": pl.String for i, h in enumerate(headers)},
            )
            label = name if len(workbook.worksheets) == 1 else f"{name} (sheet {worksheet.title})"
            yield Sheet(label, _strip(frame))
    finally:
        workbook.close()


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(sheet: Sheet, column: str) -> pl.Series:
    """The column's cells as text, empty cells as null."""
    series = sheet.frame[column]
    return series.set(series == "", None) if series.dtype == pl.String else series


def numbers(
    sheet: Sheet,
    column: str,
    problems: list[Problem],
    *,
    required: bool,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    what: str = "a number",
    limit: int = 20,
) -> np.ndarray:
    """The column as float64 (NaN for empty cells), appending a problem for each cell that is
    not a number in range (up to ``limit`` per column, then a count).

    Thousands separators ("29,199") are accepted, as MHCLG writes some ranks.
    """
    raw = text(sheet, column)
    cleaned = raw.str.replace_all(",", "", literal=True).str.replace_all(" ", "", literal=True)
    values = cleaned.cast(pl.Float64, strict=False)
    array = values.to_numpy().astype(np.float64, copy=True)
    empty = raw.is_null().to_numpy()
    bad = (~empty) & np.isnan(array)
    bad |= ~np.isfinite(array) & ~np.isnan(array)
    if integer:
        bad |= (~np.isnan(array)) & (np.mod(array, 1) != 0)
    if minimum is not None:
        bad |= array < minimum
    if maximum is not None:
        bad |= array > maximum
    wanted = what
    if minimum is not None and maximum is not None:
        wanted = f"{what} from {minimum:g} to {maximum:g}"
    elif minimum is not None:
        wanted = f"{what} of at least {minimum:g}"
    _report(sheet, column, bad, raw, problems, f"expected {wanted}", limit)
    if required:
        _report(
            sheet, column, empty, raw, problems, "this cell is empty; a value is required", limit
        )
    array[bad] = np.nan
    return array


def _report(
    sheet: Sheet,
    column: str,
    mask: np.ndarray,
    raw: pl.Series,
    problems: list[Problem],
    message: str,
    limit: int,
) -> None:
    rows = np.flatnonzero(mask)
    for index in rows[:limit]:
        shown = raw[int(index)]
        found = f", found {shown!r}" if shown is not None else ""
        problems.append(
            Problem(
                sheet.name, f"{message}{found}", row=sheet.row_number(int(index)), column=column
            )
        )
    if rows.size > limit:
        problems.append(
            Problem(
                sheet.name,
                f"{message}: {rows.size - limit} more cell(s) like this in the column",
                column=column,
            )
        )
