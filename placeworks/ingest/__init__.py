"""One import core for every importer (CLI and web upload share it).

An importer subclasses ``BaseImporter`` and implements ``parse`` (read and validate every row,
collecting *all* problems with file, row and column) and ``write`` (apply the parsed rows, in the
transaction the base class opens). ``run`` computes the file checksum, refuses files with errors,
writes nothing on a dry run, and records an ``ImportRun`` either way.
"""

from .core import (
    BaseImporter,
    ImportRejected,
    ImportReport,
    Problem,
    Progress,
    TableReader,
    read_table,
)

__all__ = [
    "BaseImporter",
    "ImportRejected",
    "ImportReport",
    "Problem",
    "Progress",
    "TableReader",
    "read_table",
]
