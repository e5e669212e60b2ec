"""Partners' own data in one documented, tidy layout (CSV or XLSX): one row per area, indicator,
period and breakdown. Download the template from /evidence/upload/ (or docs/evidence.md).

Columns (headers are matched ignoring case, spaces and underscores):

================  ========  ==========================================================
column            required  meaning
================  ========  ==========================================================
area_code         yes       ONS code of an area in the loaded geography (E01…, E05…)
indicator         yes       indicator code (see /evidence/indicators/)
period            yes       e.g. 2024, 2023/24, 2022 - 24
value             *         the value; may be empty when count and denominator are given
count             no        numerator (events, people)
denominator       no        population at risk
lower, upper      no        confidence limits of the value
confidence        no        0.95 (default when limits are given) or 0.998
sex, age          no        breakdown (default Persons, All ages)
suppressed        no        yes when the value is withheld (small numbers)
provisional       no        yes when the value may be revised
note              no        a short note shown with the value
indicator_name    new       to add your own indicator: its name …
value_type        new       … proportion, rate, dsr, score, rank, count or mean …
polarity          new       … higher_is_better, higher_is_worse or no_judgement
unit, multiplier  new       … e.g. "%" and 100; "per 1,000" and 1000
theme             new       … a theme slug (housing, health-wellbeing…)
================  ========  ==========================================================

Every area code must be loaded: a partner's file naming an unknown area is refused, listing the
codes with counts and examples (unlike national files, where unknown codes are only a warning).
Values are re-estimated where the indicator's method allows: a proportion or rate given as a
count and denominator gets its value and Wilson or Poisson limits computed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, ClassVar

from placeworks.ingest import BaseImporter, ImportReport, Problem, Progress, TableReader
from placeworks.partners.permissions import Permission
from placeworks.stats import proportion, rate

from .. import services
from ..models import Basis, Indicator, Observation, Polarity, ValueType
from .common import Parsed, Row, check_duplicates, match_areas, number, write_rows, yes

COLUMNS: list[tuple[str, bool, str]] = [
    ("area_code", True, "ONS code of an area in the loaded geography, e.g. E01028123"),
    ("indicator", True, "Indicator code, e.g. iod-imd-score or your own code"),
    ("period", True, "Period, e.g. 2024 or 2023/24"),
    ("value", False, "The value (may be empty when count and denominator are given)"),
    ("count", False, "Numerator: events or people"),
    ("denominator", False, "Population at risk"),
    ("lower", False, "Lower confidence limit"),
    ("upper", False, "Upper confidence limit"),
    ("confidence", False, "Confidence level of the limits: 0.95 (default) or 0.998"),
    ("sex", False, "Persons (default), Female, Male"),
    ("age", False, "All ages (default), or an age band"),
    ("suppressed", False, "yes when the value is withheld"),
    ("provisional", False, "yes when the value may be revised"),
    ("note", False, "A short note shown with the value"),
    ("indicator_name", False, "Only to add a new indicator: its name"),
    ("value_type", False, "New indicator: proportion, rate, dsr, score, rank, count or mean"),
    ("polarity", False, "New indicator: higher_is_better, higher_is_worse or no_judgement"),
    ("unit", False, "New indicator: unit, e.g. % or per 1,000"),
    ("multiplier", False, "New indicator: 100 for %, 1000 per thousand (default 1)"),
    ("theme", False, "New indicator: theme slug, e.g. housing"),
]
EXAMPLE_ROWS = [
    {
        "area_code": "E05013996",
        "indicator": "food-bank-referrals",
        "period": "2024/25",
        "count": "212",
        "denominator": "9410",
        "indicator_name": "Food bank referrals per 1,000 residents",
        "value_type": "rate",
        "polarity": "higher_is_worse",
        "unit": "per 1,000",
        "multiplier": "1000",
        "theme": "cost-of-living",
        "note": "Example row: replace with your data",
    },
]


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


ALIASES = {"indicator_code": "indicator", "area": "area_code", "code": "area_code"}


class TidyImporter(BaseImporter):
    """Partners' data in the tidy layout (CSV or XLSX)."""

    name: ClassVar[str] = "evidence"
    permission: ClassVar[Permission] = Permission.UPLOAD_EVIDENCE
    bulk_tables: ClassVar[tuple[str, ...]] = (Observation._meta.db_table,)

    def __init__(self, organisation: Any = None):
        self.organisation = organisation
        self.by: Any = None

    def check_permission(self, by: Any) -> None:
        super().check_permission(by)
        self.by = by  # parse checks which indicators this person may change

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Parsed | None:
        reader = TableReader(path, report.file_name)
        parsed = Parsed()
        problems = report.problems
        new_indicators: dict[str, dict[str, Any]] = {}
        checked = False
        mapping: dict[str, str] = {}
        for row_number, raw in reader.rows():
            if not checked:
                checked = True
                mapping = {h: ALIASES.get(_key(h), _key(h)) for h in reader.headers}
                present = set(mapping.values())
                missing = [
                    name for name, required, _ in COLUMNS if required and name not in present
                ]
                if missing:
                    problems.append(
                        Problem(
                            report.file_name,
                            "missing required column(s): "
                            + ", ".join(missing)
                            + ". Download the template for the layout.",
                            row=1,
                        )
                    )
                    return None
                known = {name for name, _, _ in COLUMNS}
                extra = [h for h, k in mapping.items() if k not in known and h]
                if extra:
                    problems.append(
                        Problem(
                            report.file_name,
                            "columns not in the template were ignored: " + ", ".join(extra),
                            row=1,
                            severity="warning",
                        )
                    )
            cells = {mapping[h]: v for h, v in raw.items() if h in mapping}
            report.rows += 1
            item = self._row(row_number, cells, problems, report.file_name, new_indicators)
            if item is not None:
                parsed.rows.append(item)
        if not checked:
            problems.append(Problem(report.file_name, "the file has no rows (or no header row)"))
            return None
        self._check_indicators(parsed, new_indicators, report)
        if report.errors:
            return None
        check_duplicates(parsed, report, "area_code")
        match_areas(
            parsed,
            report,
            column="area_code",
            unknown_is_error=True,
            why="Every area in a partner's file must be in the loaded geography: check the codes "
            "(and their boundary year) or ask an administrator to load the areas.",
        )
        if report.errors:
            return None
        parsed.indicators = new_indicators
        return parsed

    def _row(
        self,
        row_number: int,
        cells: dict[str, str],
        problems: list[Problem],
        file_name: str,
        new_indicators: dict[str, dict[str, Any]],
    ) -> Row | None:
        def problem(column: str, message: str) -> None:
            problems.append(Problem(file_name, message, row=row_number, column=column))

        ok = True
        for name, required, _ in COLUMNS:
            if required and not cells.get(name, "").strip():
                problem(name, "this cell is empty; a value is required")
                ok = False
        numbers: dict[str, float | None] = {}
        for name in ("value", "count", "denominator", "lower", "upper", "confidence", "multiplier"):
            try:
                numbers[name] = number(cells.get(name, ""))
            except ValueError:
                problem(name, f"expected a number, found {cells.get(name)!r}")
                ok = False
        if not ok:
            return None
        code = cells["indicator"].strip()
        if cells.get("indicator_name", "").strip():
            new_indicators.setdefault(
                code,
                {
                    "row": row_number,
                    "name": cells["indicator_name"].strip(),
                    "value_type": cells.get("value_type", "").strip().lower(),
                    "polarity": cells.get("polarity", "").strip().lower() or Polarity.NO_JUDGEMENT,
                    "unit": cells.get("unit", "").strip(),
                    "multiplier": numbers["multiplier"] or 1,
                    "theme": cells.get("theme", "").strip() or None,
                },
            )
        for name in ("count", "denominator"):
            value = numbers[name]
            if value is not None and value < 0:
                problem(name, f"must not be negative, found {value:g}")
                ok = False
        confidence = numbers["confidence"]
        if confidence is not None and not 0 < confidence < 1:
            problem(
                "confidence", f"expected a level between 0 and 1 such as 0.95, found {confidence:g}"
            )
            ok = False
        lower, upper, value = numbers["lower"], numbers["upper"], numbers["value"]
        if (lower is None) != (upper is None):
            problem("lower" if lower is None else "upper", "give both confidence limits or neither")
            ok = False
        if lower is not None and upper is not None:
            if lower > upper:
                problem("lower", f"the lower limit {lower:g} is above the upper limit {upper:g}")
                ok = False
            elif value is not None and not lower - 1e-9 <= value <= upper + 1e-9:
                problem("value", f"the value {value:g} is outside its limits {lower:g}–{upper:g}")
                ok = False
        if not ok:
            return None
        return Row(
            row=row_number,
            indicator=code,
            area_code=cells["area_code"].strip(),
            period=cells["period"].strip(),
            sex=cells.get("sex", "").strip() or "Persons",
            age=cells.get("age", "").strip() or "All ages",
            value=value,
            count=numbers["count"],
            denominator=numbers["denominator"],
            lower=lower,
            upper=upper,
            confidence=(confidence or 0.95) if lower is not None else None,
            suppressed=yes(cells.get("suppressed", "")),
            provisional=yes(cells.get("provisional", "")),
            note=cells.get("note", "").strip()[:300],
        )

    def _check_indicators(
        self, parsed: Parsed, new_indicators: dict[str, dict[str, Any]], report: ImportReport
    ) -> None:
        codes = {r.indicator for r in parsed.rows}
        existing = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        for code in sorted(codes):
            first = next(r.row for r in parsed.rows if r.indicator == code)
            indicator = existing.get(code)
            if indicator is not None:
                if not services.may_manage(self.by, indicator):
                    report.problems.append(
                        Problem(
                            report.file_name,
                            f"{code} is {'an official indicator' if indicator.source_kind == 'official' else 'another organisation’s indicator'}: "
                            "you cannot change its data",
                            row=first,
                            column="indicator",
                        )
                    )
                continue
            spec = new_indicators.get(code)
            if spec is None:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"there is no indicator {code!r}: use a code from /evidence/indicators/, "
                        "or add indicator_name and value_type to create your own",
                        row=first,
                        column="indicator",
                    )
                )
                continue
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,99}", code):
                report.problems.append(
                    Problem(
                        report.file_name,
                        "a new indicator code may use lower-case letters, digits and hyphens only",
                        row=spec["row"],
                        column="indicator",
                    )
                )
            if spec["value_type"] not in ValueType.values:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"value_type must be one of {', '.join(ValueType.values)}",
                        row=spec["row"],
                        column="value_type",
                    )
                )
            if spec["polarity"] not in Polarity.values:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"polarity must be one of {', '.join(Polarity.values)}",
                        row=spec["row"],
                        column="polarity",
                    )
                )
        if report.errors:
            return
        kinds = {code: i.value_type for code, i in existing.items()}
        multipliers = {code: i.multiplier for code, i in existing.items()}
        for code, spec in new_indicators.items():
            kinds.setdefault(code, spec["value_type"])
            multipliers.setdefault(code, float(spec["multiplier"]))
        for item in parsed.rows:
            self._estimate(
                item, kinds.get(item.indicator, ""), multipliers.get(item.indicator, 1.0), report
            )

    def _estimate(self, item: Row, kind: str, multiplier: float, report: ImportReport) -> None:
        """Fill the value and limits from count and denominator where the method allows."""
        x, n = item.count, item.denominator
        if item.suppressed:
            return
        if kind == ValueType.COUNT and item.value is None and x is not None:
            item.value = x
            return
        if kind not in (ValueType.PROPORTION, ValueType.RATE) or x is None or not n:
            if item.value is None:
                report.problems.append(
                    Problem(
                        report.file_name,
                        "the value is empty: give a value, or a count and denominator for a "
                        "proportion or rate, or mark the row suppressed",
                        row=item.row,
                        column="value",
                    )
                )
            return
        if kind == ValueType.PROPORTION and x > n:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"the count {x:g} is larger than the denominator {n:g}, impossible for a "
                    "proportion",
                    row=item.row,
                    column="count",
                )
            )
            return
        estimate = (
            proportion(x, n, multiplier=multiplier)
            if kind == ValueType.PROPORTION
            else rate(x, n, multiplier=multiplier)
        )
        if item.value is not None and abs(item.value - estimate.value) > 0.01 * max(
            abs(estimate.value), 1e-9
        ):
            report.problems.append(
                Problem(
                    report.file_name,
                    f"the value {item.value:g} is not count ÷ denominator × {multiplier:g} "
                    f"({estimate.value:.4g}): check the indicator's multiplier",
                    row=item.row,
                    column="value",
                )
            )
            return
        item.value = estimate.value
        if item.lower is None:
            item.lower, item.upper, item.confidence = estimate.lower, estimate.upper, 0.95

    def write(
        self, parsed: Parsed, report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        indicators = {
            i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in parsed.rows})
        }
        for code, spec in parsed.indicators.items():
            if code in indicators:
                continue
            indicators[code] = services.create_partner_indicator(
                by=by,
                code=code,
                name=spec["name"],
                value_type=spec["value_type"],
                polarity=spec["polarity"],
                theme=spec["theme"],
                unit=spec["unit"],
                multiplier=float(spec["multiplier"]),
                organisation=self.organisation,
            )
            report.notes.append(f"New indicator {code}: {spec['name']}.")
        write_rows(parsed, indicators, report, basis=Basis.PARTNER, progress=progress)


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _, _ in COLUMNS])
    writer.writeheader()
    for row in EXAMPLE_ROWS:
        writer.writerow(row)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = "data"
    names = [name for name, _, _ in COLUMNS]
    data.append(names)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE_ROWS:
        data.append([row.get(name, "") for name in names])
    guide = workbook.create_sheet("read me")
    guide.append(["column", "required", "meaning"])
    for name, required, meaning in COLUMNS:
        guide.append([name, "yes" if required else "", meaning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
