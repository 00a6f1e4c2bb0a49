from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.disclosure import keys
from amparo.disclosure.audit import audit, intervals
from amparo.disclosure.model import Constraint, Leak, Table
from amparo.disclosure.protect import _Alternatives, _Protector, parts, protect, protection
from amparo.disclosure.relations import Row, Shape, build
from amparo.disclosure.tests.tables import DIMENSIONS, published_of, tables

SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def two_by_two(**extra):
    """Girls and boys by age band a/b in one region and month, with every total."""
    values = {
        "": 29,
        "sex=f": 12,
        "sex=m": 17,
        "age=a": 10,
        "age=b": 19,
        "age=a;sex=f": 2,
        "age=b;sex=f": 10,
        "age=a;sex=m": 8,
        "age=b;sex=m": 9,
    }
    rows = [Row("I", "R", date(2027, 1, 1), group, v) for group, v in values.items()]
    return build(rows, {"I": Shape()}, years=False, program=False, **extra).table


def cell(group):
    return keys.obs("I", "R", "2027-01", group)


def test_one_small_cell_hides_the_four_inner_cells_not_the_totals():
    hidden = protect(two_by_two(), k=5)
    assert hidden == {
        cell("age=a;sex=f"),
        cell("age=b;sex=f"),
        cell("age=a;sex=m"),
        cell("age=b;sex=m"),
    }


def test_nothing_small_hides_nothing():
    rows = [Row("I", "R", date(2027, 1, 1), g, v) for g, v in (("", 20), ("sex=f", 8))]
    table = build(rows, {"I": Shape()}, years=False, program=False).table
    # the remainder (12 of unknown sex) is no small count either
    assert protect(table, k=5) == frozenset()


def test_a_higher_threshold_hides_more():
    assert protect(two_by_two(), k=5) < protect(two_by_two(), k=11)


def test_a_small_remainder_is_protected_though_never_published():
    rows = [
        Row("I", "R", date(2027, 1, 1), "", 20),
        Row("I", "R", date(2027, 1, 1), "sex=f", 9),
        Row("I", "R", date(2027, 1, 1), "sex=m", 8),
    ]
    table = build(rows, {"I": Shape()}, years=False, program=False).table
    rest = cell("sex=_rest")
    assert table.values[rest] == 3
    result = protection(table, k=5)
    assert rest in result.primary and rest not in result.hidden
    assert result.hidden == {cell("sex=m")}  # the cheapest of the relation
    assert (
        audit(published_of(table, result.hidden), table.constraints, k=5, hidden=result.hidden)
        == []
    )


def test_known_cells_are_never_hidden_and_others_take_their_place():
    table = two_by_two(known={cell("age=b;sex=f")})
    hidden = protect(table, k=5)
    assert cell("age=b;sex=f") not in hidden
    assert cell("sex=f") in hidden  # the only other way to keep girls aged a unknown
    assert audit(published_of(table, hidden), table.constraints, k=5, hidden=hidden) == []


def test_a_small_count_the_reader_can_compute_from_known_cells_is_reported():
    t, a, b = ("t",), ("a",), ("b",)
    table = Table(
        {t: 10, a: 3, b: 7}, (Constraint.sum(t, [a, b], label="t"),), known=frozenset({t, b})
    )
    result = protection(table, k=5)
    assert result.hidden == {a}
    assert [(leak.cell, leak.low, leak.high) for leak in result.unprotectable] == [(a, 3, 3)]


