"""The base importer, problem reporting and table reading (CSV, gzipped CSV, XLSX)."""

from __future__ import annotations

import abc
import csv
import gzip
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from placeworks.audit.models import ImportRun
from placeworks.partners.permissions import Permission, has_permission

# Progress callback: called with (done, total) as work advances; total may be None.
Progress = Callable[[int, int | None], None]

# Rows an import creates or updates from which PostgreSQL's planner statistics (and the visibility
# map of the importer's ``bulk_tables``) are refreshed at once instead of when autovacuum next
# passes: ``refresh_statistics``.
ANALYZE_FROM = 10_000


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as precisely as the format allows."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" rejects the file; "warning" is reported and imported

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class ImportReport:
    importer: str
    file_name: str
    checksum: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def status(self) -> str:
        if self.errors:
            return ImportRun.Status.REJECTED
        return ImportRun.Status.COMMITTED if self.committed else ImportRun.Status.DRY_RUN

    def summary(self, max_problems: int = 50) -> str:
        lines = [f"{self.file_name}: {self.rows} rows read."]
        if self.errors:
            lines.append(
                f"Rejected: {len(self.errors)} problem(s) found; nothing was written. "
                "Fix these and run the import again:"
            )
        elif self.committed:
            lines.append(
                f"Imported: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged."
            )
        else:
            lines.append(
                f"Dry run: would create {self.created}, update {self.updated}, leave "
                f"{self.unchanged} unchanged. Nothing was written; add --commit to import."
            )
        shown = (
            self.errors[:max_problems] + self.warnings[: max(0, max_problems - len(self.errors))]
        )
        lines.extend(f"  - {problem}" for problem in shown)
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            lines.append(f"  … and {hidden} more problem(s).")
        lines.extend(self.notes)
        return "\n".join(lines)


class ImportRejected(Exception):
    """Raised by ``BaseImporter.run(..., raise_on_error=True)`` when a file has problems."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.summary())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BaseImporter(abc.ABC):
    """Subclass, set ``name`` (and ``permission``), implement ``parse`` and ``write``.

    ``parse(path, report, progress)`` returns whatever ``write`` needs and appends ``Problem``s to
    ``report.problems``; it must not write to the database. ``write(parsed, report, by,
    progress)`` applies the data idempotently (update in place, never duplicate) and sets
    ``report.created/updated/unchanged``. It runs inside one transaction: all or nothing.

    On a dry run ``write`` still runs (so the counts are true) and the transaction is rolled back.
    """

    name: ClassVar[str] = "import"
    permission: ClassVar[Permission] = Permission.IMPORT_GEOGRAPHY
    # Tables a large import fills (the observations, say): vacuumed after it on PostgreSQL.
    bulk_tables: ClassVar[tuple[str, ...]] = ()

    @abc.abstractmethod
    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        """Read and validate the whole file; no database writes."""

    @abc.abstractmethod
    def write(self, parsed: Any, report: ImportReport, by: Any, progress: Progress | None) -> None:
        """Apply the parsed data idempotently inside the run's transaction."""

    def check_permission(self, by: Any) -> None:
        """``by=None`` is the operator at the command line (trusted); users need the permission."""
        if by is not None and not has_permission(by, self.permission):
            raise PermissionDenied(f"You do not have permission to run the {self.name} import.")

    def run(
        self,
        path: str | Path,
        *,
        by: Any = None,
        commit: bool = False,
        progress: Progress | None = None,
        display_name: str | None = None,
        raise_on_error: bool = False,
    ) -> ImportReport:
        self.check_permission(by)
        path = Path(path)
        report = ImportReport(importer=self.name, file_name=display_name or path.name)
        started = timezone.now()
        if not path.exists():
            report.problems.append(Problem(report.file_name, "file not found"))
        else:
            report.checksum = sha256_of(path)
            parsed = self.parse(path, report, progress)
            if not report.errors:
                try:
                    with transaction.atomic():
                        self.write(parsed, report, by, progress)
                        if not commit:
                            raise _DryRun
                    report.committed = True
                except _DryRun:
                    pass
                if report.committed and report.created + report.updated >= ANALYZE_FROM:
                    refresh_statistics(self.bulk_tables)
        ImportRun.objects.create(
            importer=self.name,
            file_name=report.file_name,
            checksum=report.checksum,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            status=report.status,
            problems=[p.as_dict() for p in report.problems[:500]],
            by=by if getattr(by, "is_authenticated", False) else None,
            started_at=started,
            finished_at=timezone.now(),
        )
        if raise_on_error and report.errors:
            raise ImportRejected(report)
        return report

    def run_upload(
        self, upload: Any, *, by: Any, commit: bool, default_suffix: str = ""
    ) -> ImportReport:
        """``run`` on a file uploaded through a web form (a Django ``UploadedFile``): the web
        front door of the same importer the command line uses. The file is written to a private
        temporary folder (keeping its extension, which tells the format) and removed after."""
        name = Path(upload.name).name
        suffix = Path(name).suffix.lower()[:6] or default_suffix
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            return self.run(path, by=by, commit=commit, display_name=name)


