"""The catalog's rules (``amparo/catalog/sync.py``), without a database: any sequence of
catalog versions, users' edits and loads against an obvious model of what people expect."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.catalog import entry_fingerprint
from amparo.catalog.sync import Action, Decision, LoadCount, RowState, sync_decision

FP_A, FP_B = entry_fingerprint({"code": "X", "v": 1}), entry_fingerprint({"code": "X", "v": 2})


def _never() -> bool:
    raise AssertionError("the content was compared although the rules did not need it")


def test_a_new_entry_is_created_and_keeps_its_fingerprint() -> None:
    assert sync_decision(None, FP_A, _never) == Decision(Action.CREATE, record_fingerprint=True)


def test_a_catalog_row_is_brought_to_its_entry_only_when_they_differ() -> None:
    row = RowState(from_catalog=True, edited=False, fingerprint=FP_A)
    assert sync_decision(row, FP_B, lambda: True) == Decision(Action.UPDATE, True)
    assert sync_decision(row, FP_A, lambda: False) == Decision(Action.UNCHANGED, False)
    # Changed behind the services' back (no edited flag): repaired.
    assert sync_decision(row, FP_A, lambda: True) == Decision(Action.UPDATE, False)


def test_an_edited_row_is_listed_when_the_catalog_changed_without_comparing_content() -> None:
    row = RowState(from_catalog=True, edited=True, fingerprint=FP_A)
    assert sync_decision(row, FP_B, _never) == Decision(Action.KEEP_EDIT, True)
    assert sync_decision(row, FP_A, _never) == Decision(Action.UNCHANGED, False)


def test_an_edited_row_loaded_before_fingerprints_is_compared_by_content_once() -> None:
    row = RowState(from_catalog=True, edited=True, fingerprint="")
    assert sync_decision(row, FP_A, lambda: True) == Decision(Action.KEEP_EDIT, True)
    assert sync_decision(row, FP_A, lambda: False) == Decision(Action.UNCHANGED, True)


def test_a_users_own_row_is_never_touched_and_listed_once_per_catalog_change() -> None:
    mine = RowState(from_catalog=False, edited=False, fingerprint="")
    assert sync_decision(mine, FP_A, _never) == Decision(Action.CLASH, True)
    listed = RowState(from_catalog=False, edited=False, fingerprint=FP_A)
    assert sync_decision(listed, FP_A, _never) == Decision(Action.UNCHANGED, False)
    assert sync_decision(listed, FP_B, _never) == Decision(Action.CLASH, True)


def test_the_count_lists_users_rows_by_kind_and_counts_the_rest() -> None:
    count = LoadCount()
    count.note("threats", "T-1", Decision(Action.CREATE, True))
    count.note("threats", "T-2", Decision(Action.UPDATE, True))
    count.note("threats", "T-3", Decision(Action.KEEP_EDIT, True))
    count.note("controls", "C-1", Decision(Action.CLASH, True))
    count.note("controls", "C-2", Decision(Action.UNCHANGED, True))
    assert count == LoadCount(
        created={"threats": 1},
        updated={"threats": 1},
        kept=["T-3"],
        clashes={"controls": ["C-1"]},
    )


# --- any sequence, against a model ---------------------------------------------------------

CODES = ("A", "B")
TEXTS = ("one", "two", "three")
UNKNOWN = object()  # the model's "seen" of a row loaded before fingerprints were kept


@dataclass
class Row:
    """A row as the database holds it."""

    content: str
    from_catalog: bool
    edited: bool = False
    fingerprint: str = ""


def _fingerprint(code: str, content: str) -> str:
    return entry_fingerprint({"code": code, "content": content})


def load(rows: dict[str, Row], catalog: dict[str, str]) -> LoadCount:
    """What ``catalog_entries_apply`` does, over rows in memory."""
    count = LoadCount()
    for code, content in catalog.items():
        fingerprint = _fingerprint(code, content)
        row = rows.get(code)
        state = None if row is None else RowState(row.from_catalog, row.edited, row.fingerprint)
        decision = sync_decision(state, fingerprint, lambda r=row, c=content: r.content != c)
        if decision.action is Action.CREATE:
            rows[code] = Row(content, from_catalog=True, fingerprint=fingerprint)
        elif decision.action is Action.UPDATE:
            row.content = content
        if decision.record_fingerprint:
            rows[code].fingerprint = fingerprint
        count.note("rows", code, decision)
    return count


@dataclass
class Expected:
    """What a person expects of one code: what the row holds, whether it is the users'
    (they created it, or edited the catalog's), and the catalog text the last load that
    met the row saw (None: no load has; UNKNOWN: loaded before fingerprints were kept)."""

    content: str
    users: bool
    came_from_catalog: bool
    seen: object = None


@dataclass
class Model:
    catalog: dict[str, str] = field(default_factory=dict)
    rows: dict[str, Expected] = field(default_factory=dict)

    def load(self) -> tuple[dict[str, int], dict[str, int], list[str]]:
        created, updated, listed = 0, 0, []
        for code, text in self.catalog.items():
            row = self.rows.get(code)
            if row is None:
                self.rows[code] = Expected(text, users=False, came_from_catalog=True, seen=text)
                created += 1
                continue
            if row.users:
                if row.seen is UNKNOWN and row.came_from_catalog:
                    changed = row.content != text
                else:
                    changed = row.seen != text
                if changed:
                    listed.append(code)
            elif row.content != text:
                row.content = text
                updated += 1
            row.seen = text
        return _counted(created), _counted(updated), listed


def _counted(n: int) -> dict[str, int]:
    return {"rows": n} if n else {}


operations = st.one_of(
    st.tuples(st.just("catalog"), st.sampled_from(CODES), st.sampled_from(TEXTS)),
    st.tuples(st.just("drop"), st.sampled_from(CODES), st.just("")),
    st.tuples(st.just("edit"), st.sampled_from(CODES), st.sampled_from(("mine", *TEXTS))),
    st.tuples(st.just("create"), st.sampled_from(CODES), st.sampled_from(("mine", *TEXTS))),
    st.tuples(st.just("behind"), st.sampled_from(CODES), st.just("changed in the database")),
    st.tuples(st.just("forget"), st.sampled_from(CODES), st.just("")),
    st.tuples(st.just("delete"), st.sampled_from(CODES), st.just("")),
    # Loads are frequent, so that most changes meet one before the next change.
    *[st.tuples(st.just("load"), st.just(""), st.just(""))] * 4,
)


@settings(max_examples=400)
@given(st.lists(operations, max_size=40))
def test_any_history_of_catalog_versions_edits_and_loads_does_what_people_expect(
    history: list[tuple[str, str, str]],
) -> None:
    rows: dict[str, Row] = {}
    model = Model()
    for operation, code, text in history:
        row, expected = rows.get(code), model.rows.get(code)
        if operation == "catalog":  # a new catalog version changes or adds an entry
            model.catalog[code] = text
        elif operation == "drop":  # a catalog version without the entry
            model.catalog.pop(code, None)
        elif operation == "edit" and row is not None:  # through the app: marked edited
            row.content, row.edited = text, row.from_catalog
            expected.content, expected.users = text, True
        elif operation == "create" and row is None:  # users' own row
            rows[code] = Row(text, from_catalog=False)
            model.rows[code] = Expected(text, users=True, came_from_catalog=False)
        elif operation == "behind" and row is not None:  # changed directly in the database
            row.content = expected.content = text
        elif operation == "forget" and row is not None:  # loaded before fingerprints
            row.fingerprint, expected.seen = "", UNKNOWN
        elif operation == "delete" and row is not None:
            del rows[code], model.rows[code]
        elif operation == "load":
            users_rows = {c: r.content for c, r in rows.items() if r.edited or not r.from_catalog}
            count = load(rows, dict(model.catalog))
            created, updated, listed = model.load()
            assert (count.created, count.updated) == (created, updated)
            assert sorted(count.kept + count.clashes.get("rows", [])) == sorted(listed)
            # Users' rows are never overwritten; every other row is as the catalog says.
            assert {c: rows[c].content for c in users_rows} == users_rows
            for code_, row_ in rows.items():
                if code_ in model.catalog and code_ not in users_rows:
                    assert row_.content == model.catalog[code_]
            # A second load at once finds nothing to do and nothing to say.
            assert load(rows, dict(model.catalog)) == LoadCount()
            model.load()
        assert {c: r.content for c, r in rows.items()} == {
            c: e.content for c, e in model.rows.items()
        }
