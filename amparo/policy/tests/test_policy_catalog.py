"""The national policy loads with the one catalog sync: its entries as the pack verifies
them, nothing guessed, and the rules that keep program admins' work; controls and
indicators come tagged, and measures take their library entry's tags."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo import catalog
from amparo.catalog.sync import LoadCount
from amparo.indicators.models import Indicator
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Control
from amparo.policy import services
from amparo.policy.models import ItemKind, PolicyInstrument, PolicyItem


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(catalog.CATALOG_DIR / "pe", tmp_path / "pe")
    monkeypatch.setattr(catalog, "CATALOG_DIR", tmp_path)
    return tmp_path / "pe" / "policy.json"


def _change(path: Path, change) -> None:
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def _load() -> LoadCount:
    count = LoadCount()
    services.policy_catalog_load(pack="pe", count=count)
    return count


def test_the_policy_and_protocol_load_as_far_as_verified(db) -> None:
    count = _load()
    assert count.created == {"policies": 2, "policy_entries": 13}
    policy = PolicyInstrument.objects.get(code="PNFTP")
    assert (policy.guidelines_total, policy.services_total, policy.horizon) == (19, 42, 2030)
    assert policy.norm == "Decreto Supremo N° 009-2021-IN" and policy.verified
    kinds = {k: set() for k in ItemKind.values}
    for item in PolicyItem.objects.select_related("instrument"):
        kinds[item.kind].add(item.tag)
    assert kinds == {
        "objective": {"PNFTP:OP1", "PNFTP:OP2", "PNFTP:OP3"},
        "guideline": {"PNFTP:L1.1", "PNFTP:L3.1"},
        "service": {f"PNFTP:S{n}" for n in range(1, 6)},
        "axis": {"PI:E1", "PI:E2", "PI:E3"},
    }
    l11 = PolicyItem.objects.get(code="L1.1")
    assert l11.parent.code == "OP1"
    s4 = PolicyItem.objects.get(code="S4")
    assert (s4.parent, s4.provider, s4.regional_role, s4.condition) == (
        l11,
        "MININTER",
        "recipient",
        "improved",
    )


def test_an_entry_the_source_shows_in_part_is_kept_as_read_and_unverified(db) -> None:
    _load()
    s5 = PolicyItem.objects.get(code="S5")
    assert s5.name_partial and not s5.verified
    assert s5.name_es.startswith("Servicio de sensibilización de la población en el exterior")
    # No guideline, provider, condition nor regional role is guessed.
    assert (s5.parent, s5.provider, s5.condition, s5.regional_role) == (None, "", "", "")


def test_an_admins_correction_is_kept_and_listed_once_per_catalog_change(db, pack) -> None:
    _load()
    s1 = PolicyItem.objects.get(code="S1")
    services.item_save(instrument=s1.instrument, item=s1, provider_es="Ministerio corregido")
    assert _load().kept == []

    def rename(content: dict) -> None:
        for service in content["services"]:
            service["provider_es"] = "Nuevo proveedor"

    _change(pack, rename)
    count = _load()
    assert count.kept == ["PNFTP:S1"]
    assert count.updated == {"policy_entries": 4}  # S2-S5
    assert PolicyItem.objects.get(code="S1").provider_es == "Ministerio corregido"
    assert PolicyItem.objects.get(code="S2").provider_es == "Nuevo proveedor"
    assert _load().kept == []


def test_an_entry_admins_added_is_never_overwritten_by_the_catalog(db, pack) -> None:
    _load()
    policy = PolicyInstrument.objects.get(code="PNFTP")
    op1 = PolicyItem.objects.get(code="OP1")
    mine = services.item_save(
        instrument=policy, kind="guideline", code="L1.2", parent=op1, name_es="Nuestro"
    )
    assert not mine.from_catalog

    def add(content: dict) -> None:
        content["guidelines"].append(
            {**content["guidelines"][0], "code": "L1.2", "name_es": "Del catálogo"}
        )

    _change(pack, add)
    assert _load().clashes == {"policy_entries": ["PNFTP:L1.2"]}
    assert PolicyItem.objects.get(code="L1.2").name_es == "Nuestro"


def test_an_entry_belongs_to_an_entry_of_the_right_kind(db) -> None:
    _load()
    policy = PolicyInstrument.objects.get(code="PNFTP")
    axis = PolicyItem.objects.get(code="E1")
    with pytest.raises(services.ValidationError) as error:
        services.item_save(instrument=policy, kind="service", code="S6", parent=axis)
    assert "parent" in error.value.message_dict
    s1 = PolicyItem.objects.get(code="S1")
    with pytest.raises(services.ValidationError) as error:
        services.item_save(instrument=policy, item=s1, code="S99")
    assert "code" in error.value.message_dict


def test_a_policy_correction_marks_it_edited_but_its_code_is_fixed(db) -> None:
    _load()
    policy = PolicyInstrument.objects.get(code="PNFTP")
    services.instrument_save(instrument=policy, guidelines_total=19, note_es="Revisado")
    assert PolicyInstrument.objects.get(code="PNFTP").edited
    with pytest.raises(services.ValidationError):
        services.instrument_save(instrument=policy, code="OTRA")


def test_the_starter_library_and_indicators_come_tagged(starter_catalog, world) -> None:
    control_tags = {
        c.code: {p.tag for p in c.policy_items.all()}
        for c in Control.objects.prefetch_related("policy_items__instrument")
    }
    content = catalog.read_pack_file("pe", "controls")["controls"]
    assert control_tags == {c["code"]: set(c["policy"]) for c in content}
    assert sum(len(tags) for tags in control_tags.values()) == 54
    indicator = Indicator.objects.get(code="INT-DETECTED")
    assert {p.tag for p in indicator.policy_items.all()} == {"PNFTP:L3.1"}
    sdg = Indicator.objects.get(code="OC-SDG-16-2-2")
    assert sdg.standard["code"] == "16.2.2" and sdg.standard["scheme"] == "SDG"


def test_a_catalog_tag_change_reaches_unedited_controls(world, pack) -> None:
    call_command("load_catalog", stdout=StringIO())
    controls_file = pack.parent / "controls.json"

    def retag(content: dict) -> None:
        next(c for c in content["controls"] if c["code"] == "TUR-POL-01")["policy"] = ["PNFTP:S4"]

    _change(controls_file, retag)
    call_command("load_catalog", stdout=StringIO())
    control = Control.objects.get(code="TUR-POL-01")
    assert [p.tag for p in control.policy_items.all()] == ["PNFTP:S4"]


def test_a_measure_takes_its_library_entrys_tags_and_they_can_be_changed(
    starter_catalog, world
) -> None:
    control = Control.objects.filter(policy_items__isnull=False).distinct().first()
    measure = mitigation_services.measure_from_control(
        region=world.region_a, control=control, by=world.users["admin"]
    )
    assert set(measure.policy_items.all()) == set(control.policy_items.all())
    s4 = PolicyItem.objects.get(code="S4")
    mitigation_services.measure_save(
        region=world.region_a, by=world.users["admin"], measure=measure, policy_items=[s4]
    )
    assert list(measure.policy_items.all()) == [s4]
    assert set(control.policy_items.all()) != {s4}  # the library entry keeps its own
