"""Every CSV download is sent the same way: as an attachment named after the list, UTF-8
with a byte-order mark for spreadsheets, formula-like text quoted."""

from __future__ import annotations

from datetime import date

from amparo.downloads import csv_download


def test_a_download_is_a_named_csv_attachment() -> None:
    response = csv_download("medidas-PE-LOR", ["Título", "Vence"], [["=SUM(A1)", date(2027, 3, 1)]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="medidas-PE-LOR.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Título,Vence",
        "'=SUM(A1),2027-03-01",
    ]


def test_an_empty_list_still_has_its_header() -> None:
    response = csv_download("rondas-PE-LOR", ["Ronda"], [])
    assert response.content.decode("utf-8-sig").splitlines() == ["Ronda"]
