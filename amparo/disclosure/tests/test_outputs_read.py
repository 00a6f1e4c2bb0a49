"""Each output read back into figures, from answers as the outputs give them (a stand-in
client returns canned bodies and page contexts, so what is tested is the reading)."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest

from amparo.disclosure.gather import outputs
from amparo.disclosure.gather.cells import obs_key
from amparo.disclosure.gather.outputs import Context, OutputError
from amparo.disclosure.gather.reader import Reader


class Answers:
    """A client whose ``get`` answers from a table of path -> response (or a function of
    the query)."""

    def __init__(self, table: dict) -> None:
        self.table = table
        self.asked: list[tuple[str, dict]] = []

    def get(self, path: str, query: dict | None = None):
        self.asked.append((path, dict(query or {})))
        found = self.table.get(path)
        if found is None:
            return SimpleNamespace(status_code=404, content=b"", context={})
        return found(query or {}) if callable(found) else found


def _ok(content: bytes = b"", **context) -> SimpleNamespace:
    return SimpleNamespace(status_code=200, content=content, context=context)


def _context(table: dict, *, regions=("PE-LOR",), total=2) -> Context:
    indicators = {
        "IND-M": SimpleNamespace(code="IND-M", frequency="monthly"),
        "IND-Y": SimpleNamespace(code="IND-Y", frequency="yearly"),
    }
    found = [SimpleNamespace(code=c, name=f"Region {c}", pk=n) for n, c in enumerate(regions)]
    reader = Reader("test", SimpleNamespace(), False, 5)
    return Context(reader, Answers(table), found, total, indicators)


def test_the_api_is_read_page_by_page_with_its_hidden_values() -> None:
    items = [
        {"indicator": "IND-M", "region": "PE-LOR", "period": "2027-01-01",
         "disaggregation": "", "value": "12.00", "hidden": False},
        {"indicator": "IND-M", "region": "PE-LOR", "period": "2027-01-01",
         "disaggregation": "sex=f", "value": None, "hidden": True},
        {"indicator": "IND-Y", "region": "PE-LOR", "period": "2027-01-01",
         "disaggregation": "", "value": "c", "suppressed": True},
        {"indicator": "PCT", "region": "PE-LOR", "period": "2027-01-01",
         "disaggregation": "", "value": "3.5"},  # not a count: not read
        {"indicator": "IND-M", "region": "PE-LOR", "period": "2027-02-01",
         "disaggregation": "", "value": None},  # neither shown nor said hidden
    ]  # fmt: skip

    def page(query: dict) -> SimpleNamespace:
        offset, limit = int(query["offset"]), int(query["limit"])
        body = {"items": items[offset : offset + limit], "count": len(items)}
        return _ok(json.dumps(body).encode())

    ctx = _context({"/api/v1/observations": page})
    figures = list(outputs.api_observations(ctx))
    assert [(f.cell, f.value) for f in figures] == [
        (obs_key("IND-M", "PE-LOR", "2027-01"), 12.0),
        (obs_key("IND-M", "PE-LOR", "2027-01", "sex=f"), None),
        (obs_key("IND-Y", "PE-LOR", "2027"), None),
    ]
    assert figures[1].where == "API /api/v1/observations item 2"


def test_the_api_pages_until_its_count() -> None:
    calls = []

    def page(query: dict) -> SimpleNamespace:
        calls.append(int(query["offset"]))
        n = 500 if int(query["offset"]) == 0 else 3
        row = {"indicator": "IND-M", "region": "PE-LOR", "period": "2027-01-01",
               "disaggregation": "", "value": 7}  # fmt: skip
        return _ok(json.dumps({"items": [row] * n, "count": 503}).encode())

    figures = list(outputs.api_observations(_context({"/api/v1/observations": page})))
    assert calls == [0, 500] and len(figures) == 503


def test_an_output_that_refuses_the_reader_is_an_error() -> None:
    with pytest.raises(OutputError, match="404"):
        list(outputs.api_observations(_context({})))


def test_event_attendance_from_the_api(monkeypatch) -> None:
    monkeypatch.setattr(outputs, "church_facts", lambda _ctx: (None, set(), {}))
    body = {
        "count": 1,
        "items": [{"id": 9, "region": "PE-LOR", "attendance": [
            {"organization_id": 3, "pastors": 12, "leaders": None, "others": 0, "hidden": True},
            {"organization_id": 4, "pastors": 20, "leaders": 6, "others": 1, "hidden": False},
        ]}],
    }  # fmt: skip
    ctx = _context({"/api/v1/events": _ok(json.dumps(body).encode())})
    found = {f.cell: f.value for f in outputs.api_events(ctx)}
    assert found[("event", "PE-LOR", "9", "pastors", "3")] == 12
    assert found[("event", "PE-LOR", "9", "leaders", "3")] is None  # hidden
    assert found[("event", "PE-LOR", "9", "others", "3")] == 0
    assert found[("event", "PE-LOR", "9", "others", "4")] == 1
    assert len(found) == 6


def test_the_region_csv_is_parsed_back_with_its_marker() -> None:
    text = (
        "Indicator,Name,Period,Value,Target\r\n"
        "IND-M,Children,2027-01-01,14,\r\n"
        "IND-M,Children,2027-02-01,c,\r\n"
        'IND-Y,Plans,2027-01-01,"1,200",3\r\n'
        "PCT,Percent,2027-01-01,40.5,\r\n"
        ",c: hidden to protect small counts,,,\r\n"
    )
    ctx = _context({"/regions/PE-LOR/indicators.csv": _ok(text.encode("utf-8-sig"))})
    figures = list(outputs.indicators_csv(ctx))
    assert [(f.cell, f.value) for f in figures] == [
        (obs_key("IND-M", "PE-LOR", "2027-01"), 14.0),
        (obs_key("IND-M", "PE-LOR", "2027-02"), None),
        (obs_key("IND-Y", "PE-LOR", "2027"), 1200.0),
    ]
    assert figures[1].where == "CSV /regions/PE-LOR/indicators.csv row 3"


def _chart(points: list[tuple[str, str]]) -> str:
    return (
        "<svg>"
        + "".join(
            f'<circle cx="1" cy="1" r="2.5" fill="#0072B2"><title>{p}: {v}</title></circle>'
            for p, v in points
        )
        + "</svg>"
    )


def _view(code: str, current=None, period=None) -> SimpleNamespace:
    return SimpleNamespace(indicator=SimpleNamespace(code=code), current=current, period=period)


def test_charts_give_their_points_and_cards_their_current_value() -> None:
    ctx = _context({})
    charts = [
        (_view("IND-M", 30.0, date(2027, 2, 1)), _chart([("2027-01", "12"), ("2027-02", "30")])),
        (_view("IND-Y", "c", date(2027, 1, 1)), _chart([("2026-01", "1,500")])),
        (_view("PCT", 40.0, date(2027, 1, 1)), _chart([("2027-01", "40")])),
    ]
    figures = list(outputs.chart_figures(ctx, charts, "*", "page /dashboard/"))
    assert [(f.cell, f.value, f.where) for f in figures] == [
        (obs_key("IND-M", "*", "2027-01"), 12.0, "page /dashboard/, chart IND-M"),
        (obs_key("IND-M", "*", "2027-02"), 30.0, "page /dashboard/, chart IND-M"),
        (obs_key("IND-M", "*", "2027-02"), 30.0, "page /dashboard/, card IND-M"),
        (obs_key("IND-Y", "*", "2026"), 1500.0, "page /dashboard/, chart IND-Y"),
        (obs_key("IND-Y", "*", "2027"), None, "page /dashboard/, card IND-Y"),
    ]
    # A page over some regions only combines them into no cell of the tables.
    assert list(outputs.chart_figures(ctx, charts, None, "x")) == []


def test_the_program_page_is_the_program_only_for_a_reader_of_every_region() -> None:
    assert _context({}, regions=("PE-LOR", "PE-UCA"), total=2).program == "*"
    assert _context({}, regions=("PE-LOR",), total=2).program is None


def test_dashboards_read_the_program_and_each_region() -> None:
    chart = [(_view("IND-M"), _chart([("2027-01", "9")]))]
    ctx = _context(
        {
            "/dashboard/": _ok(charts=chart),
            "/regions/PE-LOR/dashboard/": _ok(charts=chart),
            "/regions/PE-LOR/indicators/": _ok(charts=[]),
        },
        regions=("PE-LOR",),
        total=1,
    )
    figures = list(outputs.dashboards(ctx))
    assert [(f.cell[2], f.where) for f in figures] == [
        ("*", "page /dashboard/, chart IND-M"),
        ("PE-LOR", "page /regions/PE-LOR/dashboard/, chart IND-M"),
    ]


def test_the_program_overview_lines() -> None:
    lines = [
        SimpleNamespace(region=SimpleNamespace(code="PE-LOR"), pastors_trained=40,
                        churches_represented="c", groups_launched=0, groups_active=None),
    ]  # fmt: skip
    ctx = _context({"/program/": _ok(lines=lines)})
    found = {f.cell: f.value for f in outputs.program_overview(ctx)}
    assert found == {
        ("track", "PE-LOR", "pastors_trained"): 40.0,
        ("track", "PE-LOR", "churches_represented"): None,
        ("track", "PE-LOR", "groups_launched"): 0.0,
    }


def test_an_event_page_gives_its_table_totals_and_warning(monkeypatch) -> None:
    monkeypatch.setattr(outputs, "church_facts", lambda _ctx: (None, set(), {}))
    event = SimpleNamespace(pk=9, rollout=SimpleNamespace(region=SimpleNamespace(code="PE-LOR")))
    rows = [(SimpleNamespace(organization_id=3), (12, "c", 0))]
    page = _ok(
        attendance_rows=rows,
        attendance_totals=(12, "c", 0),
        capacity_warnings=[SimpleNamespace(what="pastors", limit=10, actual=12),
                           SimpleNamespace(what="churches", limit=5, actual=7)],
    )  # fmt: skip

    class Events:
        def filter(self, **_kw):
            return self

        def select_related(self, *_a):
            return self

        def order_by(self, *_a):
            return [event]

    ctx = _context({"/regions/PE-LOR/events/9/": page})
    from amparo.rollout.models import Event

    real = Event.objects
    try:
        Event.objects = Events()  # type: ignore[misc]
        figures = list(outputs.event_pages(ctx))
    finally:
        Event.objects = real  # type: ignore[misc]
    found = [(f.cell, f.value) for f in figures]
    assert (("event", "PE-LOR", "9", "pastors", "3"), 12) in found
    assert (("event", "PE-LOR", "9", "leaders", "3"), None) in found
    assert (("event", "PE-LOR", "9", "leaders", ""), None) in found
    assert found.count((("event", "PE-LOR", "9", "pastors", ""), 12)) == 2  # total, warning
    assert len(found) == 7


def test_the_churches_listed_at_trainings_are_counted_when_every_list_is_there(
    monkeypatch,
) -> None:
    """Two trainings in March (events 1 and 2) and one in May (event 3) in Loreto; churches
    are organizations 10-13, organization 20 is a fraternity."""
    months = {date(2027, 3, 1): [1, 2], date(2027, 5, 1): [3]}
    monkeypatch.setattr(
        outputs, "church_facts", lambda _ctx: ("CT-CH", {10, 11, 12, 13}, {"PE-LOR": months})
    )
    ctx = _context({})
    every = {1: {10, 11, 20}, 2: {11, 12}, 3: {13}}
    found = {f.cell: f.value for f in outputs.church_figures(ctx, every, "x")}
    # March's two trainings: churches 10, 11, 12 (11 counted once, 20 is no church).
    assert found == {
        ("obs", "CT-CH", "PE-LOR", "2027-03", ""): 3,
        ("obs", "CT-CH", "PE-LOR", "2027-05", ""): 1,
        ("track", "PE-LOR", "churches_represented"): 4,
    }
    # A list not given (event 2): March and the region's total are not counted.
    partial = {1: {10, 11}, 3: {13}}
    found = {f.cell: f.value for f in outputs.church_figures(ctx, partial, "x")}
    assert found == {("obs", "CT-CH", "PE-LOR", "2027-05", ""): 1}
