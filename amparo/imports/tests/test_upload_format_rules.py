"""Which uploads an import takes, without a database: for any bytes and name, a file is
taken exactly when its extension is CSV or XLSX and its content is what the extension
says, and a file taken is left at its start for the reader."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from amparo.imports.uploads import SNIFF_BYTES, UploadRefused, spreadsheet_format

SIGNATURES = (b"PK", b"\xd0\xcf\x11\xe0", b"%PDF", b"MZ", b"\x7fELF", b"\x1f\x8b", b"\x89PNG")


def _verdict(name: str, content: bytes, max_bytes: int = 10_000) -> str:
    stream = io.BytesIO(content)
    stream.seek(len(content) // 2)  # wherever the upload left it
    try:
        found = spreadsheet_format(name, len(content), stream, max_bytes=max_bytes)
    except UploadRefused as refused:
        return str(refused)
    assert stream.tell() == 0  # a file taken is read next from its start
    return found


def _csv_expected(content: bytes) -> str:
    head = content[:SNIFF_BYTES]
    if b"\x00" in head or any(head.startswith(s) for s in SIGNATURES):
        return "content_mismatch"
    return "csv"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["a.csv", "A.CSV", "datos.v2.Csv"]))
def test_a_csv_is_taken_exactly_when_it_looks_like_text(content, name) -> None:
    assert _verdict(name, content) == _csv_expected(content)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SIGNATURES), st.binary(max_size=50))
def test_a_binary_file_renamed_csv_is_refused(signature, rest) -> None:
    assert _verdict("export.csv", signature + rest) == "content_mismatch"


def test_a_nul_byte_after_the_sniffed_part_is_left_to_the_reader() -> None:
    content = b"a,b\n" * (SNIFF_BYTES // 4) + b"\x00"
    assert _verdict("big.csv", content, max_bytes=len(content)) == "csv"
    assert _verdict("big.csv", b"\x00" + content, max_bytes=len(content) + 1) == (
        "content_mismatch"
    )


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), st.binary(max_size=40))
def test_any_other_extension_is_refused_whatever_the_content(stem, content) -> None:
    name = stem.replace(".", "") + ".xls"
    assert _verdict(name, content) == "bad_extension"
    assert _verdict(stem.replace(".", ""), content) == "bad_extension"


@pytest.mark.parametrize("size, expected", [(100, "csv"), (101, "too_big")])
def test_the_size_limit_is_inclusive(size, expected) -> None:
    assert _verdict("a.csv", b"x" * size, max_bytes=100) == expected


def test_the_extension_is_checked_before_the_size() -> None:
    assert _verdict("a.pdf", b"x" * 500, max_bytes=100) == "bad_extension"


def _workbook() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["indicator", "region"])
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_workbook_is_taken_under_either_case_of_its_name() -> None:
    content = _workbook()
    assert _verdict("datos.xlsx", content, max_bytes=len(content)) == "xlsx"
    assert _verdict("DATOS.XLSX", content, max_bytes=len(content)) == "xlsx"


@pytest.mark.parametrize(
    "content",
    [
        b"indicator,region\n",  # a CSV renamed .xlsx
        b"PK\x03\x04 not really a zip",
        _zip({"word/document.xml": b"<w/>"}),  # a Word file
        b"",
    ],
)
def test_anything_but_a_workbook_named_xlsx_is_refused(content) -> None:
    assert _verdict("datos.xlsx", content) == "content_mismatch"


def test_a_workbook_named_csv_is_refused() -> None:
    content = _workbook()
    assert _verdict("datos.csv", content, max_bytes=len(content)) == "content_mismatch"
