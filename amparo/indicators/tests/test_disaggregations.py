"""The standard disaggregation vocabularies: loaded from the pack by the one catalog sync,
edited by program admins, and the values observations may carry."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo import catalog
from amparo.catalog.sync import LoadCount
from amparo.indicators import services
from amparo.indicators.models import DisaggregationDimension, DisaggregationValue, Observation
from amparo.indicators.observation_import import IndicatorSpec, parse_observations


def _load() -> LoadCount:
    count = LoadCount()
    services.disaggregations_catalog_load(pack="pe", count=count)
    return count


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(catalog.CATALOG_DIR / "pe", tmp_path / "pe")
    monkeypatch.setattr(catalog, "CATALOG_DIR", tmp_path)
    return tmp_path / "pe" / "disaggregations.json"


def test_the_packs_vocabularies_load_with_the_sdg_grouping(db) -> None:
    assert _load().created == {"disaggregations": 4, "disaggregation_values": 11}
    vocabularies = services.disaggregation_vocabularies()
    assert vocabularies == {
        "sex": {"f", "m"},
        "age": {"0-17", "18+"},
        "age_band": {"0-9", "10-14", "15-17"},
        "exploitation_form": {"sexual", "forced_labour", "organs", "other"},
    }
    organs = DisaggregationValue.objects.get(dimension__code="exploitation_form", code="organs")
    assert organs.sdg_series == "VC_HTF_DETVOG" and organs.key == "exploitation_form=organs"
    adults = DisaggregationValue.objects.get(dimension__code="age", code="18+")
    assert (adults.min_age, adults.max_age, adults.verified) == (18, None, False)
    assert _load().created == {}


def test_an_admins_label_is_kept_when_the_catalog_changes(db, pack) -> None:
    _load()
    female = DisaggregationValue.objects.get(dimension__code="sex", code="f")
    services.disaggregation_value_save(
        dimension=female.dimension, value=female, label_en="Women and girls"
    )
    content = json.loads(pack.read_text(encoding="utf-8"))
    for value in content["dimensions"][0]["values"]:
        value["label_en"] = value["label_en"] + " (new)"
    pack.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    count = _load()
    assert count.kept == ["sex=f"] and count.updated == {"disaggregation_values": 1}
    assert DisaggregationValue.objects.get(dimension__code="sex", code="f").label_en == (
        "Women and girls"
    )
    assert DisaggregationValue.objects.get(dimension__code="sex", code="m").label_en == (
        "Male (new)"
    )


def test_value_rules(db) -> None:
    _load()
    age = DisaggregationDimension.objects.get(code="age")
    with pytest.raises(ValidationError) as error:
        services.disaggregation_value_save(dimension=age, code="x", label_es="x", label_en="x",
                                           min_age=20, max_age=10)  # fmt: skip
    assert "max_age" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.disaggregation_value_save(dimension=age, code="y" * 37, label_es="y", label_en="y")
    assert "code" in error.value.message_dict
    minors = DisaggregationValue.objects.get(dimension=age, code="0-17")
    with pytest.raises(ValidationError):
        services.disaggregation_value_save(dimension=age, value=minors, code="menores")
    with pytest.raises(ValidationError):
        services.dimension_save(dimension=age, code="edad")


def test_a_users_value_can_be_renamed_until_observations_use_it(world, starter_catalog) -> None:
    sex = DisaggregationDimension.objects.get(code="sex")
    mine = services.disaggregation_value_save(
        dimension=sex, code="x", label_es="Otro", label_en="Other"
    )
    mine = services.disaggregation_value_save(dimension=sex, value=mine, code="o")
    from amparo.indicators.models import Indicator

    Observation.objects.create(
        indicator=Indicator.objects.get(code="OUT-TRAINED"),
        region=world.region_a,
        period=date(2026, 1, 1),
        disaggregation="sex=o",
        value=Decimal(3),
    )
    with pytest.raises(ValidationError):
        services.disaggregation_value_save(dimension=sex, value=mine, code="z")


def test_imported_values_must_use_the_vocabulary() -> None:
    rows = iter(
        [
            ["indicator", "region", "period", "value", "disaggregation"],
            ["INT-DETECTED", "PE-LOR", "2026-01", "4", "sex=f"],
            ["INT-DETECTED", "PE-LOR", "2026-01", "4", "sex=x"],
            ["INT-DETECTED", "PE-LOR", "2026-01", "4", "age_band=10-14"],
            ["INT-DETECTED", "PE-LOR", "2026-01", "4", "colour=red"],
        ]
    )
    specs = {"INT-DETECTED": IndicatorSpec("monthly", True, frozenset({"sex", "age_band"}))}
    result = parse_observations(
        rows,
        specs,
        frozenset({"PE-LOR"}),
        vocabularies={"sex": frozenset({"f", "m"}), "age_band": frozenset({"10-14"})},
    )
    assert [r.disaggregation for r in result.valid] == ["sex=f", "age_band=10-14"]
    assert [(p.row, p.reason) for p in result.problems] == [
        (3, "bad_disaggregation"),
        (5, "bad_disaggregation"),
    ]


def test_members_read_the_vocabularies_and_admins_change_them(
    world, starter_catalog, django_assert_max_num_queries
) -> None:
    viewer = world.client("viewer")
    with django_assert_max_num_queries(8):
        page = viewer.get(reverse("disaggregation-list"))
    text = page.content.decode()
    assert "exploitation_form=forced_labour" in text and "Trabajo forzoso" in text
    assert reverse("disaggregation-create") not in text
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Forced labour" in viewer.get(reverse("disaggregation-list")).content.decode()

    admin = world.client("admin")
    response = admin.post(
        reverse("disaggregation-value-create", args=["age_band"]),
        {"code": "18-24", "label_es": "18 a 24", "label_en": "18-24", "min_age": 18,
         "max_age": 24, "source": "", "sdg_series": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert "18-24" in services.disaggregation_vocabularies()["age_band"]
    bad = admin.post(
        reverse("disaggregation-value-create", args=["age_band"]),
        {"code": "z", "label_es": "z", "label_en": "z", "min_age": 9, "max_age": 2},
    )
    assert bad.status_code == 422
    response = admin.post(
        reverse("disaggregation-create"),
        {"code": "disability", "name_es": "Discapacidad", "name_en": "Disability"},
    )
    assert response.status_code == 302
    dimension = DisaggregationDimension.objects.get(code="disability")
    url = reverse("disaggregation-edit", args=["disability"])
    response = admin.post(
        url, {"code": "other", "name_es": "Discapacidad (revisado)", "name_en": "Disability"}
    )
    assert response.status_code == 302
    dimension.refresh_from_db()
    assert (dimension.code, dimension.name_es) == ("disability", "Discapacidad (revisado)")
