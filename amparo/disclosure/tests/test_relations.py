from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings

from amparo.disclosure import keys
from amparo.disclosure.relations import Row, Shape, build, default_weights
from amparo.disclosure.tests.tables import tables

LOR, CUS = "PE-LOR", "PE-CUS"
NAMES = {LOR: "Loreto", CUS: "Cusco"}


def by_label(relations):
    return {c.label: c for c in relations.table.constraints}


def terms(constraint):
    return dict(constraint.terms)


def test_it_sums_months_into_the_year_in_plain_words():
    rows = [Row("I1", LOR, date(2027, m, 1), "", m) for m in (1, 2, 3)]
    relations = build(rows, {"I1": Shape()}, region_names=NAMES, program=False)
    year = keys.obs("I1", LOR, "2027")
    assert relations.table.values[year] == 6
    constraint = by_label(relations)["I1 Loreto 2027: months to year"]
    assert terms(constraint) == {
        year: 1.0,
        keys.obs("I1", LOR, "2027-01"): -1.0,
        keys.obs("I1", LOR, "2027-02"): -1.0,
        keys.obs("I1", LOR, "2027-03"): -1.0,
    }
    assert (constraint.low, constraint.high) == (0.0, 0.0)


def test_it_keeps_years_apart():
    rows = [Row("I1", LOR, date(2026, 12, 1), "", 4), Row("I1", LOR, date(2027, 1, 1), "", 5)]
    values = build(rows, {"I1": Shape()}, program=False).table.values
    assert values[keys.obs("I1", LOR, "2026")] == 4
    assert values[keys.obs("I1", LOR, "2027")] == 5


def test_a_stock_year_is_its_latest_month():
    rows = [Row("I1", LOR, date(2027, m, 1), "", v) for m, v in ((1, 3), (5, 8), (4, 2))]
    relations = build(rows, {"I1": Shape(aggregation="last")}, region_names=NAMES, program=False)
    year = keys.obs("I1", LOR, "2027")
    assert relations.table.values[year] == 8
    constraint = by_label(relations)["I1 Loreto 2027: the year's latest value"]
    assert terms(constraint) == {year: 1.0, keys.obs("I1", LOR, "2027-05"): -1.0}


def test_quarters_make_the_year_too():
    rows = [Row("I1", LOR, date(2027, m, 1), "", 2) for m in (1, 4, 7)]
    relations = build(rows, {"I1": Shape(frequency="quarterly")}, region_names=NAMES)
    assert relations.table.values[keys.obs("I1", LOR, "2027")] == 6
    assert keys.obs("I1", LOR, "2027-Q3") in relations.table.values
    assert "I1 Loreto 2027: quarters to year" in by_label(relations)


def test_yearly_indicators_have_no_year_relation():
    rows = [Row("I1", LOR, date(2027, 1, 1), "", 7)]
    relations = build(rows, {"I1": Shape(frequency="yearly")}, program=False)
    assert relations.table.values == {keys.obs("I1", LOR, "2027"): 7}
    assert relations.table.constraints == ()


def test_regions_sum_into_the_program():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), "sex=f", 2),
        Row("I1", CUS, date(2027, 1, 1), "sex=f", 3),
    ]
    relations = build(rows, {"I1": Shape()}, years=False)
    program = keys.obs("I1", "*", "2027-01", "sex=f")
    assert relations.table.values[program] == 5
    constraint = by_label(relations)["I1 2027-01 sex=f: regions to program"]
    assert terms(constraint) == {
        program: 1.0,
        keys.obs("I1", CUS, "2027-01", "sex=f"): -1.0,
        keys.obs("I1", LOR, "2027-01", "sex=f"): -1.0,
    }


def test_a_stock_program_holds_each_regions_latest_value():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), "", 4),
        Row("I1", CUS, date(2027, 2, 1), "", 6),
    ]
    relations = build(rows, {"I1": Shape(aggregation="last")}, years=True)
    values = relations.table.values
    assert values[keys.obs("I1", "*", "2027-01")] == 4
    # In February Loreto still holds January's 4.
    assert values[keys.obs("I1", "*", "2027-02")] == 10
    assert values[keys.obs("I1", "*", "2027")] == 10
    february = by_label(relations)["I1 2027-02: each region's latest value to program"]
    assert set(terms(february)) == {
        keys.obs("I1", "*", "2027-02"),
        keys.obs("I1", LOR, "2027-01"),
        keys.obs("I1", CUS, "2027-02"),
    }


