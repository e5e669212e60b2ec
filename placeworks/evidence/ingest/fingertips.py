"""OHID Fingertips data exports ("Export data" CSV, or the fingertipsR/API ``all_data`` CSV).

Columns recognised by their published headers: Indicator ID, Indicator Name, Area Code, Area
Type, Sex, Age, Category Type, Time period, Value, Lower/Upper CI 95.0 limit (or 99.8),
Count, Denominator, Value note, Compared to England value or percentiles. Each indicator becomes
``fingertips-<id>``; rows with a Category Type (deprivation or ethnicity breakdowns) are left
out and counted. Exports cover all of England, so area codes not in the loaded geography are a
warning with counts and examples, not an error.

Indicator metadata the export does not carry is inferred and shown (and can be corrected in the
admin): the value type and multiplier from how Value relates to Count ÷ Denominator (× 100: a
percentage; × 1,000 or × 100,000: a rate per thousand or per hundred thousand), the polarity
from the export's own "Better"/"Worse" comparisons with England.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from placeworks.ingest import BaseImporter, ImportReport, Problem, Progress, TableReader
from placeworks.partners.permissions import Permission
from placeworks.themes.models import Theme
from placeworks.themes.services import ensure_default_themes

from ..models import Indicator, Observation, Polarity, SourceKind, ValueType
from .common import Parsed, Row, check_duplicates, match_areas, number, write_rows

REQUIRED = ["Indicator ID", "Indicator Name", "Area Code", "Time period", "Value"]
CI95 = ("Lower CI 95.0 limit", "Upper CI 95.0 limit")
CI998 = ("Lower CI 99.8 limit", "Upper CI 99.8 limit")
COMPARED = "Compared to England value or percentiles"
SOURCE_URL = "https://fingertips.phe.org.uk/"


class FingertipsImporter(BaseImporter):
    name: ClassVar[str] = "fingertips"
    permission: ClassVar[Permission] = Permission.MANAGE_INDICATORS
    bulk_tables: ClassVar[tuple[str, ...]] = (Observation._meta.db_table,)

    def __init__(self, theme: str | None = None):
        self.theme = theme

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Parsed | None:
        reader = TableReader(path, report.file_name)
        parsed = Parsed()
        names: dict[str, str] = {}
        skipped = Counter[str]()
        problems = report.problems
        rows = reader.rows()
        for number_row, cells in rows:
            if not reader.headers or number_row == 2:
                missing = [h for h in REQUIRED if h not in reader.headers]
                if missing:
                    problems.append(
                        Problem(
                            report.file_name,
                            "this is not a Fingertips data export: missing the column(s) "
                            + ", ".join(missing),
                            row=1,
                        )
                    )
                    return None
            report.rows += 1
            category = cells.get("Category Type", "").strip()
            if category:
                skipped[category] += 1
                continue
            indicator_id = cells["Indicator ID"].strip()
            if not indicator_id.isdigit():
                problems.append(
                    Problem(
                        report.file_name,
                        f"expected a whole-number Indicator ID, found {indicator_id!r}",
                        row=number_row,
                        column="Indicator ID",
                    )
                )
                continue
            code = f"fingertips-{indicator_id}"
            names.setdefault(code, cells["Indicator Name"].strip() or code)
            values: dict[str, float | None] = {}
            ok = True
            for column in ("Value", *CI95, *CI998, "Count", "Denominator"):
                try:
                    values[column] = number(cells.get(column, ""))
                except ValueError:
                    problems.append(
                        Problem(
                            report.file_name,
                            f"expected a number, found {cells.get(column)!r}",
                            row=number_row,
                            column=column,
                        )
                    )
                    ok = False
            area_code = cells["Area Code"].strip()
            period = cells["Time period"].strip()
            if not area_code:
                problems.append(
                    Problem(
                        report.file_name,
                        "the area code is empty",
                        row=number_row,
                        column="Area Code",
                    )
                )
                ok = False
            if not period:
                problems.append(
                    Problem(
                        report.file_name,
                        "the time period is empty",
                        row=number_row,
                        column="Time period",
                    )
                )
                ok = False
            if not ok:
                continue
            lower, upper, confidence = values[CI95[0]], values[CI95[1]], 0.95
            if lower is None or upper is None:
                lower, upper, confidence = values[CI998[0]], values[CI998[1]], 0.998
            if lower is None or upper is None:
                lower = upper = None
            value = values["Value"]
            if (
                value is not None
                and lower is not None
                and upper is not None
                and not (lower - 1e-9 <= value <= upper + 1e-9)
            ):
                problems.append(
                    Problem(
                        report.file_name,
                        f"the value {value:g} is outside its confidence limits {lower:g}–{upper:g}",
                        row=number_row,
                        column="Value",
                    )
                )
                continue
            note = cells.get("Value note", "").strip()
            parsed.rows.append(
                Row(
                    row=number_row,
                    indicator=code,
                    area_code=area_code,
                    period=period,
                    sex=cells.get("Sex", "").strip() or "Persons",
                    age=cells.get("Age", "").strip() or "All ages",
                    value=value,
                    count=values["Count"],
                    denominator=values["Denominator"],
                    lower=lower,
                    upper=upper,
                    confidence=confidence if lower is not None else None,
                    suppressed=value is None,
                    provisional="provisional" in note.lower(),
                    note=note[:300],
                    verdict=cells.get(COMPARED, "").strip().lower(),
                )
            )
        if not reader.headers:
            problems.append(Problem(report.file_name, "the file is empty"))
            return None
        if report.errors:
            return None
        if not parsed.rows:
            problems.append(Problem(report.file_name, "no rows to import"))
            return None
        if skipped:
            report.notes.append(
                "Left out rows broken down by category (not supported yet): "
                + ", ".join(f"{k} ({v})" for k, v in skipped.most_common())
            )
        check_duplicates(parsed, report, "Area Code")
        match_areas(
            parsed,
            report,
            column="Area Code",
            unknown_is_error=False,
            why="A Fingertips export covers England: values are stored for the loaded areas only.",
        )
        parsed.indicators = {code: {"name": name} for code, name in names.items()}
        return None if report.errors else parsed

    def write(
        self, parsed: Parsed, report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        ensure_default_themes()
        theme = Theme.objects.filter(slug=self.theme).first() if self.theme else None
        indicators: dict[str, Indicator] = {}
        for code, meta in parsed.indicators.items():
            rows = [r for r in parsed.rows if r.indicator == code]
            value_type, multiplier, unit = infer_value_type(rows)
            polarity = infer_polarity(rows)
            indicator = Indicator.objects.filter(code=code).first()
            if indicator is None:
                indicator = Indicator.objects.create(
                    code=code,
                    name=meta["name"],
                    short_name=meta["name"][:80],
                    theme=theme,
                    definition=meta["name"],
                    polarity=polarity,
                    value_type=value_type,
                    unit=unit,
                    multiplier=multiplier,
                    decimals=1,
                    method="As published in OHID Fingertips (values and 95% confidence limits). "
                    "For areas Fingertips does not publish (PLACE areas), counts and "
                    "denominators are summed and re-estimated by Placeworks.",
                    source_kind=SourceKind.OFFICIAL,
                    publisher="Office for Health Improvement and Disparities",
                    source=f"Fingertips indicator {code.split('-')[1]}",
                    source_url=SOURCE_URL,
                    licence="Open Government Licence v3.0",
                )
                report.notes.append(
                    f"New indicator {code} ({meta['name']}): {value_type}"
                    + (f" × {multiplier:g}" if multiplier != 1 else "")
                    + f", {polarity.replace('_', ' ')} (inferred; correct it in the admin if "
                    "needed)."
                )
            elif theme is not None and indicator.theme_id != theme.pk:
                indicator.theme = theme
                indicator.save(update_fields=["theme", "updated_at"])
            indicators[code] = indicator
        write_rows(parsed, indicators, report, progress=progress)


def infer_value_type(rows: list[Row]) -> tuple[str, float, str]:
    """(value type, multiplier, unit) from how Value relates to Count ÷ Denominator.

    >>> infer_value_type([Row(2, "x", "E1", "2020", "Persons", "All ages", 25.0, 5, 20)])
    ('proportion', 100.0, '%')
    >>> infer_value_type([Row(2, "x", "E1", "2020", "Persons", "All ages", 250.0, 5, 2000)])
    ('rate', 100000.0, 'per 100,000')
    """
    ratios = [
        r.value / (r.count / r.denominator)
        for r in rows
        if r.value is not None and r.count and r.denominator
    ]
    if not ratios:
        return ValueType.SCORE, 1.0, ""
    ratio = float(np.median(ratios))
    within = all(
        r.count <= r.denominator for r in rows if r.count is not None and r.denominator is not None
    )
    for scale, unit in ((1.0, "proportion"), (100.0, "%")):
        if abs(ratio - scale) <= 0.01 * scale and within:
            return ValueType.PROPORTION, scale, unit
    for scale, unit in (
        (1000.0, "per 1,000"),
        (10_000.0, "per 10,000"),
        (100_000.0, "per 100,000"),
    ):
        if abs(ratio - scale) <= 0.01 * scale:
            return ValueType.RATE, scale, unit
    return ValueType.SCORE, 1.0, ""


def infer_polarity(rows: list[Row]) -> str:
    """The polarity the export's own comparisons with England imply: a row whose interval lies
    above England's value and is called "worse" means higher is worse, and so on (the majority
    decides); "higher"/"lower" comparisons, or none, mean no judgement.

    >>> england = Row(2, "x", "E92000001", "2020", "Persons", "All ages", 10.0)
    >>> area = Row(3, "x", "E06000015", "2020", "Persons", "All ages", 14.0, lower=12.0,
    ...            upper=16.0, verdict="worse")
    >>> infer_polarity([england, area])
    'higher_is_worse'
    """
    england = {
        (r.period, r.sex, r.age): r.value
        for r in rows
        if r.area_code == "E92000001" and r.value is not None
    }
    votes: Counter[str] = Counter()
    for r in rows:
        benchmark = england.get((r.period, r.sex, r.age))
        if benchmark is None or r.lower is None or r.upper is None or not r.verdict:
            continue
        above = r.lower > benchmark
        below = r.upper < benchmark
        if not (above or below):
            continue
        if "worse" in r.verdict:
            votes[Polarity.HIGHER_IS_WORSE if above else Polarity.HIGHER_IS_BETTER] += 1
        elif "better" in r.verdict:
            votes[Polarity.HIGHER_IS_BETTER if above else Polarity.HIGHER_IS_WORSE] += 1
    if votes:
        return str(votes.most_common(1)[0][0])
    return Polarity.NO_JUDGEMENT
