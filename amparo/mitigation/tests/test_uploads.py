"""Evidence uploads are checked by extension and by content (pure)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from amparo.mitigation.uploads import check_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx(with_marker: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if with_marker else "other.xml", "<w/>")
    return buffer.getvalue()


def _check(name: str, content: bytes, max_bytes: int = 1000):
    return check_upload(name, len(content), io.BytesIO(content), max_bytes=max_bytes)


def test_it_accepts_documents_whose_content_matches() -> None:
    assert _check("ordenanza.pdf", PDF).content_type == "application/pdf"
    assert _check("foto.PNG", PNG).ok
    assert _check("protocolo.docx", _docx(), max_bytes=10_000).ok


def test_it_refuses_what_is_not_what_it_claims() -> None:
    assert _check("ordenanza.pdf", b"MZ\x90\x00 an executable").problem == "content_mismatch"
    assert _check("protocolo.docx", _docx(with_marker=False), 10_000).problem == "content_mismatch"
    assert _check("protocolo.docx", b"PK\x03\x04 not really a zip").problem == "content_mismatch"
    assert _check("script.exe", b"MZ").problem == "bad_extension"
    assert _check("no-extension", PDF).problem == "bad_extension"


def test_it_refuses_empty_and_oversized_files() -> None:
    assert _check("a.pdf", b"").problem == "empty"
    assert _check("a.pdf", PDF + b"x" * 2000).problem == "too_big"


@given(st.text(max_size=30), st.binary(max_size=200))
def test_it_never_crashes_and_accepts_only_known_signatures(name, content) -> None:
    verdict = _check(name, content)
    if verdict.ok:
        assert content.startswith(
            (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
        )
