"""What changed between two questionnaire versions: questions and options matched by field
name, every changed field reported."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.questionnaires.versions import QUESTION_FIELDS, version_diff

NAMES = st.sampled_from(["a", "b", "c", "d", "e", "f"])
option = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["yes", "no", "dk", "some"]),
        "label_es": st.sampled_from(["Sí", "No"]),
        "label_en": st.sampled_from(["Yes", "No"]),
        "rating": st.one_of(st.none(), st.integers(1, 5)),
    }
)


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        if item["name"] not in seen:
            seen.add(item["name"])
            out.append(item)
    return out


question = st.fixed_dictionaries(
    {
        "name": NAMES,
        "kind": st.sampled_from(["yes_no", "choice", "integer", "text"]),
        "label_es": st.sampled_from(["¿Uno?", "¿Dos?"]),
        "label_en": st.sampled_from(["One?", "Two?"]),
        "hint_es": st.sampled_from(["", "pista"]),
        "hint_en": st.sampled_from(["", "hint"]),
        "required": st.booleans(),
        "order": st.integers(1, 4),
        "threat": st.sampled_from(["", "TUR-01"]),
        "rates": st.sampled_from(["", "likelihood", "impact"]),
        "choices": st.lists(option, max_size=4).map(_unique),
    }
)
versions = st.lists(question, max_size=6).map(_unique)


@given(versions)
def test_a_version_has_no_changes_from_itself(questions) -> None:
    assert version_diff(questions, questions).empty


@given(versions, versions)
def test_added_and_removed_are_the_names_only_one_side_has(old, new) -> None:
    diff = version_diff(old, new)
    old_names, new_names = [q["name"] for q in old], [q["name"] for q in new]
    assert diff.added == tuple(n for n in new_names if n not in old_names)
    assert diff.removed == tuple(n for n in old_names if n not in new_names)


@given(versions, versions)
def test_changed_are_exactly_the_common_questions_that_differ(old, new) -> None:
    diff = version_diff(old, new)
    before = {q["name"]: q for q in old}
    expected = {q["name"] for q in new if q["name"] in before and before[q["name"]] != q}
    assert {c.name for c in diff.changed} == expected


@given(versions, versions)
def test_the_diff_backwards_swaps_added_and_removed(old, new) -> None:
    forward, backward = version_diff(old, new), version_diff(new, old)
    assert set(forward.added) == set(backward.removed)
    assert set(forward.removed) == set(backward.added)
    assert {c.name for c in forward.changed} == {c.name for c in backward.changed}
    for change in forward.changed:
        mirror = next(c for c in backward.changed if c.name == change.name)
        assert set(change.options_added) == set(mirror.options_removed)
        assert set(change.fields) == set(mirror.fields)


@given(versions, versions)
def test_fields_reported_are_in_the_fixed_order(old, new) -> None:
    for change in version_diff(old, new).changed:
        assert list(change.fields) == [f for f in QUESTION_FIELDS if f in change.fields]


def test_each_kind_of_change_is_named() -> None:
    yes = {"name": "yes", "label_es": "Sí", "label_en": "Yes", "rating": 2}
    no = {"name": "no", "label_es": "No", "label_en": "No", "rating": 4}
    old = [
        {"name": "kept", "kind": "yes_no", "label_es": "¿A?", "choices": [yes, no]},
        {"name": "gone", "kind": "text", "label_es": "B", "choices": []},
    ]
    new = [
        {
            "name": "kept",
            "kind": "yes_no",
            "label_es": "¿A, ahora?",
            "choices": [{**yes, "rating": 1}, {"name": "dk", "label_es": "NS", "label_en": "DK"}],
        },
        {"name": "new", "kind": "integer", "label_es": "C", "choices": []},
    ]
    diff = version_diff(old, new)
    assert diff.added == ("new",)
    assert diff.removed == ("gone",)
    (change,) = diff.changed
    assert change.name == "kept"
    assert change.fields == ("label_es",)
    assert change.options_added == ("dk",)
    assert change.options_removed == ("no",)
    assert change.options_changed == ("yes",)
    assert not diff.empty
