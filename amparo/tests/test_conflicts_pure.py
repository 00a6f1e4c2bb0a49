"""Comparing a stored row with a stale submission: pure functions, no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.conflicts import (
    MAX_VERSION,
    canonical,
    compare_fields,
    differing,
    is_stale,
    parse_version,
)

values = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(-5, 10_000),
    st.dates(),
    st.lists(st.integers(1, 50), max_size=5),
)


@given(st.integers(1, MAX_VERSION))
def test_it_reads_every_valid_version_back(version: int) -> None:
    assert parse_version(str(version)) == version
    assert parse_version(f" {version} ") == version
    assert parse_version(version) == version


@given(st.one_of(st.text(max_size=30), st.from_regex(r"\s?[0-9]{1,12}\s?", fullmatch=True)))
def test_it_never_fails_on_any_text_and_only_accepts_plain_digits(raw: str) -> None:
    text = raw.strip()
    # Plain decimal digits, no longer than MAX_VERSION is written (so no huge number is
    # ever parsed), from 1 to MAX_VERSION.
    plain = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_VERSION))
    expected = int(text) if plain and 1 <= int(text) <= MAX_VERSION else None
    assert parse_version(raw) == expected


def test_it_refuses_zero_negative_oversized_and_odd_versions() -> None:
    for raw in ("0", "-1", str(MAX_VERSION + 1), "1e3", "١", "", None, True, 2.0, [1]):
        assert parse_version(raw) is None, raw


def test_an_edit_is_stale_exactly_when_versions_differ() -> None:
    assert not is_stale(expected=3, stored=3)
    assert is_stale(expected=2, stored=3) and is_stale(expected=4, stored=3)


@given(values)
def test_a_value_never_differs_from_itself(value) -> None:
    [row] = compare_fields([("f", "F", value, value)])
    assert not row.differs and row.theirs == row.mine


@given(values, values)
def test_differing_is_symmetric(a, b) -> None:
    [ab] = compare_fields([("f", "F", a, b)])
    [ba] = compare_fields([("f", "F", b, a)])
    assert ab.differs == ba.differs
    assert (ab.theirs, ab.mine) == (ba.mine, ba.theirs)


def test_empty_values_are_alike_and_lists_ignore_their_order() -> None:
    assert canonical(None) == canonical("") == canonical("  ")
    assert canonical([]) == canonical(()) == ()
    assert canonical([3, 1, 2]) == canonical(["2", "3", "1"])
    assert canonical(3) == canonical("3")


def test_coded_values_are_shown_with_their_labels_in_the_given_order() -> None:
    rows = compare_fields(
        [
            ("confidence", "Confidence", "low", "high"),
            ("findings", "Findings", [2, 1], [1]),
            ("evidence", "Evidence", "same", "same"),
        ],
        {"confidence": {"low": "Low", "high": "High"}, "findings": {"1": "TUR-01", "2": "TUR-02"}},
    )
    assert [(r.name, r.theirs, r.mine, r.differs) for r in rows] == [
        ("confidence", "Low", "High", True),
        ("findings", "TUR-01, TUR-02", "TUR-01", True),
        ("evidence", "same", "same", False),
    ]
    assert differing(rows) == ["confidence", "findings"]
