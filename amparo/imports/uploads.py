"""Which uploaded files an import accepts: a CSV or an XLSX file, known by its extension
*and* its content, so that a renamed binary or a workbook called .csv is refused at the
upload rather than read as garbage (pure; no Django import)."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

FORMATS = ("csv", "xlsx")
ZIP = b"PK\x03\x04"
# How other binary files start: none of them is CSV text.
BINARY = (b"PK", b"\xd0\xcf\x11\xe0", b"%PDF", b"MZ", b"\x7fELF", b"\x1f\x8b", b"\x89PNG")
SNIFF_BYTES = 8192


class UploadRefused(ValueError):
    """The file is not one an import accepts (the message is a problem code:
    ``bad_extension``, ``content_mismatch``, ``too_big``)."""


def spreadsheet_format(
    name: str, size: int, stream: BinaryIO, *, max_bytes: int, formats: tuple[str, ...] = FORMATS
) -> str:
    """``csv`` or ``xlsx`` (or ``json``, for a kind that takes it: ``formats``): the file's
    extension, confirmed by its content. A CSV is text (no NUL byte and no binary file's
    signature in its first bytes; whether it is UTF-8 is said row by row when it is read);
    a JSON file is such text that starts with ``{`` or ``[``; an XLSX is a zip archive
    that holds a workbook. ``stream`` is read from its start and rewound."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in formats:
        raise UploadRefused("bad_extension")
    if size > max_bytes:
        raise UploadRefused("too_big")
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if extension in ("csv", "json"):
        if b"\x00" in head or head.startswith(BINARY):
            raise UploadRefused("content_mismatch")
        if extension == "json" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
            raise UploadRefused("content_mismatch")
        return extension
    if not head.startswith(ZIP):
        raise UploadRefused("content_mismatch")
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise UploadRefused("content_mismatch") from None
    finally:
        stream.seek(0)
    if "xl/workbook.xml" not in names:
        raise UploadRefused("content_mismatch")
    return extension