def test_the_audit_adds_complements_where_single_relations_look_safe():
    # x1 + x2 = t1 and x1 + x2 + y = t2: hiding x1 and x2 (each relation has two
    # unknowns) still gives x1 + x2; with y = t2 - t1 small that is a leak of y only if y
    # is hidden... here the pair x1, x2 is pinned as a pair, not each: safe. But a
    # chain x1 - x2 = d (difference published) with x1 + x2 = s pins both.
    x1, x2, s, d = ("x1",), ("x2",), ("s",), ("d",)
    relations = (
        Constraint.sum(s, [x1, x2], label="sum"),
        Constraint(((d, 1.0), (x1, -1.0), (x2, 1.0)), 0.0, 0.0, "difference"),
        Constraint.sum(("u",), [x2, ("z",)], label="other"),
    )
    table = Table({x1: 3, x2: 1, s: 4, d: 2, ("u",): 31, ("z",): 30}, relations)
    result = protection(table, k=5)
    published = published_of(table, result.hidden)
    assert audit(published, relations, k=5, hidden=result.hidden) == []
    assert result.unprotectable == ()
    assert {x1, x2} <= result.hidden


def test_the_same_table_gives_the_same_cells_however_it_was_built():
    table = two_by_two()
    shuffled = replace(
        table,
        values=dict(reversed(list(table.values.items()))),
        constraints=tuple(reversed(table.constraints)),
    )
    assert protect(table, k=5) == protect(shuffled, k=5)


# --- over generated tables ---------------------------------------------------------


@SLOW
@given(tables(max_regions=2, max_months=2), st.sampled_from([3, 5, 11]))
def test_what_protect_hides_always_passes_the_audit(table, k):
    result = protection(table, k=k)
    assert result.unprotectable == ()
    published = published_of(table, result.hidden)
    assert audit(published, table.constraints, k=k, hidden=result.hidden) == []
    small = {c for c, v in table.values.items() if 1 <= v <= k - 1} - table.derived
    assert small <= result.hidden
    assert not result.hidden & table.derived


@SLOW
@given(tables(max_regions=2, max_months=1), st.data())
def test_known_cells_are_never_hidden(table, data):
    cells = sorted(table.values.keys() - table.derived)
    known = frozenset(data.draw(st.lists(st.sampled_from(cells), max_size=6, unique=True)))
    table = replace(table, known=known)
    result = protection(table, k=5)
    assert not result.hidden & known
    leaks = audit(published_of(table, result.hidden), table.constraints, k=5, hidden=result.hidden)
    # whatever still leaks is what the known cells give away, and it was reported
    assert {leak.cell for leak in leaks} <= {leak.cell for leak in result.unprotectable}


@SLOW
@given(tables(max_regions=2, max_months=2))
def test_protect_is_deterministic(table):
    again = replace(
        table,
        values=dict(reversed(list(table.values.items()))),
        constraints=tuple(reversed(table.constraints)),
        weights=dict(reversed(list(table.weights.items()))),
    )
    assert protect(table, k=5) == protect(table, k=5) == protect(again, k=5)


@SLOW
@given(tables(max_regions=2, max_months=2), st.data())
def test_revealing_a_hidden_cell_of_a_protected_table_can_be_caught(table, data):
    # Undo protection for one relation: publish every cell of it but one small hidden
    # cell. The audit must catch it (the audit can fail).
    hidden = protect(table, k=5)
    choices = [
        (c, cell)
        for c in table.constraints
        for cell in c.cells
        if cell in hidden and 1 <= table.values[cell] <= 4
    ]
    if not choices:
        return
    constraint, secret = data.draw(st.sampled_from(choices))
    revealed = {other for other in constraint.cells if other != secret}
    published = published_of(table, hidden) | {other: table.values[other] for other in revealed}
    leaks = audit(published, table.constraints, k=5, hidden=hidden - revealed)
    assert secret in {leak.cell for leak in leaks}


def test_weights_given_by_the_caller_steer_the_complements():
    table = two_by_two()
    # make the inner cell for boys aged a dear: the total over age a goes instead
    weights = dict(table.weights)
    weights[cell("age=a;sex=m")] = 1000.0
    hidden = protect(replace(table, weights=weights), k=5)
    assert cell("age=a;sex=m") not in hidden
    assert cell("age=a") in hidden
    published = published_of(table, hidden)
    assert audit(published, table.constraints, k=5, hidden=hidden) == []


