"""Combined groups of people (sex, age band and form of exploitation together): each part is checked
as a single key is, and the group is stored under one canonical key, so that one group
has one cell however it was typed (``amparo.disclosure.keys``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.indicators.observation_import import (
    MAX_DISAGGREGATION,
    IndicatorSpec,
    combined_disaggregation,
    parse_observations,
)

VOCABULARIES = {
    "sex": frozenset({"f", "m"}),
    "age_band": frozenset({"0-9", "10-14", "15-17"}),
    "exploitation": frozenset({"sexual", "labour"}),
}
ALLOWED = frozenset(VOCABULARIES)

parts = st.dictionaries(
    st.sampled_from(sorted(VOCABULARIES)), st.sampled_from(["f", "m", "0-9", "10-14", "sexual"])
)


@given(parts, st.randoms(use_true_random=False))
def test_a_group_is_valid_exactly_when_each_part_is(group, random) -> None:
    items = list(group.items())
    random.shuffle(items)
    text = ";".join(f"{d}={v}" for d, v in items)
    found = combined_disaggregation(text, ALLOWED, VOCABULARIES)
    valid = bool(group) and all(v in VOCABULARIES[d] for d, v in group.items())
    assert (found is not None) == valid
    if valid:
        assert found == ";".join(f"{d}={v}" for d, v in sorted(group.items()))  # any order in


def test_a_dimension_twice_or_not_of_the_indicator_is_refused() -> None:
    assert combined_disaggregation("sex=f;sex=m", ALLOWED, VOCABULARIES) is None
    assert combined_disaggregation("sex=f;age_band=0-9", frozenset({"sex"}), VOCABULARIES) is None
    assert combined_disaggregation("sex=f;", ALLOWED, VOCABULARIES) is None
    assert combined_disaggregation("sex=f;age_band", ALLOWED, VOCABULARIES) is None
    long = {"a" * 50: frozenset({"b" * 40}), "c" * 30: frozenset({"d"})}
    text = f"{'a' * 50}={'b' * 40};{'c' * 30}=d"
    assert len(text) > MAX_DISAGGREGATION - 30
    assert combined_disaggregation(text, frozenset(long), long) is (
        text if len(text) <= MAX_DISAGGREGATION else None
    )


def test_an_import_stores_a_combined_group_under_its_canonical_key() -> None:
    specs = {"VICT": IndicatorSpec("monthly", True, ALLOWED)}
    lines = [
        ["indicator", "region", "period", "value", "disaggregation"],
        ["VICT", "PE-LOR", "2027-03", "2", "sex=f; age_band=0-9"],
        ["VICT", "PE-LOR", "2027-03", "4", "exploitation=sexual;sex=f;age_band=10-14"],
        ["VICT", "PE-LOR", "2027-03", "1", "age_band=0-9;sex=f"],  # the first row again
        ["VICT", "PE-LOR", "2027-03", "1", "sex=x;age_band=0-9"],
    ]
    result = parse_observations(
        iter(lines), specs, frozenset({"PE-LOR"}), vocabularies=VOCABULARIES
    )
    assert [row.disaggregation for row in result.valid] == [
        "age_band=0-9;sex=f",
        "age_band=10-14;exploitation=sexual;sex=f",
    ]
    assert [(p.row, p.reason) for p in result.problems] == [
        (4, "duplicate_in_file"),
        (5, "bad_disaggregation"),
    ]
