"""Checks on evidence documents before they are stored: type by extension AND by content, size.

Allowed: PDF, Word (.docx), Excel (.xlsx), CSV, PNG and JPEG, up to ``MAX_BYTES``. The content
must match the extension: a PDF starts ``%PDF-``, PNG and JPEG have their signatures, DOCX and
XLSX are zip packages holding ``word/`` or ``xl/`` parts, and a CSV is text (UTF-8, no NUL
bytes). The content type stored and sent on download comes from this table, never from the
browser.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ALLOWED = "PDF, Word (.docx), Excel (.xlsx), CSV, PNG or JPEG"
KINDS = {
    ".pdf": "PDF",
    ".docx": "Word (.docx)",
    ".xlsx": "Excel (.xlsx)",
    ".csv": "CSV (UTF-8 text)",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
}


@dataclass(frozen=True)
class Checked:
    name: str
    extension: str
    content_type: str
    size: int


def _head(upload: Any, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return bytes(head)


def _zip_parts(upload: Any) -> list[str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    upload.seek(0)
    return names


def _content_matches(extension: str, upload: Any) -> bool:
    head = _head(upload)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in (".docx", ".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        folder = "word/" if extension == ".docx" else "xl/"
        return any(name.startswith(folder) for name in _zip_parts(upload))
    if extension == ".csv":
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            return exc.start >= len(head) - 3
        return True
    return False


def validate(upload: Any) -> Checked:
    """The checked name, type and size of ``upload``; ``ValidationError`` saying what is wrong."""
    name = PurePath(str(upload.name or "")).name[:255]
    extension = PurePath(name).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError(f"The document must be a {ALLOWED} file.")
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationError("The document is empty.")
    if size > MAX_BYTES:
        raise ValidationError(
            f"The document must be smaller than {MAX_BYTES // (1024 * 1024)} MB "
            f"(this one is {size / (1024 * 1024):.1f} MB)."
        )
    if not _content_matches(extension, upload):
        raise ValidationError(
            f"The content of {name} does not match its extension ({KINDS[extension]} "
            "expected): check it is the right file and has the right extension."
        )
    return Checked(name, extension, CONTENT_TYPES[extension], size)
