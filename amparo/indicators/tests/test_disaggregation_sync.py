"""The disaggregation vocabularies follow the catalog's rules like every kind of row: a
dimension admins edited is kept and listed once per catalog change, one they created with
a catalog code is never overwritten, and a row changed behind the app is repaired."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from amparo import catalog
from amparo.catalog.sync import LoadCount
from amparo.indicators import services
from amparo.indicators.models import DisaggregationDimension, DisaggregationValue


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(catalog.CATALOG_DIR / "pe", tmp_path / "pe")
    monkeypatch.setattr(catalog, "CATALOG_DIR", tmp_path)
    return tmp_path / "pe" / "disaggregations.json"


def _load() -> LoadCount:
    count = LoadCount()
    services.disaggregations_catalog_load(pack="pe", count=count)
    return count


def _change(path: Path, change) -> None:
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content["dimensions"])
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def _dimension(dimensions: list[dict], code: str) -> dict:
    return next(d for d in dimensions if d["code"] == code)


def test_an_edited_dimension_is_kept_and_listed_once(db, pack) -> None:
    _load()
    age = DisaggregationDimension.objects.get(code="age")
    services.dimension_save(dimension=age, name_en="Age (two groups)")
    _change(pack, lambda ds: _dimension(ds, "age").update(name_en="Age, new wording"))
    _change(pack, lambda ds: _dimension(ds, "sex").update(name_en="Sex, new wording"))
    count = _load()
    assert count.kept == ["age"] and count.updated == {"disaggregations": 1}
    assert DisaggregationDimension.objects.get(code="age").name_en == "Age (two groups)"
    assert DisaggregationDimension.objects.get(code="sex").name_en == "Sex, new wording"
    assert _load().kept == []


def test_a_dimension_admins_created_keeps_its_values(db, pack) -> None:
    removed: list[dict] = []

    def remove(dimensions: list[dict]) -> None:
        removed.append(_dimension(dimensions, "age_band"))
        dimensions.remove(removed[0])

    _change(pack, remove)
    _load()
    mine = services.dimension_save(code="age_band", name_es="Nuestros tramos", name_en="Ours")
    services.disaggregation_value_save(
        dimension=mine, code="0-4", label_es="0 a 4", label_en="0-4", min_age=0, max_age=4
    )
    _change(pack, lambda dimensions: dimensions.append(removed[0]))
    count = _load()
    assert count.clashes["disaggregations"] == ["age_band"]
    assert DisaggregationDimension.objects.get(code="age_band").name_es == "Nuestros tramos"
    # The catalog's values come into the dimension the admins made: they are new rows.
    codes = set(DisaggregationValue.objects.filter(dimension=mine).values_list("code", flat=True))
    assert codes == {"0-4", "0-9", "10-14", "15-17"}


def test_a_value_changed_in_the_database_is_brought_back(db, pack) -> None:
    _load()
    DisaggregationValue.objects.filter(dimension__code="sex", code="m").update(label_es="X")
    assert _load().updated == {"disaggregation_values": 1}
    assert DisaggregationValue.objects.get(dimension__code="sex", code="m").label_es == "Hombre"


def test_the_vocabulary_keeps_the_sdg_series_and_the_age_limits(db) -> None:
    _load()
    rows = {
        v.key: (v.min_age, v.max_age, v.sdg_series)
        for v in DisaggregationValue.objects.select_related("dimension")
    }
    assert rows["age=0-17"] == (0, 17, "")
    assert rows["age_band=10-14"] == (10, 14, "")
    assert rows["exploitation_form=sexual"] == (None, None, "VC_HTF_DETVSX")
    assert rows["exploitation_form=forced_labour"][2] == "VC_HTF_DETVFL"
    # The age groups of a dimension leave no gap and do not overlap.
    for dimension in ("age", "age_band"):
        bands = sorted(
            (low, high) for key, (low, high, _s) in rows.items() if key.startswith(f"{dimension}=")
        )
        assert bands[0][0] == 0
        for (_low, high), (low, _high) in pairwise(bands):
            assert low == high + 1