def test_a_table_without_weights_costs_each_cell_its_value_plus_one():
    table = Table({("a",): 3}, ())
    assert table.weight(("a",)) == 4.0
    assert table.weight(("b",)) == 1.0
    assert replace(table, weights={("a",): 0.5}).weight(("a",)) == 0.5


# --- parts: protected apart, audited together ----------------------------------------


def renamed(table, indicator):
    """``table`` for another indicator (cells renamed, same numbers and relations)."""

    def name(cell):
        return (cell[0], indicator, *cell[2:])

    return Table(
        {name(c): v for c, v in table.values.items()},
        tuple(
            Constraint(tuple((name(c), a) for c, a in r.terms), r.low, r.high, r.label)
            for r in table.constraints
        ),
        {name(c): w for c, w in table.weights.items()},
        frozenset(name(c) for c in table.known),
        frozenset(name(c) for c in table.derived),
    )


def joined(*tables, extra=()):
    return Table(
        {c: v for t in tables for c, v in t.values.items()},
        tuple(r for t in tables for r in t.constraints) + tuple(extra),
        {c: w for t in tables for c, w in t.weights.items()},
        frozenset().union(*(t.known for t in tables)),
        frozenset().union(*(t.derived for t in tables)),
    )


def test_indicators_and_years_are_parts_but_a_shared_relation_joins_them():
    rows = [
        Row(code, "R", date(year, 1, 1), group, v)
        for code in ("A", "B")
        for year in (2027, 2028)
        for group, v in (("", 5), ("sex=f", 2), ("sex=m", 3))
    ]
    table = build(rows, {"A": Shape(), "B": Shape()}).table
    found = parts(table)
    assert [sorted({(c[1], c[3][:4]) for c in p.values}) for p in found] == [
        [("A", "2027")],
        [("A", "2028")],
        [("B", "2027")],
        [("B", "2028")],
    ]
    # a relation across indicators (one counted from another) makes them one part
    link = Constraint.sum(keys.obs("A", "R", "2027"), [keys.obs("B", "R", "2028")])
    linked = parts(replace(table, constraints=(*table.constraints, link)))
    assert len(linked) == 3
    assert {(c[1], c[3][:4]) for c in linked[0].values} == {("A", "2027"), ("B", "2028")}


def test_a_cell_in_no_relation_is_a_part_of_its_own():
    table = Table({("a",): 3, ("b",): 2, ("t",): 5}, (Constraint.sum(("t",), [("b",)]),))
    assert [sorted(p.values) for p in parts(table)] == [[("a",)], [("b",), ("t",)]]
    assert protect(table, k=5) == {("a",), ("b",), ("t",)}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=1), tables(max_regions=1, max_months=2), st.data())
def test_protecting_parts_apart_is_protecting_the_whole(first, second, data):
    # Two indicators' tables, sometimes linked by a relation between them: the parts are
    # exactly the connected pieces, every relation lies in one, and protecting the whole
    # hides what protecting each part does, and passes the audit taken all together.
    second = renamed(second, "OTHER")
    extra = ()
    if data.draw(st.booleans()):
        a = data.draw(st.sampled_from(sorted(first.values.keys() - first.derived)))
        b = data.draw(st.sampled_from(sorted(second.values.keys() - second.derived)))
        total = ("sum", "of two")
        extra = (Constraint.sum(total, [a, b], label="across"),)
        second = replace(
            second, values={**second.values, total: first.values[a] + second.values[b]}
        )
    whole = joined(first, second, extra=extra)
    pieces = parts(whole)
    assert sum(len(p.values) for p in pieces) == len(whole.values)
    assert Counter(r for p in pieces for r in p.constraints) == Counter(whole.constraints)
    for piece in pieces:
        for relation in piece.constraints:
            assert set(relation.cells) <= piece.values.keys()
    cells_of = [set(p.values) for p in pieces]
    assert all(not (x & y) for i, x in enumerate(cells_of) for y in cells_of[i + 1 :])
    result = protection(whole, k=5)
    assert result.hidden == frozenset().union(*(protect(p, k=5) for p in pieces))
    assert result.unprotectable == ()
    published = published_of(whole, result.hidden)
    assert audit(published, whole.constraints, k=5, hidden=result.hidden) == []


