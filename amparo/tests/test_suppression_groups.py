"""Disaggregated counts of one indicator, region and period: no shown value gives a hidden
one back."""

from __future__ import annotations

from amparo.suppression import withheld_in_group, withheld_rows


def test_it_shows_a_group_without_small_counts() -> None:
    assert withheld_in_group({"": 12, "sex=f": 5, "sex=m": 7}) == set()


def test_it_withholds_the_total_and_the_smallest_sister_of_a_single_small_count() -> None:
    values = {"": 20, "sex=f": 3, "sex=m": 17, "age=0-17": 9, "age=18+": 11}
    assert withheld_in_group(values) == {"", "sex=f", "sex=m"}


def test_it_needs_no_sister_when_two_counts_of_a_dimension_are_hidden() -> None:
    values = {"": 10, "age=0-9": 2, "age=10-14": 3, "age=15+": 5}
    assert withheld_in_group(values) == {"", "age=0-9", "age=10-14"}


def test_a_small_total_alone_hides_only_itself() -> None:
    assert withheld_in_group({"": 4}) == {""}


def test_it_returns_the_ids_of_withheld_rows_per_group() -> None:
    rows = [(1, "a", "", 8), (2, "a", "sex=f", 3), (3, "a", "sex=m", 5), (4, "b", "", 8)]
    assert withheld_rows(rows) == {1, 2, 3}
