from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.disclosure import keys


def test_it_reads_the_single_dimension_keys_amparo_stores():
    assert keys.parse_disaggregation("sex=f") == {"sex": "f"}
    assert keys.parse_disaggregation("") == {}
    assert keys.parse_disaggregation("  ") == {}


def test_it_sorts_dimensions_so_one_group_has_one_name():
    assert keys.canonical("sex=f;age=10-14") == "age=10-14;sex=f"
    assert keys.canonical(" sex=f ; age=10-14 ") == "age=10-14;sex=f"
    assert keys.disaggregation({"sex": "m", "age": "0-4"}) == "age=0-4;sex=m"
    assert keys.disaggregation([("b", "1"), ("a", "2")]) == "a=2;b=1"


@pytest.mark.parametrize("text", ["sex", "sex=", "=f", "sex=f;sex=m", "sex=f;;age=1"])
def test_it_refuses_malformed_groups(text):
    with pytest.raises(ValueError):
        keys.parse_disaggregation(text)


def test_it_refuses_a_dimension_twice_when_building():
    with pytest.raises(ValueError):
        keys.disaggregation([("sex", "f"), ("sex", "m")])


def test_it_names_periods_as_the_plan_says():
    assert keys.period_label(date(2027, 3, 1), "monthly") == "2027-03"
    assert keys.period_label(date(2027, 4, 1), "quarterly") == "2027-Q2"
    assert keys.period_label(date(2027, 1, 1), "yearly") == "2027"
    with pytest.raises(ValueError):
        keys.period_label(date(2027, 1, 1), "weekly")


def test_it_builds_observation_keys_canonically():
    assert keys.obs("IND-03", "PE-LOR", "2027-01", "sex=f;age=10-14") == (
        "obs",
        "IND-03",
        "PE-LOR",
        "2027-01",
        "age=10-14;sex=f",
    )
    assert keys.obs("IND-03", keys.PROGRAM, "2027") == ("obs", "IND-03", "*", "2027", "")


def test_it_tells_remainders_program_and_years_apart():
    rest = keys.obs("I", "R", "2027-01", "sex=_rest")
    assert keys.is_remainder(rest)
    assert not keys.is_remainder(keys.obs("I", "R", "2027-01", "sex=f"))
    assert keys.is_program(keys.obs("I", "*", "2027"))
    assert keys.is_year(keys.obs("I", "R", "2027"))
    assert not keys.is_year(keys.obs("I", "R", "2027-01"))
    assert not keys.is_year(keys.obs("I", "R", "all"))


def test_it_describes_a_cell_in_plain_words():
    cell = keys.obs("IND-03", "PE-LOR", "2027-01", "sex=f")
    assert keys.describe(cell, {"PE-LOR": "Loreto"}) == "IND-03 · Loreto · 2027-01 · sex=f"
    assert keys.describe(keys.obs("I", "*", "all")) == "I · program · all time · total"
    assert "rest" in keys.describe(keys.obs("I", "R", "2027", "sex=_rest"))
    assert keys.describe(("event", "E1", "attendance")) == "event · E1 · attendance"


_names = st.text(alphabet="abcdefghij_", min_size=1, max_size=5)


@given(st.dictionaries(_names, st.text(alphabet="abc0123456789-+", min_size=1, max_size=5)))
def test_parsing_the_canonical_text_gives_the_group_back(group):
    text = keys.disaggregation(group)
    assert keys.parse_disaggregation(text) == group
    assert keys.canonical(text) == text
    shuffled = ";".join(f"{d}={v}" for d, v in sorted(group.items(), reverse=True))
    assert keys.canonical(shuffled) == text