def cheap_but_pinned_table():
    """a (2) is a small count of t = a + b + c; b is the cheapest cell around it, but
    s = b + d pins b as long as d is shown, so hiding b alone frees nothing."""
    a, b, c, d, s, t = ("a",), ("b",), ("c",), ("d",), ("s",), ("t",)
    values = {a: 2, b: 6, c: 20, d: 30, s: 36, t: 28, ("far",): 9, ("u",): 9}
    relations = (
        Constraint.sum(t, [a, b, c], label="t"),
        Constraint.sum(s, [b, d], label="s"),
        Constraint.sum(("u",), [("far",)], label="u"),
    )
    return Table(values, relations)


def test_a_repair_hides_what_frees_the_leak_not_the_cheapest_cell_around_it():
    table = cheap_but_pinned_table()
    protector = _Protector(table, 5)
    leak = Leak(("a",), 2, 2, table.constraints[:1])
    # c (weight 21) frees a alone; b and d together would cost 7 + 31.
    assert protector.free_leaks([leak]) == [("c",)]
    assert protector.hidden == {("a",), ("c",)}
    assert protector.unprotectable == {}
    published = published_of(table, protector.hidden)
    assert audit(published, table.constraints, k=5, hidden=protector.hidden) == []


def test_a_repair_reports_a_leak_the_known_cells_pin():
    a, t = ("a",), ("t",)
    table = Table({a: 2, t: 2}, (Constraint.sum(t, [a]),), known=frozenset({t}))
    protector = _Protector(table, 5)
    leak = Leak(a, 2, 2, table.constraints)
    assert protector.free_leaks([leak]) == []
    assert protector.unprotectable == {a: leak}


def test_a_repair_of_a_pinned_hidden_cell_moves_it_by_one_either_way():
    # b (0, hidden) is pinned by t = b + c with c and t shown: hiding c (cheaper than t)
    # frees it, and a table with b at 1 and c at 6 is one the reader must then allow.
    b, c, t = ("b",), ("c",), ("t",)
    table = Table({b: 0, c: 7, t: 7}, (Constraint.sum(t, [b, c]),), weights={t: 100.0})
    protector = _Protector(table, 5)
    protector.hide(b)
    assert protector.free_leaks([Leak(b, 0, 0, table.constraints)]) == [c]
    published = published_of(table, protector.hidden)
    ranges = intervals(published, table.constraints)
    assert ranges[b].high >= 1 and ranges[c].low < 7


@SLOW
@given(tables(max_regions=2, max_months=2), st.sampled_from([3, 5, 11]))
def test_one_repair_frees_every_leak_it_is_given_and_makes_no_new_one(table, k):
    # The guarantee behind few rounds: after one repair of every leak the audit finds,
    # the audit finds none (unless the known cells pin one), whatever the table.
    protector = _Protector(table, k, showing=False)
    protector.close_singletons(range(len(protector.constraints)))
    leaks = audit(protector.published, protector.constraints, k=k, hidden=protector.hidden)
    protector.free_leaks(leaks)
    assert protector.unprotectable == {}
    after = audit(protector.published, protector.constraints, k=k, hidden=protector.hidden)
    assert after == []


def test_a_small_count_is_moved_down_to_zero_first_then_up_to_k():
    table = cheap_but_pinned_table()
    protector = _Protector(table, 5)
    alternatives = _Alternatives(protector, revealed=False)
    assert alternatives.goals(("a",)) == [-2.0, 5.0 - 2.0]
    # a shown cell of 0 can only go up; one of 20 either way, down first
    assert alternatives.goals(("c",)) == [-1.0, 1.0]
    zero = Table({("z",): 0, ("t",): 9, ("y",): 9}, (Constraint.sum(("t",), [("z",), ("y",)]),))
    assert _Alternatives(_Protector(zero, 5), revealed=False).goals(("z",)) == [1.0]