def test_averages_hold_within_their_rounding():
    rows = [Row("I1", LOR, date(2027, m, 1), "", v) for m, v in ((1, 1), (2, 2), (3, 2))]
    relations = build(rows, {"I1": Shape(aggregation="mean")}, program=False)
    year = keys.obs("I1", LOR, "2027")
    assert relations.table.values[year] == 1.7
    (constraint,) = relations.table.constraints
    assert terms(constraint)[year] == 3.0
    assert abs(constraint.low + 0.15) < 1e-12 and abs(constraint.high - 0.15) < 1e-12
    # the true sum 5 against 3 * 1.7 = 5.1: inside the band
    assert constraint.low <= 3 * 1.7 - 5 <= constraint.high


def test_only_counts_of_people_are_protected():
    rows = [
        Row("MONEY", LOR, date(2027, 1, 1), "", 3),
        Row("RATE", LOR, date(2027, 1, 1), "", 3),
        Row("UNKNOWN", LOR, date(2027, 1, 1), "", 3),
        Row("PEOPLE", LOR, date(2027, 1, 1), "", 3),
    ]
    shapes = {
        "MONEY": Shape(unit="soles"),
        "RATE": Shape(aggregation="ratio", unit="percent"),
        "PEOPLE": Shape(),
    }
    values = build(rows, shapes, years=False, program=False).table.values
    assert set(values) == {keys.obs("PEOPLE", LOR, "2027-01")}


def test_the_lattice_splits_each_total_over_each_further_dimension():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), d, v)
        for d, v in [
            ("", 10),
            ("sex=f", 6),
            ("sex=m", 4),
            ("age=a", 7),
            ("age=b", 3),
            ("sex=f;age=a", 5),
            ("age=b;sex=f", 1),
        ]
    ]
    relations = build(rows, {"I1": Shape()}, region_names=NAMES, years=False, program=False)
    labels = by_label(relations)
    cell = lambda group: keys.obs("I1", LOR, "2027-01", group)  # noqa: E731
    assert terms(labels["I1 Loreto 2027-01: total over sex"]) == {
        cell(""): 1.0,
        cell("sex=f"): -1.0,
        cell("sex=m"): -1.0,
    }
    assert terms(labels["I1 Loreto 2027-01 sex=f: total over age"]) == {
        cell("sex=f"): 1.0,
        cell("age=a;sex=f"): -1.0,
        cell("age=b;sex=f"): -1.0,
    }
    assert terms(labels["I1 Loreto 2027-01 age=a: total over sex"]) == {
        cell("age=a"): 1.0,
        cell("age=a;sex=f"): -1.0,
        cell("sex=_rest;age=a"): -1.0,
    }
    assert relations.table.values[cell("age=a;sex=_rest")] == 2
    assert relations.table.values[cell("age=b;sex=_rest")] == 2
    assert cell("age=a;sex=_rest") in relations.table.derived
    assert relations.inconsistencies == ()


def test_a_remainder_is_derived_and_never_without_a_relation():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), "", 9),
        Row("I1", LOR, date(2027, 1, 1), "sex=f", 3),
        Row("I1", LOR, date(2027, 1, 1), "sex=m", 4),
    ]
    relations = build(rows, {"I1": Shape()}, years=False, program=False)
    rest = keys.obs("I1", LOR, "2027-01", "sex=_rest")
    assert relations.table.values[rest] == 2
    assert relations.table.derived == {rest}
    assert any(rest in c.cells for c in relations.table.constraints)


def test_parts_above_their_total_are_reported_and_not_related():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), "", 5),
        Row("I1", LOR, date(2027, 1, 1), "sex=f", 3),
        Row("I1", LOR, date(2027, 1, 1), "sex=m", 4),
    ]
    relations = build(rows, {"I1": Shape()}, region_names=NAMES, years=False, program=False)
    assert relations.table.constraints == ()
    assert relations.inconsistencies == (
        "I1 Loreto 2027-01: the parts over sex add up to 7, more than the total 5",
    )


