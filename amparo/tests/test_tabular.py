"""Spreadsheets written and read back (no database): cells a spreadsheet would run are
quoted on the way out, and a reader lets go of its file whether or not it was read to
the end."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo import tabular


def test_safe_cells() -> None:
    assert tabular.safe_cell("=1+1") == "'=1+1"
    assert tabular.safe_cell("@x") == "'@x"
    assert tabular.safe_cell("texto") == "texto"
    assert tabular.safe_cell(-5) == -5


# Without semicolons: a file with more of them than commas is read as semicolon-separated.
CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters=";"))


@given(st.lists(CELL, max_size=5))
def test_a_csv_written_reads_back_with_formulas_quoted(cells) -> None:
    content = tabular.csv_bytes(["h"] * len(cells), [cells]) if cells else b""
    with tabular.reading(io.BytesIO(content), "csv") as rows:
        read = list(rows)
    if cells:
        assert read[1] == [str(tabular.safe_cell(cell)) for cell in cells]


def test_an_xlsx_written_reads_back_as_text_with_formulas_quoted() -> None:
    content = tabular.xlsx_bytes([("Hoja", ["a", "b"], [["=SUM(1)", 3]])])
    with tabular.reading(io.BytesIO(content), "xlsx") as rows:
        assert list(rows) == [["a", "b"], ["'=SUM(1)", "3"]]


@pytest.mark.parametrize(
    ("file_format", "content"),
    [
        ("csv", b"a,b\n1,2\n3,4\n"),
        ("xlsx", tabular.xlsx_bytes([("Hoja", ["a", "b"], [[1, 2], [3, 4]])])),
    ],
)
def test_a_reader_left_half_read_is_closed_with_its_block(file_format, content) -> None:
    stream = io.BytesIO(content)
    with stream, tabular.reading(stream, file_format) as rows:
        assert next(rows) == ["a", "b"]
    assert rows.gi_frame is None  # closed, before the stream was
    assert stream.closed


def test_files_that_are_not_spreadsheets_say_why() -> None:
    latin1 = io.BytesIO("Año".encode("latin-1"))
    with tabular.reading(latin1, "csv") as rows, pytest.raises(tabular.UnreadableFile) as csv:
        next(rows)
    garbage = io.BytesIO(b"not a workbook")
    with tabular.reading(garbage, "xlsx") as rows, pytest.raises(tabular.UnreadableFile) as xlsx:
        next(rows)
    assert (str(csv.value), str(xlsx.value)) == ("not_utf8", "not_xlsx")


class TestColumns:
    """A table written from column definitions (pure)."""

    def test_it_writes_each_items_values_under_the_headers(self) -> None:
        from amparo.tabular import Column, table

        columns = [Column("Name", lambda p: p[0]), Column("Age", lambda p: p[1])]
        header, rows = table(columns, [("Ana", 31), ("=Luis", None)])
        assert header == ["Name", "Age"]
        assert tabular.csv_bytes(header, rows).decode("utf-8-sig").splitlines() == [
            "Name,Age",
            "Ana,31",
            "'=Luis,",
        ]

    def test_it_reads_lazy_headers_in_the_language_active_when_written(self) -> None:
        from django.utils import translation
        from django.utils.translation import gettext_lazy

        from amparo.tabular import Column, table

        columns = [Column(gettext_lazy("Title"), str)]
        with translation.override("es"):
            spanish, _ = table(columns, [])
        with translation.override("en"):
            english, _ = table(columns, [])
        assert english == ["Title"]
        assert spanish != english