def refresh_statistics(tables: Sequence[str] = ()) -> None:
    """After a large import on PostgreSQL, what autovacuum would otherwise do a minute or more
    later, at once.

    - The planner's statistics (``ANALYZE``): until refreshed they describe the tables before the
      import, and the first profile pages after a national import were planned as if the
      observations were few: 0.5 s at the 95th percentile instead of 60 ms
      (``bench/bench_evidence.py``).
    - The visibility map of ``tables`` (``VACUUM``, half a second for a national IoD release),
      outside a transaction only: otherwise autovacuum sets it later, scanning every new row
      while the next import runs; that import's first ``ALTER TABLE`` (``bulk_load``) then
      waited ``deadlock_timeout`` (1 s) to cancel it.

    SQLite plans without statistics and has no vacuum of this kind."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if not connection.in_atomic_block:
            for table in tables:
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")


class _DryRun(Exception):
    """Rolls back the write transaction of a dry run."""


class TableReader:
    """Rows of a CSV (optionally gzipped) or the first sheet of an XLSX, as dictionaries.

    Header names are stripped of byte-order marks and surrounding spaces. Row numbers are the
    line numbers a person sees in a spreadsheet (the header is row 1).
    """

    def __init__(self, path: Path, display_name: str | None = None, sheet: str | None = None):
        self.path = path
        self.display_name = display_name or path.name
        self.sheet = sheet
        self.headers: list[str] = []

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        suffixes = [s.lower() for s in self.path.suffixes]
        if suffixes and suffixes[-1] in {".xlsx", ".xlsm"}:
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows(".gz" in suffixes[-1:])

    def _csv_rows(self, gzipped: bool) -> Iterator[tuple[int, dict[str, str]]]:
        opener = gzip.open if gzipped else open
        with (
            opener(self.path, "rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            reader = csv.reader(text)
            try:
                header = next(reader)
            except StopIteration:
                return
            self.headers = [h.strip() for h in header]
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, dict(zip(self.headers, (v.strip() for v in values), strict=False))

    def _xlsx_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        from openpyxl import load_workbook

        workbook = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = workbook[self.sheet] if self.sheet else workbook.worksheets[0]
            iterator = sheet.iter_rows(values_only=True)
            header = next(iterator, None)
            if header is None:
                return
            self.headers = [str(h).strip() if h is not None else "" for h in header]
            for number, values in enumerate(iterator, start=2):
                cells = ["" if v is None else str(v).strip() for v in values]
                if not any(cells):
                    continue
                yield number, dict(zip(self.headers, cells, strict=False))
        finally:
            workbook.close()


def read_table(
    path: Path, display_name: str | None = None
) -> tuple[TableReader, Iterator[tuple[int, dict[str, str]]]]:
    """Convenience: a reader (whose ``headers`` fill once iteration starts) and its rows."""
    reader = TableReader(path, display_name)
    return reader, reader.rows()
