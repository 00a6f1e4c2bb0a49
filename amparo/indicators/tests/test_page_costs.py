"""Region indicators, the entry grid, targets and the file import cost the same number of
queries at any data size; an XLSX file imports like a CSV one."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from amparo.imports.models import ImportJob
from amparo.indicators import periods
from amparo.indicators.models import Indicator, Observation, Target
from amparo.mitigation.models import Measure, MeasureMove
from amparo.tests.queries import page_queries


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())
    return {i.code: i for i in Indicator.objects.all()}


def _grow(world, months: int) -> None:
    """Values, targets and implemented measures for every typed indicator, both regions."""
    rows, goals = [], []
    for region in (world.region_a, world.region_b):
        for indicator in Indicator.objects.all():
            if not indicator.typed:
                continue
            starts = periods.periods_between(
                date(2024, 1, 1), date(2024 + months // 12, months % 12 + 1, 1), "monthly"
            )
            for day in starts:
                period = periods.period_start(day, indicator.frequency)
                rows.append(Observation(indicator=indicator, region=region, period=period, value=7))
                goals.append(
                    Target(
                        indicator=indicator, region=region, kind="target", period=period, value=9
                    )
                )
            measure = Measure.objects.create(
                region=region, sector=world.sector, kind="policy", title=f"M {indicator.code}"
            )
            measure.indicators.add(indicator)
            MeasureMove.objects.create(measure=measure, to_status="implemented")
    Observation.objects.bulk_create(rows, ignore_conflicts=True)
    Target.objects.bulk_create(goals, ignore_conflicts=True)


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_region_pages_cost_the_same_queries_at_any_size(world, catalog, role) -> None:
    client = world.client(role)
    urls = [reverse("region-indicators", args=["PE-LOR"])]
    if role == "coordinator":
        urls += [
            reverse("indicator-entry", args=["PE-LOR"]) + "?frequency=quarterly&period=2024-T2",
            reverse("indicator-targets", args=["PE-LOR", "OUT-TRAINED"]),
            reverse("indicator-import", args=["PE-LOR"]),
        ]
    _grow(world, 2)
    small = [page_queries(client, url) for url in urls]
    _grow(world, 30)
    Indicator.objects.create(
        code="OUT-EXTRA", name_es="Extra", name_en="Extra", level="output", unit="count",
        direction="higher", aggregation="sum", frequency="quarterly",
    )  # fmt: skip
    assert [page_queries(client, url) for url in urls] == small


def _preview_queries(client, content: bytes, name: str) -> int:
    """The queries of an upload (checked at once by the tests' task runner) and of the
    job's page that shows the preview."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("indicator-import", args=["PE-LOR"]),
            {"file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200
    return len(queries)


def _csv(rows: int) -> bytes:
    lines = ["period,indicator,value,region,source"]
    lines += [f"{2000 + i}-T1,OUT-TRAINED,{i},PE-LOR,DRE" for i in range(rows)]
    return "\n".join(lines).encode()


def test_a_file_preview_costs_the_same_queries_at_any_length(world, catalog) -> None:
    client = world.client("coordinator")
    assert _preview_queries(client, _csv(2), "a.csv") == _preview_queries(client, _csv(80), "b.csv")


def test_an_xlsx_file_is_previewed_and_imported(world, catalog) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["period", "indicator", "value", "region", "source", "disaggregation"])
    sheet.append(["2027-T1", "OUT-TRAINED", 12, "PE-LOR", "DRE Loreto", ""])
    sheet.append(["2027-T1", "OUT-TRAINED", 5, "PE-LOR", "DRE Loreto", "sex=f"])
    sheet.append(["2027-T2", "OUT-TRAINED", "doce", "PE-LOR", "", ""])
    sheet.append(["2027-T2", "OUT-INSPECTED", 7.5, "PE-LOR", "", ""])
    stream = io.BytesIO()
    book.save(stream)
    client = world.client("coordinator")
    url = reverse("indicator-import", args=["PE-LOR"])
    client.post(url, {"file": SimpleUploadedFile("valores.xlsx", stream.getvalue())})
    job = ImportJob.objects.get()
    assert (job.file_format, job.rows_read, job.rows_valid, job.problem_count) == ("xlsx", 4, 3, 1)
    assert [(row, reason) for row, _column, reason, _value in job.problems] == [(4, "not_a_number")]
    assert not Observation.objects.exists()
    client.post(reverse("indicator-import-confirm", args=["PE-LOR", job.pk]))
    saved = {
        (o.indicator.code, o.period, o.disaggregation): (o.value, o.source)
        for o in Observation.objects.select_related("indicator")
    }
    assert saved == {
        ("OUT-TRAINED", date(2027, 1, 1), ""): (Decimal("12"), "DRE Loreto"),
        ("OUT-TRAINED", date(2027, 1, 1), "sex=f"): (Decimal("5"), "DRE Loreto"),
        ("OUT-INSPECTED", date(2027, 4, 1), ""): (Decimal("7.5"), ""),
    }