def test_a_repair_keeps_averages_within_their_rounding():
    # Yearly mean of two months shown to one decimal: 2 * 3.5 = a + b within 0.1; a (3)
    # is small and b (4) too, so both are hidden; the year's mean pins nothing alone,
    # and the repair leaves no leak with months that can move inside the rounding.
    rows = [
        Row("I", "R", date(2027, 1, 1), "", 3),
        Row("I", "R", date(2027, 2, 1), "", 4),
        Row("I", "S", date(2027, 1, 1), "", 9),
        Row("I", "S", date(2027, 2, 1), "", 1),
    ]
    table = build(rows, {"I": Shape(aggregation="mean")}).table
    result = protection(table, k=5)
    assert result.unprotectable == ()
    published = published_of(table, result.hidden)
    assert audit(published, table.constraints, k=5, hidden=result.hidden) == []


@SLOW
@given(tables(max_regions=2, max_months=2, aggregation="mean"), st.sampled_from([3, 5, 11]))
def test_what_protect_hides_for_averages_passes_the_audit(table, k):
    result = protection(table, k=k)
    published = published_of(table, result.hidden)
    leaks = audit(published, table.constraints, k=k, hidden=result.hidden)
    assert {leak.cell for leak in leaks} <= {leak.cell for leak in result.unprotectable}
    assert protection(table, k=k).hidden == result.hidden


def test_a_pinned_complement_is_shown_and_never_hidden_again_but_a_small_count_is_not():
    a, b, t = ("a",), ("b",), ("t",)
    table = Table({a: 2, b: 30, t: 32}, (Constraint.sum(t, [a, b]),))
    protector = _Protector(table, 5)
    protector.hide(b)
    assert protector.pointless(Leak(b, 30, 30, table.constraints))
    assert not protector.pointless(Leak(a, 2, 2, table.constraints))  # a small count
    assert not protector.pointless(Leak(b, 29, 30, table.constraints))  # not pinned
    protector.reveal(b)
    assert b not in protector.hidden and b in protector.published
    assert not protector.hideable(b)
    # a shown complement stays shown while another cell frees the small count
    assert protector.free_leaks([Leak(a, 2, 2, table.constraints)]) == [t]
    assert b in protector.revealed and not protector.kept
    # protecting without showing (the fallback) never calls a pinned complement pointless
    hiding = _Protector(table, 5, showing=False)
    hiding.hide(b)
    assert not hiding.pointless(Leak(b, 30, 30, table.constraints))


def stranding_table():
    """b is pinned only by the three relations with e and f taken together; once b is
    shown, the small count a (whose total t the reader knows) has nothing left to hide
    behind but b."""
    a, b, e, f = ("a",), ("b",), ("e",), ("f",)
    s1, s2, s3, t = ("s1",), ("s2",), ("s3",), ("t",)
    values = {a: 2, b: 30, e: 3, f: 4, s1: 33, s2: 34, s3: 7, t: 32}
    relations = (
        Constraint.sum(s1, [b, e], label="s1"),
        Constraint.sum(s2, [b, f], label="s2"),
        Constraint.sum(s3, [e, f], label="s3"),
        Constraint.sum(t, [a, b], label="t"),
    )
    return Table(values, relations, known=frozenset({t}))


def test_a_shown_complement_a_small_count_needs_is_hidden_again_for_good():
    table = stranding_table()
    protector = _Protector(table, 5)
    result = protector.run()  # the run itself, not the fallback of ``protection``
    assert result.unprotectable == ()
    assert protector.kept == {("b",)} and not protector.revealed
    assert {("a",), ("b",), ("e",), ("f",)} <= result.hidden
    published = published_of(table, result.hidden)
    assert audit(published, table.constraints, k=5, hidden=result.hidden) == []
    assert protection(table, k=5).hidden == result.hidden


