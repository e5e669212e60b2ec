"""The management-command front door shared by every importer (the web upload is the other)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .core import BaseImporter, ImportReport


class ImportCommand(BaseCommand):
    """Dry run unless ``--commit``; exits non-zero when the file is rejected."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The file to import")
        parser.add_argument(
            "--commit", action="store_true", help="Write to the database (default: dry run)"
        )

    importer_class: type[BaseImporter]

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        """The importer to run; override when options configure it."""
        return self.importer_class()

    def handle(self, *args: Any, **options: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        importer = self.importer(options)
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=options.get("verbosity", 1) < 1,
        ) as bar:
            task = bar.add_task(importer.name, total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            report = importer.run(options["path"], commit=options["commit"], progress=progress)
        self.finish(report)

    def finish(self, report: ImportReport) -> None:
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
