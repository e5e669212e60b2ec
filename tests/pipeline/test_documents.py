"""The evidence-document checks for every allowed type: content must match the extension."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from placeworks.pipeline.documents import CONTENT_TYPES, validate


def png_bytes() -> bytes:
    """A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """The start of a JFIF JPEG: SOI then the APP0 segment."""
    return (
        b"\xff\xd8\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Site", "Cost"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("site photo.png", png_bytes(), "image/png"),
        ("Site Photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("plan.jpeg", jpeg_bytes(), "image/jpeg"),
        ("costs.xlsx", xlsx_bytes(), CONTENT_TYPES[".xlsx"]),
        ("costs.csv", "Site,Cost\nClinic,£4m\n".encode(), "text/csv"),
        # a multi-byte character cut by the 8 KB sample is still text
        ("long.csv", b"a" * 8191 + "£".encode(), "text/csv"),
    ],
)
def test_each_allowed_type_is_accepted_with_its_own_content_type(name, content, content_type):  # type: ignore[no-untyped-def]
    checked = validate(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content) and checked.name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", jpeg_bytes(), "(PNG expected)"),
        ("photo.jpg", png_bytes(), "(JPEG expected)"),
        ("costs.xlsx", b"PK\x03\x04 not really a zip", "(Excel (.xlsx) expected)"),
        ("costs.xlsx", b"%PDF-1.4", "(Excel (.xlsx) expected)"),
        ("costs.csv", b"Site,Cost\x00\x01\x02", "(CSV (UTF-8 text) expected)"),
        ("costs.csv", "Site,Coût\n".encode("latin-1") + b"x" * 10, "(CSV (UTF-8 text) expected)"),
        ("costs.csv", b"", "The document is empty."),
        (
            "macro.xlsm",
            xlsx_bytes(),
            "must be a PDF, Word (.docx), Excel (.xlsx), CSV, PNG or JPEG",
        ),
        ("no extension", b"%PDF-1.4", "must be a PDF"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content, message):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        validate(upload(name, content))
    assert message in " ".join(error.value.messages)


def test_an_xlsx_holding_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError, match=re.escape("(Excel (.xlsx) expected)")):
        validate(upload("costs.xlsx", buffer.getvalue()))
