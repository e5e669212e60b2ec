"""NHS ODS ``epraccur``: GP practices and prescribing cost centres, headerless as published.

Columns by position (NHS Digital's specification): 1 organisation code, 2 name, 5–9 address
lines, 10 postcode, 13 status code (A active, C closed, D dormant, P proposed), 15 commissioner,
18 telephone, 26 prescribing setting (4 = GP practice). Active GP practices are imported, each
owned by the practice itself (an organisation with its ODS code) and keyed ``ods:<code>``; other
rows (closed or dormant practices, out-of-hours services, walk-in centres, prisons…) are counted
and skipped. The file has no coordinates: practices are placed at their postcode's centre when
the postcode lookup has it, and listed as not placed otherwise.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from placeworks.ingest.core import ImportReport, Problem, Progress
from placeworks.partners.models import Organisation, Sector, Visibility

from ..models import Kind, Source, Status
from .common import AssetImporter, Cells, OwnerSpec, ParsedAsset, tidy_name

POSITIONS = {
    "code": 0,
    "name": 1,
    "address1": 4,
    "address2": 5,
    "address3": 6,
    "address4": 7,
    "address5": 8,
    "postcode": 9,
    "status": 12,
    "commissioner": 14,
    "phone": 17,
    "setting": 25,
}
MIN_COLUMNS = 26
CODE_RE = re.compile(r"^[A-Z0-9]{3,8}$")
GP_PRACTICE_SETTING = "4"
STATUS_NAMES = {"C": "closed", "D": "dormant", "P": "proposed"}


class OdsGpImporter(AssetImporter):
    name = "assets (NHS ODS GP practices)"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        parsed: list[ParsedAsset] = []
        by_ods = {
            ods.upper(): pk
            for ods, pk in Organisation.objects.exclude(ods_code="").values_list("ods_code", "pk")
        }
        skipped: dict[str, int] = {}
        columns = {name: str(position + 1) for name, position in POSITIONS.items()}
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if not any(v.strip() for v in values):
                continue
            if number == 1 and values and not CODE_RE.match(values[0].strip().upper()):
                continue  # a header row someone added
            report.rows += 1
            if len(values) < MIN_COLUMNS:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"has {len(values)} columns; the epraccur layout has 27 (no header row)",
                        number,
                    )
                )
                continue
            cells = Cells(
                number,
                {str(i + 1): v.strip() for i, v in enumerate(values)},
                report.file_name,
                report.problems,
                columns,
            )
            before = len(report.problems)
            code = cells.text("code", required=True).upper()
            if code and not CODE_RE.match(code):
                cells.problem("code", f"‘{code}’ is not an ODS code")
            name = cells.text("name", required=True, max_length=300)
            status = cells.raw("status").upper()
            setting = cells.raw("setting")
            if status not in {"A", "C", "D", "P"}:
                cells.problem("status", f"‘{status}’ is not a status code (A, C, D or P)")
            if any(p.severity == "error" for p in report.problems[before:]):
                continue
            if status != "A":
                key = f"{STATUS_NAMES.get(status, status)} GP practices or other services"
                skipped[key] = skipped.get(key, 0) + 1
                continue
            if setting != GP_PRACTICE_SETTING:
                key = "active rows that are not GP practices (out-of-hours, walk-in, prison…)"
                skipped[key] = skipped.get(key, 0) + 1
                continue
            practice = tidy_name(name)
            owner = OwnerSpec(
                practice,
                Sector.GP_PRACTICE,
                match=(("ods_code", code),),
                identifiers=(("ods_code", code),),
                existing_id=by_ods.get(code),
            )
            self.check_owner_permission(owner, cells, "code")
            address = ", ".join(
                tidy_name(part) for part in (cells.raw(f"address{i}") for i in range(1, 6)) if part
            )
            phone = cells.raw("phone")
            fields: dict[str, Any] = {
                "name": practice,
                "kind": Kind.GP_SURGERY,
                "reference": code,
                "source": Source.ODS_GP,
                "address": address,
                "postcode": cells.postcode("postcode"),
                "services_delivered": "General practice"
                + (f"; telephone {phone}" if phone else ""),
                "status": Status.OPERATIONAL,
                "visibility": Visibility.PUBLIC,
                "data_source": "NHS Digital ODS epraccur",
            }
            parsed.append(ParsedAsset(number, f"ods:{code}", owner, fields))
        if not report.rows:
            report.problems.append(Problem(report.file_name, "the file has no rows"))
        for what, count in sorted(skipped.items()):
            report.notes.append(f"Skipped {count} {what}.")
        self.check_duplicates(parsed, report)
        if progress:
            progress(report.rows, report.rows)
        return parsed
