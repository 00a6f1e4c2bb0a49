"""The indicator form's own rules (dimension names, which methods take parts) and which
indicators the dashboards and a region's indicator page list, with what links for whom."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.indicators.models import Indicator

NEW = {
    "code": "OUT-SHELTERS",
    "name_es": "Albergues abiertos",
    "name_en": "Shelters open",
    "level": "output",
    "unit": "count",
    "direction": "higher",
    "aggregation": "sum",
    "frequency": "yearly",
    "disaggregations": "",
    "caveat_es": "",
    "caveat_en": "",
}


def _indicator(code: str, **changes) -> Indicator:
    values = {**NEW, "code": code, "name_es": f"Indicador {code}", "name_en": f"Indicator {code}"}
    values.pop("disaggregations")
    values.update(changes)
    return Indicator.objects.create(**values)


def _create(client, **changes):
    return client.post(reverse("indicator-create"), {**NEW, **changes}, follow=True)


# --- the form ----------------------------------------------------------------------------


def test_dimensions_are_read_trimmed_and_once_each(world) -> None:
    response = _create(world.client("admin"), disaggregations=" sex ,age_band,, sex ")
    assert "Indicador guardado." in response.text
    assert Indicator.objects.get().disaggregations == ["sex", "age_band"]


@pytest.mark.parametrize("bad", ["Sex", "age band", "2sex", "sexo-f", "edad!"])
def test_a_dimension_that_is_not_a_plain_name_is_refused(world, bad) -> None:
    response = world.client("admin").post(
        reverse("indicator-create"), {**NEW, "disaggregations": f"sex, {bad}"}
    )
    assert response.status_code == 422
    assert "no es un nombre de dimensión (minúsculas, dígitos, _)." in response.text
    assert not Indicator.objects.exists()


def test_the_dimension_rule_is_explained_in_english(world, settings) -> None:
    client = world.client("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("indicator-create"), {**NEW, "disaggregations": "Sex"})
    assert "Sex is not a dimension name (lower-case letters, digits, _)." in response.text


def test_only_a_ratio_names_a_numerator_and_a_denominator(world) -> None:
    part = _indicator("PART")
    response = world.client("admin").post(
        reverse("indicator-create"), {**NEW, "numerator": part.pk, "denominator": part.pk}
    )
    assert response.status_code == 422
    assert "Solo una razón tiene numerador y denominador." in response.text
    assert Indicator.objects.count() == 1


def test_a_ratio_is_not_offered_as_a_part_of_another(world) -> None:
    a, b = _indicator("A"), _indicator("B")
    ratio = _indicator("AB", aggregation="ratio", unit="percent", numerator=a, denominator=b)
    page = world.client("admin").get(reverse("indicator-create"))
    offered = set(page.context["form"].fields["numerator"].queryset)
    assert offered == {a, b} and ratio not in offered
    response = world.client("admin").post(
        reverse("indicator-create"),
        {**NEW, "aggregation": "ratio", "numerator": ratio.pk, "denominator": b.pk},
    )
    assert response.status_code == 422
    assert not Indicator.objects.filter(code="OUT-SHELTERS").exists()


def test_the_existing_dimensions_are_shown_as_typed(world) -> None:
    indicator = _indicator("DIS", disaggregations=["sex", "age_band"])
    page = world.client("admin").get(reverse("indicator-edit", args=[indicator.code])).text
    assert 'value="sex, age_band"' in page


def test_an_unknown_indicator_has_no_edit_page(world) -> None:
    assert world.client("admin").get(reverse("indicator-edit", args=["NOPE"])).status_code == 404


def test_a_code_is_used_by_one_indicator_only(world) -> None:
    _indicator("OUT-SHELTERS")
    response = world.client("admin").post(reverse("indicator-create"), NEW)
    assert response.status_code == 422
    assert Indicator.objects.count() == 1


# --- the lists ---------------------------------------------------------------------------


def _codes(response) -> list[str]:
    assert response.status_code == 200
    return sorted(view.indicator.code for view, _chart in response.context["charts"])


def test_dashboards_show_key_indicators_and_the_region_page_all_of_them(world) -> None:
    _indicator("KEY", is_key=True)
    _indicator("OTHER")
    client = world.client("viewer")
    assert _codes(client.get(reverse("program-dashboard"))) == ["KEY"]
    assert _codes(client.get(reverse("region-dashboard", args=["PE-LOR"]))) == ["KEY"]
    assert _codes(client.get(reverse("region-indicators", args=["PE-LOR"]))) == ["KEY", "OTHER"]


def test_the_region_page_offers_entry_and_targets_to_those_who_change_it(world) -> None:
    _indicator("KEY", is_key=True)
    url = reverse("region-indicators", args=["PE-LOR"])
    entry = reverse("indicator-entry", args=["PE-LOR"])
    targets = reverse("indicator-targets", args=["PE-LOR", "KEY"])
    coordinator = world.client("coordinator").get(url).text
    assert entry in coordinator and targets in coordinator
    for role in ("focal", "viewer"):
        page = world.client(role).get(url).text
        assert entry not in page and targets not in page, role


def test_only_program_admins_are_offered_a_new_indicator(world) -> None:
    url = reverse("program-dashboard")
    assert reverse("indicator-create") in world.client("admin").get(url).text
    assert reverse("indicator-create") not in world.client("coordinator").get(url).text


def test_indicator_names_follow_the_readers_language(world, settings) -> None:
    _indicator("KEY", is_key=True)
    client = world.client("viewer")
    assert "Indicador KEY" in client.get(reverse("region-indicators", args=["PE-LOR"])).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("region-indicators", args=["PE-LOR"])).text
    assert "Indicator KEY" in english and "Indicador KEY" not in english


def test_the_region_pages_are_hidden_outside_ones_regions(world) -> None:
    client = world.client("coordinator")
    assert client.get(reverse("region-indicators", args=["PE-UCA"])).status_code == 404
    assert client.get(reverse("region-dashboard", args=["PE-UCA"])).status_code == 404
