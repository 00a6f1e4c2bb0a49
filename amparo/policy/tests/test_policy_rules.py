"""How the pack's policy file becomes rows (pure), and tags edited on the measure and
indicator forms."""

from __future__ import annotations

from django.urls import reverse

from amparo.catalog import read_pack_file
from amparo.indicators.models import Indicator
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Control, Measure
from amparo.policy.models import PolicyItem
from amparo.policy.services import instrument_values, item_values, policy_entries

CONTENT = read_pack_file("pe", "policy")


def test_entries_are_keyed_by_tag_with_parents_first() -> None:
    instruments, items = policy_entries(CONTENT)
    assert [i["code"] for i in instruments] == ["PNFTP", "PI"]
    tags = [i["code"] for i in items]
    assert tags[:5] == ["PNFTP:OP1", "PNFTP:OP2", "PNFTP:OP3", "PNFTP:L1.1", "PNFTP:L3.1"]
    assert tags[-3:] == ["PI:E1", "PI:E2", "PI:E3"]
    for item in items:
        if item["parent"]:
            assert tags.index(item["parent"]) < tags.index(item["code"])
    s4 = next(i for i in items if i["code"] == "PNFTP:S4")
    assert (s4["parent"], s4["item_code"], s4["instrument"]) == ("PNFTP:L1.1", "S4", "PNFTP")


def test_nulls_become_empty_and_nothing_is_invented() -> None:
    _instruments, items = policy_entries(CONTENT)
    s5 = item_values(next(i for i in items if i["code"] == "PNFTP:S5"))
    assert s5["name_partial"] and s5["name_en"].startswith("Awareness-raising for the population")
    assert (s5["provider"], s5["condition"], s5["regional_role"], s5["verified"]) == (
        "",
        "",
        "",
        False,
    )
    op1 = item_values(next(i for i in items if i["code"] == "PNFTP:OP1"))
    assert not op1["name_partial"] and op1["note_es"] == "" and op1["number"] is None


def test_instrument_values_read_dates_and_totals() -> None:
    policy = instrument_values(CONTENT["policy"], "policy")
    assert str(policy["published"]) == "2021-07-27"
    assert (policy["objectives_total"], policy["horizon"]) == (3, 2030)
    protocol = instrument_values(CONTENT["protocol"], "protocol")
    assert protocol["horizon"] is None and protocol["norm"] == "Decreto Supremo N° 007-2023-IN"


def test_a_file_without_a_protocol_loads_the_policy_alone() -> None:
    content = {k: v for k, v in CONTENT.items() if k != "protocol"}
    instruments, items = policy_entries(content)
    assert [i["code"] for i in instruments] == ["PNFTP"]
    assert all(i["instrument"] == "PNFTP" for i in items)


def _form(client, url: str) -> dict:
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_the_measure_form_changes_its_tags(world, starter_catalog) -> None:
    control = Control.objects.get(code="TUR-POL-01")
    measure = mitigation_services.measure_from_control(
        region=world.region_a, control=control, by=world.users["coordinator"]
    )
    url = reverse("measure-edit", args=["PE-LOR", measure.pk])
    data = _form(world.client("coordinator"), url)
    s1 = PolicyItem.objects.get(code="S1")
    data["policy_items"] = [str(s1.pk)]
    response = world.client("coordinator").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(Measure.objects.get(pk=measure.pk).policy_items.all()) == [s1]
    detail = world.client("viewer").get(reverse("measure-detail", args=["PE-LOR", measure.pk]))
    text = detail.content.decode()
    assert "PNFTP:S1" in text and reverse("policy-alignment-region", args=["PE-LOR"]) in text


def test_the_indicator_form_changes_its_tags_and_keeps_them_on_reload(
    world, starter_catalog
) -> None:
    from io import StringIO

    from django.core.management import call_command

    url = reverse("indicator-edit", args=["OUT-CAMPAIGN-REACH"])
    data = _form(world.client("admin"), url)
    assert [str(PolicyItem.objects.get(code="L1.1").pk)] == data["policy_items"]
    op1 = PolicyItem.objects.get(code="OP1")
    data["policy_items"] = [str(op1.pk)]
    response = world.client("admin").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    call_command("load_catalog", stdout=StringIO())
    indicator = Indicator.objects.get(code="OUT-CAMPAIGN-REACH")
    assert indicator.edited and list(indicator.policy_items.all()) == [op1]