def test_a_cell_hidden_again_is_never_shown_twice_and_nothing_else_frees_it():
    a, b, t = ("a",), ("b",), ("t",)
    table = Table({a: 2, b: 30, t: 32}, (Constraint.sum(t, [a, b]),), known=frozenset({t}))
    protector = _Protector(table, 5)
    protector.hide(b)
    protector.reveal(b)
    assert protector.free_leaks([Leak(a, 2, 2, table.constraints)]) == [b]
    assert b in protector.kept and b in protector.hidden and b not in protector.revealed
    assert not protector.pointless(Leak(b, 30, 30, table.constraints))
    assert protector.unprotectable == {}


@SLOW
@given(tables(max_regions=2, max_months=2), st.sampled_from([3, 5, 11]))
def test_showing_pinned_complements_reports_whatever_it_leaves_and_protection_repairs_it(table, k):
    # The run that shows pinned complements reports every leak it leaves (a cell hidden
    # again can still be pinned with nothing left around it); a shown cell is no small
    # count, a cell hidden again stays hidden; ``protection`` then leaves no leak.
    protector = _Protector(table, k)
    result = protector.run()
    published = published_of(table, result.hidden)
    leaks = audit(published, table.constraints, k=k, hidden=result.hidden)
    assert {leak.cell for leak in leaks} <= {leak.cell for leak in result.unprotectable}
    assert not protector.revealed & (result.hidden | protector.sensitive)
    assert protector.kept <= result.hidden
    assert not protector.kept & protector.revealed
    final = protection(table, k=k)
    assert final.unprotectable == ()
    published = published_of(table, final.hidden)
    assert audit(published, table.constraints, k=k, hidden=final.hidden) == []


@SLOW
@given(tables(max_regions=2, max_months=1), st.data())
def test_with_known_cells_the_run_reports_whatever_still_leaks(table, data):
    cells = sorted(table.values.keys() - table.derived)
    known = frozenset(data.draw(st.lists(st.sampled_from(cells), max_size=6, unique=True)))
    table = replace(table, known=known)
    result = _Protector(table, 5).run()
    assert not result.hidden & known
    leaks = audit(published_of(table, result.hidden), table.constraints, k=5, hidden=result.hidden)
    assert {leak.cell for leak in leaks} <= {leak.cell for leak in result.unprotectable}


THREE_WAY = ("sex", "age", "form")


def two_small_counts_table():
    """a (2) and b (3) are small parts of t = a + b + c; c is far cheaper than t."""
    a, b, c, t = ("a",), ("b",), ("c",), ("t",)
    values = {a: 2, b: 3, c: 20, t: 25}
    return Table(values, (Constraint.sum(t, [a, b, c], label="t"),), weights={t: 100.0})


def test_one_other_table_brings_every_small_count_to_zero_at_once():
    table = two_small_counts_table()
    protector = _Protector(table, 5)
    # Both at 0 needs c at 25 (weight 21 per person) rather than t at 20 (100 each).
    assert _Alternatives(protector, revealed=False).freeing_all([("a",), ("b",)]) == [("c",)]


def test_no_table_brings_a_small_count_to_zero_when_known_cells_pin_it():
    a, b, t = ("a",), ("b",), ("t",)
    table = Table({a: 2, b: 3, t: 5}, (Constraint.sum(t, [a, b]),), known=frozenset({t}))
    assert _Alternatives(_Protector(table, 5), revealed=False).freeing_all([a, b]) is None


def test_a_repair_frees_several_small_counts_with_one_table():
    # a (2) and b (3) are each pinned by their own total; one table with both at 0
    # changes c and e (far cheaper than the totals), and then neither leaks.
    a, b, c, e, t, s = ("a",), ("b",), ("c",), ("e",), ("t",), ("s",)
    table = Table(
        {a: 2, b: 3, c: 20, e: 10, t: 22, s: 13},
        (Constraint.sum(t, [a, c]), Constraint.sum(s, [b, e])),
        weights={t: 100.0, s: 100.0},
    )
    protector = _Protector(table, 5)
    leaks = audit(protector.published, table.constraints, k=5, hidden=protector.hidden)
    assert {leak.cell for leak in leaks} == {a, b}
    assert protector.free_leaks(leaks) == [c, e]
    assert audit(protector.published, table.constraints, k=5, hidden=protector.hidden) == []