def test_a_group_without_its_total_makes_no_relation():
    rows = [
        Row("I1", LOR, date(2027, 1, 1), "sex=f", 3),
        Row("I1", LOR, date(2027, 1, 1), "sex=m", 4),
    ]
    relations = build(rows, {"I1": Shape()}, years=False, program=False)
    assert relations.table.constraints == ()


def test_known_cells_pass_through():
    rows = [Row("I1", LOR, date(2027, 1, 1), "", 3)]
    known = {keys.obs("I1", LOR, "2027-01")}
    assert build(rows, {"I1": Shape()}, known=known).table.known == known


def test_totals_weigh_more_than_inner_cells_of_the_same_value():
    inner = keys.obs("I1", LOR, "2027-01", "sex=f")
    weights = default_weights(
        {
            inner: 3,
            keys.obs("I1", LOR, "2027-01"): 3,
            keys.obs("I1", "*", "2027-01", "sex=f"): 3,
            keys.obs("I1", "*", "2027", ""): 3,
        }
    )
    assert weights[inner] == 4.0
    assert weights[keys.obs("I1", LOR, "2027-01")] == 8.0
    assert weights[keys.obs("I1", "*", "2027-01", "sex=f")] == 8.0
    assert weights[keys.obs("I1", "*", "2027", "")] == 32.0
    assert (
        default_weights({inner: 3}, [inner, keys.obs("I1", LOR, "2027-02")])[
            keys.obs("I1", LOR, "2027-02")
        ]
        == 2.0
    )


def test_every_relation_holds_on_the_values_it_builds():
    rows = [
        Row("I1", region, date(2027, m, 1), group, v)
        for region in (LOR, CUS)
        for m in (1, 2, 12)
        for group, v in (("", 12), ("sex=f", 5), ("sex=m", 4), ("age=a;sex=f", 2))
    ]
    table = build(rows, {"I1": Shape()}).table
    for constraint in table.constraints:
        total = sum(coef * table.values[cell] for cell, coef in constraint.terms)
        assert constraint.low <= total <= constraint.high, constraint.label
    assert table.values[keys.obs("I1", "*", "2027", "")] == 72
    assert table.values[keys.obs("I1", "*", "2027", "sex=_rest")] == 18


def test_averages_over_regions_hold_within_their_rounding():
    rows = [Row("I1", LOR, date(2027, 1, 1), "", 1), Row("I1", CUS, date(2027, 1, 1), "", 2)]
    relations = build(rows, {"I1": Shape(aggregation="mean")}, years=False)
    program = keys.obs("I1", "*", "2027-01")
    assert relations.table.values[program] == 1.5
    (constraint,) = relations.table.constraints
    assert terms(constraint)[program] == 2.0
    assert constraint.low <= 2 * 1.5 - 3 <= constraint.high


def test_a_stock_program_year_holds_last_years_value_of_a_silent_region():
    rows = [
        Row("I1", LOR, date(2026, 6, 1), "", 4),
        Row("I1", CUS, date(2027, 3, 1), "", 6),
    ]
    values = build(rows, {"I1": Shape(aggregation="last")}).table.values
    assert values[keys.obs("I1", "*", "2026")] == 4
    assert values[keys.obs("I1", "*", "2027")] == 10  # Loreto still holds its 4


def test_remainders_appear_at_the_program_and_the_year_too():
    rows = [
        Row("I1", region, date(2027, m, 1), group, v)
        for region in (LOR, CUS)
        for m in (1, 2)
        for group, v in (("", 10), ("sex=f", 3), ("sex=m", 5))
    ]
    table = build(rows, {"I1": Shape()}).table
    assert table.values[keys.obs("I1", "*", "2027", "sex=_rest")] == 8
    assert table.values[keys.obs("I1", LOR, "2027", "sex=_rest")] == 4
    assert keys.obs("I1", "*", "2027-02", "sex=_rest") in table.derived


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=3, max_months=3))
def test_every_built_relation_holds_on_generated_tables(table):
    for constraint in table.constraints:
        total = sum(coef * table.values[cell] for cell, coef in constraint.terms)
        assert constraint.low - 1e-9 <= total <= constraint.high + 1e-9, constraint.label
        assert constraint.label
    assert all(value >= 0 for value in table.values.values())
    assert all(keys.is_remainder(cell) for cell in table.derived)
    assert set(table.weights) == set(table.values)
