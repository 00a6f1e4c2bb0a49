"""Creating and changing indicators, and linking them to measures, through the pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.indicators import services as indicator_services
from amparo.indicators.models import Indicator
from amparo.mitigation.models import Measure
from amparo.tests.queries import page_queries

NEW = {
    "code": "OUT-SHELTERS",
    "name_es": "Albergues abiertos",
    "name_en": "Shelters open",
    "level": "output",
    "unit": "count",
    "direction": "higher",
    "aggregation": "last",
    "frequency": "yearly",
    "disaggregations": "sex, age_band",
    "caveat_es": "",
    "caveat_en": "",
}


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())
    return {i.code: i for i in Indicator.objects.all()}


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coordinator", 403), ("focal", 403), ("viewer", 403), ("outsider", 403)],
)
def test_only_program_admins_create_or_change_indicators(world, catalog, role, status) -> None:
    client = world.client(role)
    assert client.get(reverse("indicator-create")).status_code == status
    assert client.get(reverse("indicator-edit", args=["OUT-TRAINED"])).status_code == status
    response = client.post(reverse("indicator-create"), NEW)
    assert response.status_code == (302 if role == "admin" else status)
    assert Indicator.objects.filter(code="OUT-SHELTERS").exists() == (role == "admin")


def test_an_admin_creates_an_indicator(world, catalog) -> None:
    client = world.client("admin")
    response = client.post(reverse("indicator-create"), {**NEW, "is_key": "on"})
    assert response.status_code == 302
    created = Indicator.objects.get(code="OUT-SHELTERS")
    assert (created.name_en, created.aggregation, created.is_key) == ("Shelters open", "last", True)
    assert created.disaggregations == ["sex", "age_band"] and not created.from_catalog
    page = client.get(reverse("program-dashboard")).content.decode()
    assert "Albergues abiertos" in page


def test_a_ratio_needs_its_two_parts_and_never_itself(world, catalog) -> None:
    client = world.client("admin")
    url = reverse("indicator-create")
    response = client.post(url, {**NEW, "aggregation": "ratio", "unit": "percent"})
    assert response.status_code == 422
    assert "Una razón necesita un numerador y un denominador." in response.content.decode()
    parts = {
        "numerator": catalog["OUT-COMPLIANT"].pk,
        "denominator": catalog["OUT-INSPECTED"].pk,
    }
    response = client.post(url, {**NEW, **parts})  # "last" with parts
    assert response.status_code == 422 and "Solo una razón" in response.content.decode()
    response = client.post(url, {**NEW, **parts, "aggregation": "ratio", "unit": "percent"})
    assert response.status_code == 302
    share = Indicator.objects.get(code="OUT-SHELTERS")
    assert (share.numerator, share.denominator) == (
        catalog["OUT-COMPLIANT"],
        catalog["OUT-INSPECTED"],
    )
    edit = reverse("indicator-edit", args=["OUT-SHELTERS"])
    response = client.post(
        edit, {**NEW, "aggregation": "ratio", "unit": "percent", "numerator": share.pk,
               "denominator": catalog["OUT-INSPECTED"].pk}
    )  # fmt: skip
    assert response.status_code == 422
    assert Indicator.objects.get(pk=share.pk).numerator == catalog["OUT-COMPLIANT"]


def test_a_catalog_indicator_keeps_its_code_and_survives_a_reload(world, catalog) -> None:
    client = world.client("admin")
    trained = catalog["OUT-TRAINED"]
    values = {
        "code": "OTHER", "name_es": "Personal capacitado (región)", "name_en": trained.name_en,
        "level": trained.level, "unit": trained.unit, "direction": trained.direction,
        "aggregation": trained.aggregation, "frequency": trained.frequency,
        "disaggregations": "sex", "caveat_es": "", "caveat_en": "", "is_key": "on",
    }  # fmt: skip
    response = client.post(reverse("indicator-edit", args=["OUT-TRAINED"]), values)
    assert response.status_code == 302
    trained.refresh_from_db()
    assert trained.code == "OUT-TRAINED" and trained.name_es == "Personal capacitado (región)"
    assert trained.edited
    call_command("load_catalog", stdout=StringIO())
    trained.refresh_from_db()
    assert trained.name_es == "Personal capacitado (región)"


def _edit_on_the_page(world, code: str, name_es: str) -> None:
    indicator = Indicator.objects.get(code=code)
    values = {
        "code": code, "name_es": name_es, "name_en": indicator.name_en,
        "level": indicator.level, "unit": indicator.unit, "direction": indicator.direction,
        "aggregation": indicator.aggregation, "frequency": indicator.frequency,
        "disaggregations": "", "caveat_es": "", "caveat_en": "",
    }  # fmt: skip
    response = world.client("admin").post(reverse("indicator-edit", args=[code]), values)
    assert response.status_code == 302


def test_an_edited_indicator_is_not_listed_again_on_every_load(world, catalog) -> None:
    # It used to be listed as "kept" on every load, although the catalog had not changed.
    _edit_on_the_page(world, "OUT-TRAINED", "Personal capacitado (región)")
    for _load in range(2):
        call_command("load_catalog", stdout=(out := StringIO()))
        assert "kept users' edits" not in out.getvalue()
    assert Indicator.objects.get(code="OUT-TRAINED").name_es == "Personal capacitado (región)"


def test_a_catalog_indicator_never_overwrites_one_an_admin_created(world, catalog, monkeypatch):
    # It used to be overwritten when a new catalog version brought the same code.
    world.client("admin").post(reverse("indicator-create"), NEW)
    real = indicator_services.read_pack_file

    def with_shelters(pack: str, name: str) -> dict:
        content = real(pack, name)
        if name != "indicators":  # the same module loads the disaggregations
            return content
        shipped = next(e for e in content["indicators"] if e["code"] == "OUT-TRAINED")
        content["indicators"].append({**shipped, "code": "OUT-SHELTERS", "name_es": "Otro"})
        return content

    monkeypatch.setattr(indicator_services, "read_pack_file", with_shelters)
    call_command("load_catalog", stdout=(out := StringIO()))
    mine = Indicator.objects.get(code="OUT-SHELTERS")
    assert (mine.name_es, mine.aggregation, mine.from_catalog) == (
        "Albergues abiertos",
        "last",
        False,
    )
    assert "the catalog has indicators with the same code: OUT-SHELTERS" in out.getvalue()


def _measures(world, n: int) -> list[Measure]:
    return [
        Measure.objects.create(
            region=region, sector=world.sector, kind="policy", title=f"Medida {region.code} {i}"
        )
        for i in range(n)
        for region in (world.region_a, world.region_b)
    ]


def test_an_admin_links_measures_to_an_indicator(world, catalog) -> None:
    first, second, *_rest = _measures(world, 2)
    client = world.client("admin")
    url = reverse("indicator-edit", args=["OUT-TRAINED"])
    page = client.get(url).content.decode()
    assert "PE-LOR · TUR · Medida PE-LOR 0" in page and "PE-UCA · TUR · Medida PE-UCA 0" in page
    trained = catalog["OUT-TRAINED"]
    values = {
        "code": "OUT-TRAINED", "name_es": trained.name_es, "name_en": trained.name_en,
        "level": trained.level, "unit": trained.unit, "direction": trained.direction,
        "aggregation": trained.aggregation, "frequency": trained.frequency,
        "disaggregations": "sex", "caveat_es": "", "caveat_en": "",
        "measures": [first.pk, second.pk],
    }  # fmt: skip
    assert client.post(url, values).status_code == 302
    assert set(trained.measures.all()) == {first, second}
    assert client.post(url, {**values, "measures": [second.pk]}).status_code == 302
    assert list(trained.measures.all()) == [second]


def test_a_definition_is_not_saved_when_its_measures_cannot_be(world, catalog, monkeypatch) -> None:
    first, *_rest = _measures(world, 1)
    trained = catalog["OUT-TRAINED"]

    def refuse(**_kwargs) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(indicator_services, "indicator_measures_link", refuse)
    values = {
        "code": "OUT-TRAINED", "name_es": "Otro nombre", "name_en": trained.name_en,
        "level": trained.level, "unit": trained.unit, "direction": trained.direction,
        "aggregation": trained.aggregation, "frequency": trained.frequency,
        "disaggregations": "sex", "caveat_es": "", "caveat_en": "",
        "measures": [first.pk],
    }  # fmt: skip
    client = world.client("admin")
    client.raise_request_exception = False
    response = client.post(reverse("indicator-edit", args=["OUT-TRAINED"]), values)
    assert response.status_code == 500
    trained.refresh_from_db()
    assert trained.name_es != "Otro nombre" and not trained.measures.exists()


def test_indicator_pages_cost_the_same_queries_at_any_size(world, catalog) -> None:
    client = world.client("admin")
    urls = [reverse("indicator-create"), reverse("indicator-edit", args=["OUT-TRAINED"])]
    _measures(world, 1)
    catalog["OUT-TRAINED"].measures.add(*Measure.objects.all())
    small = [page_queries(client, url) for url in urls]
    _measures(world, 15)
    catalog["OUT-TRAINED"].measures.add(*Measure.objects.all())
    assert [page_queries(client, url) for url in urls] == small
