"""Which files an upload takes, by extension and content: CSV and XLSX for every kind, and
JSON only for a kind that says so (a DHIS2 data value set)."""

from __future__ import annotations

import io

import pytest

from amparo.imports.uploads import UploadRefused, spreadsheet_format

LIMIT = 1024


def _format(name: str, content: bytes, formats=("csv", "xlsx")) -> str:
    return spreadsheet_format(
        name, len(content), io.BytesIO(content), max_bytes=LIMIT, formats=formats
    )


def test_json_is_taken_only_by_kinds_that_take_it() -> None:
    assert _format("set.json", b'{"dataValues": []}', formats=("json", "csv")) == "json"
    assert _format("set.json", b"\xef\xbb\xbf\n  [1]", formats=("json", "csv")) == "json"
    with pytest.raises(UploadRefused, match="bad_extension"):
        _format("set.json", b'{"dataValues": []}')
    with pytest.raises(UploadRefused, match="bad_extension"):
        _format("set.xlsx", b"PK\x03\x04", formats=("json", "csv"))


@pytest.mark.parametrize(
    "content",
    [b"dataelement,period\n", b"PK\x03\x04{}", b"{\x00}", b"%PDF-1.4 {}", b""],
)
def test_a_json_file_must_look_like_json(content: bytes) -> None:
    with pytest.raises(UploadRefused, match="content_mismatch"):
        _format("set.json", content, formats=("json",))


def test_the_size_limit_holds_for_json_too() -> None:
    with pytest.raises(UploadRefused, match="too_big"):
        _format("set.json", b"{" + b" " * LIMIT + b"}", formats=("json",))


def test_csv_and_xlsx_are_checked_as_before() -> None:
    assert _format("rows.csv", b"indicator,region\n") == "csv"
    with pytest.raises(UploadRefused, match="content_mismatch"):
        _format("rows.csv", b"PK\x03\x04")
