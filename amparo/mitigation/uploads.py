"""What evidence files amparo accepts: checked by extension *and* by the file's first bytes,
so a renamed executable is refused (pure; no Django import)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

MAX_BYTES_DEFAULT = 10 * 1024 * 1024

# extension -> (content type, how the file must start)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (OLE,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
}
ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "mimetype",
    "ods": "mimetype",
}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    content_type: str = ""
    problem: str = ""  # too_big | empty | bad_extension | content_mismatch


def check_upload(
    name: str, size: int, stream: BinaryIO, *, max_bytes: int = MAX_BYTES_DEFAULT
) -> Verdict:
    """Accept PDF, images and office documents up to ``max_bytes`` whose content matches
    their extension. ``stream`` is read from its start and rewound."""
    if size <= 0:
        return Verdict(False, problem="empty")
    if size > max_bytes:
        return Verdict(False, problem="too_big")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        return Verdict(False, problem="bad_extension")
    content_type, signatures = ACCEPTED[extension]
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        return Verdict(False, problem="content_mismatch")
    if extension in ZIP_MARKERS:
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return Verdict(False, problem="content_mismatch")
        finally:
            stream.seek(0)
        if ZIP_MARKERS[extension] not in names:
            return Verdict(False, problem="content_mismatch")
    return Verdict(True, content_type=content_type)
