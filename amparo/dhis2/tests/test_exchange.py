"""DHIS2 exchange with the database: the mapping program admins keep, the download on the
indicators page and ``amparo export-dhis2`` (what the reader may read, small counts
withheld), the import of a data value set through the one pipeline, and the round trip
into an empty database."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from amparo.dhis2 import services
from amparo.dhis2.datavalues import CSV_COLUMNS
from amparo.dhis2.import_kind import DHIS2_VALUES
from amparo.dhis2.models import Dhis2Code
from amparo.dhis2.queries import export_for, mapping, readable_observations
from amparo.imports import services as import_services
from amparo.indicators.models import Indicator, Observation
from amparo.territory.models import Region, Sector

DOCUMENTED = {
    "dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
    "value", "comment",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def named(world, starter_catalog):
    """Three indicators, both regions, the sex values and the total named in DHIS2, and
    observations: OUT-TRAINED (count, quarterly) in Loreto for 2026Q1 with 12 in all,
    3 women and 9 men, and 20 in 2026Q2; INT-REFERRAL-DAYS (days) 40.5; OUT-
    TRAINED-SAL (health sector) 8; OC-SDG-16-2-2 (yearly) 2 in Ucayali; a 2025 value."""
    for kind, key, code in [
        ("data_element", "OUT-TRAINED", "deTrained01"),
        ("data_element", "INT-REFERRAL-DAYS", "deReferDays"),
        ("data_element", "OUT-TRAINED-SAL", "deTrainSal1"),
        ("data_element", "OC-SDG-16-2-2", "deSdg16221"),
        ("org_unit", "PE-LOR", "ouLoreto001"),
        ("org_unit", "PE-UCA", "ouUcayali01"),
        ("category_option_combo", "", "HllvX50cXC0"),
        ("category_option_combo", "sex=f", "cocFemale01"),
        ("category_option_combo", "sex=m", "cocMale0001"),
        ("attribute_option_combo", "", "HllvX50cXC0"),
    ]:
        services.code_save(kind=kind, key=key, code=code)
    lor, uca = world.region_a, world.region_b

    def observe(code, region, period, value, disaggregation=""):
        Observation.objects.create(
            indicator=Indicator.objects.get(code=code),
            region=region,
            period=period,
            disaggregation=disaggregation,
            value=Decimal(value),
        )

    observe("OUT-TRAINED", lor, date(2026, 1, 1), "12")
    observe("OUT-TRAINED", lor, date(2026, 1, 1), "3", "sex=f")
    observe("OUT-TRAINED", lor, date(2026, 1, 1), "9", "sex=m")
    observe("OUT-TRAINED", lor, date(2026, 4, 1), "20")
    observe("INT-REFERRAL-DAYS", lor, date(2026, 1, 1), "40.5")
    observe("OUT-TRAINED-SAL", lor, date(2026, 1, 1), "8")
    observe("OC-SDG-16-2-2", uca, date(2026, 1, 1), "2")
    observe("OUT-TRAINED", lor, date(2025, 10, 1), "30")


def _keys(export) -> set[tuple[str, str, str, str, str]]:
    return {
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"], v["value"])
        for v in export.values
    }


def test_an_admin_keeps_the_mapping_on_its_page(world, starter_catalog) -> None:
    admin = world.client("admin")
    url = reverse("dhis2-mapping")
    response = admin.post(url, {"kind": "org_unit", "key": "PE-LOR", "code": "ouLoreto001"})
    assert response.status_code == 302
    admin.post(url, {"kind": "org_unit", "key": "PE-LOR", "code": "ouLoreto002"})
    assert mapping().org_units == {"PE-LOR": "ouLoreto002"}  # replaced, not doubled
    bad = admin.post(url, {"kind": "category_option_combo", "key": "sex=x", "code": "c"})
    assert bad.status_code == 422
    twice = admin.post(url, {"kind": "org_unit", "key": "PE-UCA", "code": "ouLoreto002"})
    assert twice.status_code == 422
    page = admin.get(url).content.decode()
    assert "ouLoreto002" in page
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Region → organisation unit" in admin.get(url).content.decode()
    row = Dhis2Code.objects.get(key="PE-LOR")
    assert admin.post(reverse("dhis2-mapping-delete", args=[row.pk])).status_code == 302
    assert mapping().org_units == {}


def test_an_admin_changes_a_name_from_its_row(world, starter_catalog) -> None:
    admin = world.client("admin")
    url = reverse("dhis2-mapping")
    row = services.code_save(kind="org_unit", key="PE-LOR", code="ouLoreto001")
    page = admin.get(url).content.decode()
    assert f'href="?edit={row.pk}#editing"' in page
    editing = admin.get(url, {"edit": row.pk})
    form = editing.context["form"]
    assert (form["kind"].value(), form["key"].value(), form["code"].value()) == (
        "org_unit", "PE-LOR", "ouLoreto001",
    )  # fmt: skip
    assert "Cambiando el nombre DHIS2 de PE-LOR" in editing.content.decode()
    saved = admin.post(url, {"kind": "org_unit", "key": "PE-LOR", "code": "ouNew"})
    assert saved.status_code == 302
    assert mapping().org_units == {"PE-LOR": "ouNew"}
    # Nothing to edit is an empty form, not an error.
    assert admin.get(url, {"edit": "999999"}).context["form"]["code"].value() is None
    assert admin.get(url, {"edit": "x"}).status_code == 200


def test_mapping_rules(world, starter_catalog) -> None:
    with pytest.raises(ValidationError):
        services.code_save(kind="data_element", key="NOT-AN-INDICATOR", code="x")
    with pytest.raises(ValidationError):
        services.code_save(kind="org_unit", key="PE-LOR", code=" ")
    with pytest.raises(ValidationError):
        services.code_save(kind="attribute_option_combo", key="PE-LOR", code="x")
    services.code_save(kind="category_option_combo", key="", code="HllvX50cXC0")
    services.code_save(kind="category_option_combo", key="age=18+", code="cocAdults01")
    assert mapping().combos == {"": "HllvX50cXC0", "age=18+": "cocAdults01"}


def test_a_program_wide_export_has_every_mapped_value_of_the_period(world, named) -> None:
    export = export_for(world.users["admin"], list(Region.objects.all()), "2026")
    assert _keys(export) == {
        ("deTrained01", "2026Q1", "ouLoreto001", "HllvX50cXC0", "12"),
        ("deTrained01", "2026Q1", "ouLoreto001", "cocFemale01", "3"),
        ("deTrained01", "2026Q1", "ouLoreto001", "cocMale0001", "9"),
        ("deTrained01", "2026Q2", "ouLoreto001", "HllvX50cXC0", "20"),
        ("deReferDays", "2026Q1", "ouLoreto001", "HllvX50cXC0", "40.5"),
        ("deTrainSal1", "2026Q1", "ouLoreto001", "HllvX50cXC0", "8"),
        ("deSdg16221", "2026", "ouUcayali01", "HllvX50cXC0", "2"),
    }
    assert all(set(v) <= DOCUMENTED for v in export.values)
    quarter = export_for(world.users["admin"], list(Region.objects.all()), "2026Q1")
    assert len(quarter.values) == 6  # the yearly value is not of a quarter
    month = export_for(world.users["admin"], [world.region_a], "2026Q2")
    assert _keys(month) == {("deTrained01", "2026Q2", "ouLoreto001", "HllvX50cXC0", "20")}


def test_a_viewer_gets_no_small_counts_nor_what_gives_them_back(world, named) -> None:
    export = export_for(world.users["viewer"], [world.region_a], "2026")
    values = _keys(export)
    # 3 women is small: it and the men (who would give it back from the total 12) are
    # withheld, as on the pages and in the API; the total alone tells neither.
    q1 = {v for v in values if v[0] == "deTrained01" and v[1] == "2026Q1"}
    assert {v[3] for v in q1} <= {"HllvX50cXC0"}
    assert ("deTrained01", "2026Q2", "ouLoreto001", "HllvX50cXC0", "20") in values
    assert ("deReferDays", "2026Q1", "ouLoreto001", "HllvX50cXC0", "40.5") in values
    coordinator = _keys(export_for(world.users["coordinator"], [world.region_a], "2026"))
    assert ("deTrained01", "2026Q1", "ouLoreto001", "cocFemale01", "3") in coordinator


def test_a_focal_point_gets_their_sector_and_the_indicators_of_every_sector(world, named) -> None:
    rows = readable_observations(world.users["focal"], [world.region_a], "2026")
    sectors = {o.indicator.sector.code if o.indicator.sector else None for o in rows}
    assert sectors == {None}  # tourism has no values here; health's are not theirs
    assert Sector.objects.get(code="SAL") != world.sector


def test_the_download_on_the_indicators_page(world, named) -> None:
    client = world.client("coordinator")
    page = client.get(reverse("region-indicators", args=["PE-LOR"])).content.decode()
    assert reverse("dhis2-export", args=["PE-LOR"]) in page
    form = client.get(reverse("dhis2-export", args=["PE-LOR"]))
    assert form.status_code == 200 and "Descargar para DHIS2" in form.content.decode()
    response = client.get(
        reverse("dhis2-export", args=["PE-LOR"]), {"period": "2026", "format": "json"}
    )
    assert response["Content-Type"] == "application/json"
    assert 'filename="dhis2-PE-LOR-2026.json"' in response["Content-Disposition"]
    document = json.loads(response.content)
    assert len(document["dataValues"]) == 6
    as_csv = client.get(
        reverse("dhis2-export", args=["PE-LOR"]), {"period": "2026Q1", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0] == CSV_COLUMNS and len(rows) == 6
    bad = client.get(
        reverse("dhis2-export", args=["PE-LOR"]), {"period": "2026W1", "format": "csv"}
    )
    assert bad.status_code == 422
    assert (
        client.get(reverse("dhis2-export", args=["PE-UCA"]), {"period": "2026"}).status_code == 404
    )


def test_the_command_writes_json_or_csv(world, named, tmp_path) -> None:
    target = tmp_path / "out.json"
    call_command("export_dhis2", "--period", "2026", "-o", str(target), stdout=(out := StringIO()))
    assert len(json.loads(target.read_text())["dataValues"]) == 7
    assert "7 data values written" in out.getvalue()
    target = tmp_path / "out.csv"
    call_command(
        "export_dhis2", "--period", "2026", "--region", "PE-UCA", "--format", "csv",
        "-o", str(target), stdout=StringIO(),
    )  # fmt: skip
    assert target.read_text().splitlines()[1].startswith("deSdg16221,2026,ouUcayali01")
    Dhis2Code.objects.filter(key="INT-REFERRAL-DAYS").delete()
    call_command("export_dhis2", "--period", "2026", "-o", str(target), stdout=(out := StringIO()))
    assert "not in the DHIS2 mapping: indicator INT-REFERRAL-DAYS" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("export_dhis2", "--period", "2026-01", "-o", str(target))
    with pytest.raises(CommandError):
        call_command("export_dhis2", "--period", "2026", "--region", "PE-XXX", "-o", str(target))


def _import(world, name: str, content: bytes, role: str = "coordinator"):
    job = import_services.import_job_create(
        kind=DHIS2_VALUES,
        by=world.users[role],
        region=world.region_a,
        upload=SimpleUploadedFile(name, content),
    )
    return import_services.import_check(job=job)


def test_an_import_names_unmapped_codes_and_bad_periods_by_row(world, named) -> None:
    Observation.objects.all().delete()
    document = {
        "dataValues": [
            {"dataElement": "deTrained01", "period": "2026Q3", "orgUnit": "ouLoreto001",
             "categoryOptionCombo": "cocFemale01", "value": "6"},
            {"dataElement": "deMissing01", "period": "2026Q3", "orgUnit": "ouLoreto001",
             "value": "6"},
            {"dataElement": "deTrained01", "period": "2026W10", "orgUnit": "ouLoreto001",
             "value": "6"},
        ]
    }  # fmt: skip
    job = _import(world, "set.json", json.dumps(document).encode())
    assert (job.status, job.rows_valid, job.problem_count) == ("ready", 1, 2)
    assert [p[:3] for p in job.problems] == [
        [3, "dataelement", "unmapped_data_element"],
        [4, "period", "bad_period"],
    ]
    page = world.client("coordinator").get(reverse("indicator-import-job", args=["PE-LOR", job.pk]))
    text = page.content.decode()
    assert "un elemento de datos que el mapeo DHIS2 no nombra" in text
    import_services.import_confirm(job=job, by=world.users["coordinator"], keep_file=False)
    job.refresh_from_db()
    import_services.import_write(job=job)
    assert list(Observation.objects.values_list("disaggregation", "value", "source")) == [
        ("sex=f", Decimal("6.00"), "DHIS2")
    ]


def test_files_that_are_not_data_value_sets_are_refused(world, named) -> None:
    with pytest.raises(ValidationError):
        _import(world, "set.xlsx", b"PK\x03\x04")
    with pytest.raises(ValidationError):
        _import(world, "set.json", b"dataelement,period")
    job = _import(world, "set.json", b'{"dataValues": 3}')
    assert job.problems[0][2] == "not_a_data_value_set"
    with pytest.raises(ValidationError):
        _import(world, "set.json", b"{}", role="viewer")


def test_the_upload_page_and_its_job_pages(world, named) -> None:
    client = world.client("coordinator")
    url = reverse("dhis2-import", args=["PE-LOR"])
    assert "Importar un conjunto de valores de datos de DHIS2" in client.get(url).content.decode()
    content = "\n".join([",".join(CSV_COLUMNS), "deTrained01,2026Q4,ouLoreto001,,,15,,,"]).encode()
    response = client.post(url, {"file": SimpleUploadedFile("set.csv", content)})
    assert response.status_code == 302
    job = _latest_job()
    assert job.rows_valid == 1
    confirm = reverse("indicator-import-confirm", args=["PE-LOR", job.pk])
    assert client.post(confirm, {}).status_code == 302
    assert Observation.objects.filter(period=date(2026, 10, 1), value=15).exists()


def _latest_job():
    from amparo.imports.models import ImportJob

    return ImportJob.objects.filter(kind=DHIS2_VALUES.name).latest("created_at")


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_export_then_import_into_an_empty_database_gives_the_same_observations(
    world, named, file_format
) -> None:
    def observations():
        return sorted(
            Observation.objects.filter(region=world.region_a, period__year=2026).values_list(
                "indicator__code", "region__code", "period", "disaggregation", "value"
            )
        )

    before = observations()
    client = world.client("coordinator")
    exported = client.get(
        reverse("dhis2-export", args=["PE-LOR"]), {"period": "2026", "format": file_format}
    ).content
    Observation.objects.all().delete()
    job = _import(world, f"set.{file_format}", exported)
    assert (job.problem_count, job.rows_valid) == (0, len(before))
    import_services.import_confirm(job=job, by=world.users["coordinator"], keep_file=False)
    job.refresh_from_db()
    import_services.import_write(job=job)
    assert observations() == before