def three_way_table():
    """One person in every finest group of sex x age x form, with every total."""
    finest = list(itertools.product(*([(d, v) for v in DIMENSIONS[d]] for d in THREE_WAY)))
    totals: Counter = Counter()
    for size in range(len(THREE_WAY) + 1):
        for group in finest:
            for subset in itertools.combinations(group, size):
                totals[keys.disaggregation(list(subset))] += 1
    rows = [Row("I", "R", date(2027, 1, 1), group, v) for group, v in totals.items()]
    return build(rows, {"I": Shape()}).table


def test_only_tables_with_three_dimensions_crossed_are_dense():
    assert not _Protector(two_by_two(), 5).dense()
    assert not _Protector(two_small_counts_table(), 5).dense()
    three_way = three_way_table()
    assert _Protector(three_way, 5).dense()


@SLOW
@given(tables(max_regions=2, max_months=2, dims=THREE_WAY), st.sampled_from([3, 5, 11]))
def test_a_dense_part_has_every_small_count_freed_before_any_audit(table, k):
    # The complements come from one other table: the audit then finds no small count
    # inside 1..k-1 (it may find a complement pinned, which is shown or covered after).
    protector = _Protector(table, k)
    assert protector.dense()
    assert protector.free_all_small()
    leaks = audit(protector.published, protector.constraints, k=k, hidden=protector.hidden)
    assert [leak for leak in leaks if leak.cell in protector.sensitive] == []
    assert protector.hidden >= {c for c in protector.sensitive if c not in table.derived}


@SLOW
@given(tables(max_regions=2, max_months=2, dims=THREE_WAY), st.sampled_from([3, 5, 11]))
def test_what_protect_hides_in_a_dense_part_passes_the_audit_and_is_repeatable(table, k):
    result = protection(table, k=k)
    assert result.unprotectable == ()
    published = published_of(table, result.hidden)
    assert audit(published, table.constraints, k=k, hidden=result.hidden) == []
    shuffled = replace(table, constraints=tuple(reversed(table.constraints)))
    assert protection(shuffled, k=k).hidden == result.hidden


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables(max_regions=2, max_months=1, dims=THREE_WAY),
    tables(max_regions=1, max_months=2, dims=("sex", "age")),
)
def test_a_dense_part_beside_another_is_protected_as_on_its_own(dense, other):
    whole = joined(dense, renamed(other, "OTHER"))
    result = protection(whole, k=5)
    assert result.hidden == protect(dense, k=5) | protect(renamed(other, "OTHER"), k=5)
    published = published_of(whole, result.hidden)
    assert audit(published, whole.constraints, k=5, hidden=result.hidden) == []


@SLOW
@given(tables(max_regions=2, max_months=2, dims=THREE_WAY), st.sampled_from([3, 5, 11]))
def test_the_other_table_of_a_dense_part_saves_solves_but_changes_no_range(table, k):
    # Its values fit every relation and every shown cell, so the audit may take them as
    # seen: it finds the same leaks with them as without them.
    protector = _Protector(table, k)
    assert protector.free_all_small()
    (other,) = protector.witnesses
    assert all(other[cell] <= 1e-6 for cell in protector.sensitive if cell in other)
    args = (protector.published, protector.constraints)
    plain = audit(*args, k=k, hidden=protector.hidden)
    assert audit(*args, k=k, hidden=protector.hidden, also=[other]) == plain


def test_a_shown_cell_the_other_table_changes_drops_that_table():
    protector = _Protector(three_way_table(), 5)
    protector.witnesses = [{("x",): 1.0}, {("x",): 0.0}]
    protector.values = {**protector.values, ("x",): 0}
    protector.reveal(("x",))
    assert protector.witnesses == [{("x",): 0.0}]
