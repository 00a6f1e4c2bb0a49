"""DHIS2 period names, both ways (pure)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.dhis2.periods import amparo_label, from_dhis2, span, to_dhis2
from amparo.indicators.periods import parse_period, period_start

FREQUENCIES = st.sampled_from(["monthly", "quarterly", "yearly"])
DAYS = st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31))


def test_the_documented_notation() -> None:
    assert to_dhis2(date(2026, 1, 1), "monthly") == "202601"
    assert to_dhis2(date(2026, 2, 17), "quarterly") == "2026Q1"
    assert to_dhis2(date(2026, 12, 1), "quarterly") == "2026Q4"
    assert to_dhis2(date(2026, 7, 1), "yearly") == "2026"
    assert from_dhis2("202611") == (date(2026, 11, 1), "monthly")
    assert from_dhis2(" 2026Q3 ") == (date(2026, 7, 1), "quarterly")
    assert from_dhis2("2026") == (date(2026, 1, 1), "yearly")


@pytest.mark.parametrize(
    "text",
    [
        "202613",
        "202600",
        "2026Q5",
        "2026Q0",
        "2026W01",
        "20260101",
        "2026-01",
        "",
        "2026AprilS",
        "2026q1",
    ],
)
def test_other_or_impossible_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        from_dhis2(text)


def test_span_is_the_days_of_the_period() -> None:
    assert span("2026") == (date(2026, 1, 1), date(2027, 1, 1))
    assert span("2026Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert span("202612") == (date(2026, 12, 1), date(2027, 1, 1))


@given(DAYS, FREQUENCIES)
def test_a_period_goes_to_dhis2_and_back(day: date, frequency: str) -> None:
    start, kind = from_dhis2(to_dhis2(day, frequency))
    assert (start, kind) == (period_start(day, frequency), frequency)


@given(DAYS, FREQUENCIES)
def test_the_span_holds_the_day_and_no_other_period(day: date, frequency: str) -> None:
    first, after = span(to_dhis2(day, frequency))
    assert first <= day < after
    assert period_start(first, frequency) == first


@given(DAYS, FREQUENCIES)
def test_amparos_label_reads_back_as_the_same_period(day: date, frequency: str) -> None:
    start = period_start(day, frequency)
    assert parse_period(amparo_label(start, frequency), frequency) == start


@given(st.text(max_size=8))
def test_any_text_is_a_period_or_a_value_error(text: str) -> None:
    try:
        start, frequency = from_dhis2(text)
    except ValueError:
        return
    assert to_dhis2(start, frequency) == text.strip()
