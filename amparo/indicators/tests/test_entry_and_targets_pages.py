"""The entry grid and the baseline/target page as a coordinator uses them: which period is
shown, how values are read (commas, blanks, nonsense), and that a refused row writes
nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.indicators import periods
from amparo.indicators.models import Indicator, Observation, Target


def _indicator(code: str, frequency: str = "quarterly", **changes) -> Indicator:
    values = {
        "code": code,
        "name_es": f"Indicador {code}",
        "name_en": f"Indicator {code}",
        "level": "output",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "frequency": frequency,
    }
    values.update(changes)
    return Indicator.objects.create(**values)


@pytest.fixture
def typed(world) -> dict[str, Indicator]:
    trained = _indicator("TRAINED")
    inspected = _indicator("INSPECTED")
    ratio = _indicator(
        "RATIO", aggregation="ratio", unit="percent", numerator=inspected, denominator=trained
    )
    computed = _indicator("PASTORS", frequency="monthly", computed_from="pastors_trained")
    yearly = _indicator("BUDGET", frequency="yearly", unit="soles")
    return {i.code: i for i in (trained, inspected, ratio, computed, yearly)}


def _grid(frequency: str = "quarterly", period: str = "2027-T1", code: str = "PE-LOR") -> str:
    return reverse("indicator-entry", args=[code]) + f"?frequency={frequency}&period={period}"


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the entry grid ----------------------------------------------------------------------


def test_the_grid_lists_only_typed_indicators_of_the_chosen_frequency(world, typed) -> None:
    page = world.client("coordinator").get(_grid())
    codes = [indicator.code for indicator, _value, _error in page.context["rows"]]
    assert codes == ["INSPECTED", "TRAINED"]
    yearly = world.client("coordinator").get(_grid("yearly", "2027"))
    assert [i.code for i, _v, _e in yearly.context["rows"]] == ["BUDGET"]


def test_the_grid_links_the_periods_before_and_after(world, typed) -> None:
    client = world.client("coordinator")
    for frequency, period, before, after in [
        ("quarterly", "2027-T1", "2026-T4", "2027-T2"),
        ("monthly", "2027-01", "2026-12", "2027-02"),
        ("monthly", "2027-12", "2027-11", "2028-01"),
        ("yearly", "2027", "2026", "2028"),
    ]:
        page = client.get(_grid(frequency, period)).text
        assert f'period={before}">← {before}</a>' in page, (frequency, period)
        assert f'period={after}">{after} →</a>' in page, (frequency, period)


def test_an_unreadable_period_or_frequency_falls_back_to_the_current_one(world, typed) -> None:
    client = world.client("coordinator")
    today = timezone.localdate()
    page = client.get(_grid("quarterly", "hace-tiempo"))
    assert page.context["period"] == periods.period_start(today, "quarterly")
    page = client.get(reverse("indicator-entry", args=["PE-LOR"]) + "?frequency=weekly")
    assert page.context["frequency"] == "monthly"
    assert page.context["period"] == periods.period_start(today, "monthly")


def test_a_date_in_the_period_opens_that_period(world, typed) -> None:
    page = world.client("coordinator").get(_grid("quarterly", "2027-05-17"))
    assert page.context["period_label"] == "2027-T2"


def test_the_grid_shows_the_values_already_saved(world, typed) -> None:
    Observation.objects.create(indicator=typed["TRAINED"], region=world.region_a,
                               period=date(2027, 1, 1), value=Decimal("14"))  # fmt: skip
    Observation.objects.create(indicator=typed["TRAINED"], region=world.region_b,
                               period=date(2027, 1, 1), value=Decimal("99"))  # fmt: skip
    Observation.objects.create(indicator=typed["TRAINED"], region=world.region_a,
                               period=date(2027, 1, 1), disaggregation="sex=f",
                               value=Decimal("6"))  # fmt: skip
    rows = world.client("coordinator").get(_grid()).context["rows"]
    assert {i.code: v for i, v, _e in rows} == {"TRAINED": Decimal("14.00"), "INSPECTED": ""}


def test_saving_says_how_many_values_were_saved_and_keeps_the_period(world, typed) -> None:
    client = world.client("coordinator")
    trained, inspected = typed["TRAINED"], typed["INSPECTED"]
    response = client.post(
        _grid(), {f"v{trained.pk}": "3", f"v{inspected.pk}": "", "source": "Informe DIRCETUR"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?frequency=quarterly&period=2027-T1")
    page = client.get(response["Location"])
    assert "Valores guardados: 1." in page.text
    observation = Observation.objects.get()
    assert (observation.value, observation.source) == (Decimal("3"), "Informe DIRCETUR")
    assert observation.created_by == world.users["coordinator"]


@pytest.mark.parametrize("bad", ["abc", "-1", "NaN", "Infinity", "1e400x", "--2"])
def test_a_value_that_is_not_a_count_refuses_the_whole_row(world, typed, bad) -> None:
    trained, inspected = typed["TRAINED"], typed["INSPECTED"]
    response = world.client("coordinator").post(
        _grid(), {f"v{trained.pk}": "5", f"v{inspected.pk}": bad}
    )
    assert response.status_code == 422
    assert "Ingrese un número igual o mayor que cero." in response.text
    assert 'aria-invalid="true"' in response.text
    assert f'value="{bad}"' in response.text  # what was typed is given back to correct
    assert not Observation.objects.exists()


def test_the_refusal_is_explained_in_english(world, typed, settings) -> None:
    client = _english(world.client("coordinator"), settings)
    response = client.post(_grid(), {f"v{typed['TRAINED'].pk}": "muchos"})
    assert response.status_code == 422
    assert "Enter a number, zero or more." in response.text


def test_a_comma_is_read_as_the_decimal_mark_and_spaces_are_ignored(world, typed) -> None:
    world.client("coordinator").post(_grid(), {f"v{typed['TRAINED'].pk}": " 1234,50 "})
    assert Observation.objects.get().value == Decimal("1234.50")


def test_a_long_source_is_cut_to_what_is_kept(world, typed) -> None:
    world.client("coordinator").post(_grid(), {f"v{typed['TRAINED'].pk}": "1", "source": "x" * 500})
    assert len(Observation.objects.get().source) == 300


def test_posting_a_computed_indicator_writes_nothing_for_it(world, typed) -> None:
    computed = typed["PASTORS"]
    response = world.client("coordinator").post(
        _grid("monthly", "2027-01"), {f"v{computed.pk}": "40"}
    )
    assert response.status_code == 302
    assert not Observation.objects.filter(indicator=computed).exists()


@pytest.mark.parametrize("role, expected", [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_only_those_who_change_the_region_save_values(world, typed, role, expected) -> None:
    response = world.client(role).post(_grid(), {f"v{typed['TRAINED'].pk}": "5"})
    assert response.status_code == expected
    assert not Observation.objects.exists()


def test_a_coordinator_cannot_type_values_into_another_region(world, typed) -> None:
    response = world.client("coordinator").post(
        _grid(code="PE-UCA"), {f"v{typed['TRAINED'].pk}": "5"}
    )
    assert response.status_code == 404
    assert not Observation.objects.exists()


# --- baselines and targets ---------------------------------------------------------------


def _targets(indicator: Indicator, code: str = "PE-LOR") -> str:
    return reverse("indicator-targets", args=[code, indicator.code])


def test_a_target_is_set_changed_and_removed(world, typed) -> None:
    client = world.client("coordinator")
    url = _targets(typed["TRAINED"])
    response = client.post(url, {"kind": "target", "period": "2027-T4", "value": "120"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.kind, target.period, target.value) == ("target", date(2027, 10, 1), 120)
    client.post(url, {"kind": "target", "period": "2027-11", "value": "150,5"})
    assert Target.objects.get().value == Decimal("150.50")  # same quarter: replaced
    page = client.get(url).text
    assert "Meta · 2027-10: 150,50" in page
    client.post(url, {"kind": "target", "period": "2027-T4", "value": ""})
    assert not Target.objects.exists()


def test_a_baseline_and_a_target_of_one_period_are_kept_apart(world, typed) -> None:
    client = world.client("coordinator")
    url = _targets(typed["TRAINED"])
    client.post(url, {"kind": "baseline", "period": "2027-T1", "value": "10"})
    client.post(url, {"kind": "target", "period": "2027-T1", "value": "30"})
    assert dict(Target.objects.values_list("kind", "value")) == {
        "baseline": Decimal("10"),
        "target": Decimal("30"),
    }


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "goal", "period": "2027-T1", "value": "1"},
        {"kind": "target", "period": "2027-T5", "value": "1"},
        {"kind": "target", "period": "2027-13", "value": "1"},
        {"kind": "target", "period": "", "value": "1"},
        {"kind": "target", "period": "2027-T1", "value": "-4"},
        {"kind": "target", "period": "2027-T1", "value": "mucho"},
    ],
)
def test_a_target_that_cannot_be_read_is_explained_and_not_saved(world, typed, data) -> None:
    response = world.client("coordinator").post(_targets(typed["TRAINED"]), data)
    assert response.status_code == 422
    assert "Elija línea de base o meta" in response.text
    assert not Target.objects.exists()


def test_a_year_is_refused_for_a_quarterly_indicator_in_english(world, typed, settings) -> None:
    client = _english(world.client("coordinator"), settings)
    response = client.post(
        _targets(typed["TRAINED"]), {"kind": "target", "period": "2027", "value": "9"}
    )
    assert response.status_code == 422
    assert "Choose baseline or target, a period such as 2027-03" in response.text
    assert not Target.objects.exists()


def test_a_quarter_given_for_a_yearly_indicator_sets_its_year(world, typed) -> None:
    response = world.client("coordinator").post(
        _targets(typed["BUDGET"]), {"kind": "target", "period": "2027-T3", "value": "9"}
    )
    assert response.status_code == 302
    assert Target.objects.get().period == date(2027, 1, 1)


def test_targets_of_another_region_are_not_shown(world, typed) -> None:
    Target.objects.create(indicator=typed["TRAINED"], region=world.region_b, kind="target",
                          period=date(2027, 1, 1), value=777)  # fmt: skip
    page = world.client("admin").get(_targets(typed["TRAINED"])).text
    assert "777" not in page
    assert "Todavía no hay línea de base ni metas." in page


@pytest.mark.parametrize(
    "role, code, expected",
    [("focal", "PE-LOR", 403), ("viewer", "PE-LOR", 403), ("coordinator", "PE-UCA", 404)],
)
def test_targets_are_set_by_those_who_change_the_region(world, typed, role, code, expected) -> None:
    url = _targets(typed["TRAINED"], code)
    data = {"kind": "target", "period": "2027-T1", "value": "1"}
    assert world.client(role).post(url, data).status_code == expected
    assert not Target.objects.exists()


def test_an_unknown_indicator_has_no_target_page(world, typed) -> None:
    url = reverse("indicator-targets", args=["PE-LOR", "NOPE"])
    assert world.client("coordinator").get(url).status_code == 404
