"""Channels that are easy to miss: a ratio printed next to its parts, the points of a long
chart, the length of a list whose number is hidden. Each is hidden by the outputs, read by
the audit, and found by the audit when an output gives it away."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from amparo.accounts.models import Membership, Role, User
from amparo.disclosure import checks
from amparo.disclosure.gather import Gathered, Ratio, printed_half
from amparo.disclosure.gather.cells import obs_key
from amparo.disclosure.gather.reader import reader_for
from amparo.indicators.models import Indicator, Observation

JAN, FEB, MAR = date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)
# Children protected out of children identified: January's 3 is small, March's 6 is the
# cheapest complement, February's 30 of 50 (60 %) is shown.
PROTECTED = {JAN: 3, FEB: 30, MAR: 6}
IDENTIFIED = {JAN: 20, FEB: 50, MAR: 40}


def _indicator(code: str, **changes) -> Indicator:
    values = {
        "code": code,
        "name_es": f"Indicador {code}",
        "name_en": f"Indicator {code}",
        "level": "output",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "frequency": "monthly",
        "is_key": True,
    }
    values.update(changes)
    return Indicator.objects.create(**values)


def _ratio_world(world, numerators: dict[date, int], denominators: dict[date, int]) -> None:
    """Children protected (``IND-P``) out of children identified (``IND-V``) in Loreto, and
    the percentage of the two (``IND-PCT``)."""
    top, bottom = _indicator("IND-P"), _indicator("IND-V")
    _indicator("IND-PCT", unit="percent", aggregation="ratio", numerator=top, denominator=bottom)
    for indicator, values in ((top, numerators), (bottom, denominators)):
        for month, value in values.items():
            Observation.objects.create(
                indicator=indicator, region=world.region_a, period=month, value=value
            )
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)


def _hide_no_ratio(monkeypatch) -> None:
    """A broken output: a ratio's point and card are shown whatever its parts are."""
    from amparo.indicators import queries

    real = queries.combined_hidden

    def combined_hidden(release, cells, *, program_cell=None):
        cells = list(cells)
        if len({cell[1] for cell in cells}) > 1:  # a ratio's numerator and denominator
            return False
        return real(release, cells, program_cell=program_cell)

    monkeypatch.setattr(queries, "combined_hidden", combined_hidden)


# --- the relation a printed ratio is (pure) ----------------------------------------------


def test_a_ratio_with_its_denominator_known_gives_the_numerator_back() -> None:
    top, bottom = obs_key("P", "PE-LOR", "2027-01"), obs_key("V", "PE-LOR", "2027-01")
    found = Gathered()
    found.add([Ratio((top,), (bottom,), 15.0, 0.05, 100.0, "page x")])
    low, high = found.relations
    # 3 of 20 is 15 %: both constraints hold, 4 of 20 (20 %) breaks the upper one.
    assert low.low == 0 and high.high == 0
    assert sum(c * {top: 3, bottom: 20}[cell] for cell, c in low.terms) >= 0
    assert sum(c * {top: 3, bottom: 20}[cell] for cell, c in high.terms) <= 0
    assert sum(c * {top: 4, bottom: 20}[cell] for cell, c in high.terms) > 0
    assert found.figures == 1 and found.shown == {}
    assert "ratio 15 shown at page x" in low.label


def test_half_the_last_printed_digit() -> None:
    assert printed_half("12.5") == 0.05
    assert printed_half("1,500") == 0.5
    assert printed_half("7.25") == 0.005


# --- ratios on the pages, in the downloads and in the audit ------------------------------


def test_a_ratio_is_not_shown_when_one_of_its_parts_is_hidden(
    world, django_assert_max_num_queries
) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    client = world.client("viewer")
    with django_assert_max_num_queries(40):
        page = client.get("/regions/PE-LOR/indicators/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    view = next(v for v, _svg in page.context["charts"] if v.indicator.code == "IND-PCT")
    svg = next(s for v, s in page.context["charts"] if v.indicator.code == "IND-PCT")
    assert JAN in view.hidden_periods and FEB not in view.hidden_periods
    assert "2027-01:" not in svg and "2027-02: 60" in svg
    with django_assert_max_num_queries(40):
        csv = client.get("/regions/PE-LOR/indicators.csv").content.decode("utf-8-sig")
    rows = [line.split(",") for line in csv.splitlines() if line.startswith("IND-PCT")]
    shown = {r[2]: r[3] for r in rows}
    assert shown["2027-01-01"] == "c" and shown["2027-02-01"] == "60.0"


def test_the_audit_reads_ratios_and_finds_nothing_when_they_are_hidden(world) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    # February's 60 % is read from the pages, the CSV and the PDF's content.
    places = " ".join(c.label for c in found.relations)
    assert "page /regions/PE-LOR/indicators/, chart IND-PCT" in places
    assert "CSV /regions/PE-LOR/indicators.csv" in places
    assert "PDF report" in places
    assert not any("ratio 15" in c.label for c in found.relations)  # January's is hidden
    result = checks.solve(found, label="viewer-all", k=5, known=set())
    assert result.ok and not result.skipped, checks.as_text(result)


def test_a_ratio_printed_next_to_a_hidden_part_is_found(world, monkeypatch) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    _hide_no_ratio(monkeypatch)
    result = checks.check(username="viewer-all")
    leaked = {tuple(leak.key): leak for leak in result.leaks}
    jan = ("obs", "IND-P", "PE-LOR", "2027-01", "")
    assert jan in leaked, checks.as_text(result)
    assert (leaked[jan].low, leaked[jan].high) == (3, 3)
    assert any("ratio 15" in label for label in leaked[jan].relations)
    assert not result.skipped


# --- the list of recovery groups: its length and what its items say ----------------------

MAY, JUNE, JULY = date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)


def _groups_world(world, *, met_in_july: int) -> list:
    """Six groups launched in Loreto in May, all active and all meeting in June; in July
    ``met_in_july`` of them meet. The church-track indicators are computed from them."""
    from amparo.rollout.models import GroupReport, Playbook, RecoveryGroup, Rollout
    from amparo.territory.models import Organization

    for what in ("groups_launched", "groups_active"):
        _indicator(f"CT-{what}", computed_from=what)
    rollout = Rollout.objects.create(
        region=world.region_a, playbook=Playbook.objects.create(code="iglesias")
    )
    groups = []
    for n in range(6):
        church = Organization.objects.create(
            name=f"Iglesia {n}", kind="church", region=world.region_a
        )
        group = RecoveryGroup.objects.create(
            rollout=rollout, church=church, launched_on=MAY, meeting_day=2
        )
        GroupReport.objects.create(group=group, month=JUNE, meetings_held=4, total_attendance=30)
        if n < met_in_july:
            GroupReport.objects.create(
                group=group, month=JULY, meetings_held=3, total_attendance=25
            )
        groups.append(group)
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)
    return groups


def test_a_list_of_groups_whose_counts_are_shown_is_read_item_by_item(world) -> None:
    groups = _groups_world(world, met_in_july=6)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    assert "group-lists" in found.outputs and not found.skipped
    assert found.shown[("track", "PE-LOR", "groups_launched")] == 6
    assert found.shown[("track", "PE-LOR", "groups_active")] == 6
    assert found.shown[("obs", "CT-groups_launched", "PE-LOR", "2025-05", "")] == 6
    assert found.shown[("obs", "CT-groups_active", "PE-LOR", "2025-07", "")] == 6
    assert any("list of groups" in w for w in found.where[("track", "PE-LOR", "groups_active")])
    result = checks.solve(found, label="viewer-all", k=5, known=set())
    assert result.ok, checks.as_text(result)
    assert len(groups) == 6


def test_the_list_is_not_shown_when_a_month_of_meetings_is_a_small_count(
    world, django_assert_max_num_queries
) -> None:
    """Two groups met in July: the groups' pages would let a reader count them, so a
    viewer gets neither the list nor the groups' pages; a coordinator gets both."""
    groups = _groups_world(world, met_in_july=2)
    board = f"/regions/PE-LOR/rollouts/{groups[0].rollout_id}/"
    viewer = world.client("viewer")
    with django_assert_max_num_queries(40):
        page = viewer.get(board)
    assert page.status_code == 200 and page.context["groups_shown"] is False
    assert f"/regions/PE-LOR/groups/{groups[0].pk}/" not in page.content.decode()
    assert viewer.get(f"/regions/PE-LOR/groups/{groups[0].pk}/").status_code == 404
    coordinator = world.client("coordinator")
    assert coordinator.get(board).context["groups_shown"] is True
    assert coordinator.get(f"/regions/PE-LOR/groups/{groups[0].pk}/").status_code == 200
    result = checks.check(username="viewer-all")
    assert result.ok and not result.skipped, checks.as_text(result)


def test_a_list_shown_while_its_count_is_hidden_is_found(world, monkeypatch) -> None:
    from amparo.rollout.views import groups as group_views
    from amparo.rollout.views import rollouts as rollout_views

    _groups_world(world, met_in_july=2)
    for module in (group_views, rollout_views):
        monkeypatch.setattr(module, "groups_shown", lambda _release, _region: True)
    result = checks.check(username="viewer-all")
    leaked = {tuple(leak.key): leak for leak in result.leaks}
    july = ("obs", "CT-groups_active", "PE-LOR", "2025-07", "")
    assert july in leaked, checks.as_text(result)
    assert (leaked[july].low, leaked[july].high) == (2, 2)
    assert "shown as it is" in leaked[july].relations


# --- the churches an event lists: counted, they are its churches represented -------------


def _training_world(world, *, churches: int) -> object:
    """A done leader training in Loreto in March 2025 with ``churches`` churches (ten
    pastors and ten leaders from each), and the indicator computed from the churches."""
    from amparo.catalog.sync import LoadCount
    from amparo.rollout import services
    from amparo.rollout.models import Attendance, Event, Playbook, Rollout, StageKind
    from amparo.territory.models import Organization

    services.playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    stage = playbook.stages.get(kind=StageKind.LEADER_TRAINING)
    _indicator("CT-churches", computed_from="churches_represented")
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    event = Event.objects.create(
        rollout=rollout, stage=stage, starts_on=date(2025, 3, 3),
        ends_on=date(2025, 3, 5), status="done", city="Iquitos",
    )  # fmt: skip
    for n in range(churches):
        church = Organization.objects.create(
            name=f"Iglesia {n}", kind="church", region=world.region_a
        )
        Attendance.objects.create(event=event, organization=church, pastors=10, leaders=10)
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)
    return event


def test_a_training_whose_churches_are_few_lists_none_of_them(
    world, django_assert_max_num_queries
) -> None:
    event = _training_world(world, churches=3)
    path = f"/regions/PE-LOR/events/{event.pk}/"
    viewer = world.client("viewer")
    with django_assert_max_num_queries(40):
        page = viewer.get(path, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.context["churches_listed"] is False and page.context["attendance_rows"] == []
    assert "Iglesia 0" not in text and "3 iglesias" not in text
    assert "Las iglesias y fraternidades no se listan" in text
    assert [str(t) for t in page.context["attendance_totals"]][:2] == ["30", "30"]
    coordinator = world.client("coordinator").get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert "Iglesia 0" in coordinator.content.decode()
    # The API and the workbook list none of them either.
    result = checks.check(username="viewer-all")
    assert result.ok and not result.skipped, checks.as_text(result)


def test_a_training_with_enough_churches_lists_them_and_the_audit_counts_them(world) -> None:
    # Twelve: enough for the workbook too, which a viewer gets in its donor version (k 11).
    event = _training_world(world, churches=12)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    line = ("track", "PE-LOR", "churches_represented")
    assert found.shown[line] == 12
    assert found.shown[("obs", "CT-churches", "PE-LOR", "2025-03", "")] == 12
    places = " ".join(found.where[line])
    for output in ("event pages", "API /api/v1/events", "XLSX report, Attendance"):
        assert output in places
    assert event.attendance.count() == 12
    assert checks.solve(found, label="viewer-all", k=5, known=set()).ok


def test_churches_listed_while_their_number_is_hidden_are_found(world, monkeypatch) -> None:
    from amparo.api import schemas
    from amparo.reports import render
    from amparo.rollout.views import events

    _training_world(world, churches=3)
    for module in (events, schemas, render):
        monkeypatch.setattr(module, "church_lists", lambda _release: lambda _r, _m: True)
    monkeypatch.setattr(schemas, "request_church_lists", lambda _request: lambda _r, _m: True)
    result = checks.check(username="viewer-all")
    leaked = {tuple(leak.key): leak for leak in result.leaks}
    line = ("track", "PE-LOR", "churches_represented")
    assert line in leaked, checks.as_text(result)
    assert (leaked[line].low, leaked[line].high) == (3, 3)


# --- which lists may be shown (pure) -----------------------------------------------------

_CELLS = [
    ("track", "PE-LOR", "groups_launched"),
    ("track", "PE-LOR", "groups_active"),
    ("track", "PE-LOR", "pastors_trained"),
    ("track", "PE-UCA", "groups_active"),
    ("obs", "CT-ACT", "PE-LOR", "2025-07", ""),
    ("obs", "CT-ACT", "PE-UCA", "2025-07", ""),
    ("obs", "CT-ACT", "*", "2025-07", ""),
    ("obs", "IND-K", "PE-LOR", "2025-07", ""),
]


@given(st.sets(st.sampled_from(_CELLS)))
def test_a_region_s_groups_are_listed_unless_a_count_they_give_is_hidden(hidden) -> None:
    from amparo.disclosure import track

    gives = {_CELLS[0], _CELLS[1], _CELLS[4]}  # Loreto's lines and its monthly points
    assert track.groups_shown("PE-LOR", hidden, {"CT-ACT"}) == (not hidden & gives)
    # Without the computed indicator, only the program lines count.
    assert track.groups_shown("PE-LOR", hidden) == (not hidden & {_CELLS[0], _CELLS[1]})


# --- long charts: every point is read --------------------------------------------------


def _long_series(world) -> None:
    """Four years of a monthly count in Loreto, 20 every month but 3 in March 2027."""
    indicator = _indicator("IND-L")
    for m in range(48):
        month = date(2024 + m // 12, m % 12 + 1, 1)
        value = 3 if month == date(2027, 3, 1) else 20
        Observation.objects.create(
            indicator=indicator, region=world.region_a, period=month, value=value
        )
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)


def test_a_long_chart_is_read_point_by_point_and_hides_the_small_one(world) -> None:
    _long_series(world)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    in_chart = [
        cell
        for cell, places in found.where.items()
        if any(p.endswith("/regions/PE-LOR/dashboard/, chart IND-L") for p in places)
    ]
    assert len(in_chart) > 40  # every drawn point was read, past the fortieth
    assert ("obs", "IND-L", "PE-LOR", "2027-03", "") not in in_chart
    assert checks.solve(found, label="viewer-all", k=5, known=set()).ok


def test_a_hidden_point_drawn_in_a_long_chart_is_found(world, monkeypatch) -> None:
    from amparo import charts
    from amparo.indicators.views import dashboards

    _long_series(world)

    def every_point(view, **_kw):  # a broken chart: hidden points drawn too
        return charts.line_chart(view.series, title=view.indicator.name)

    monkeypatch.setattr(dashboards, "chart_for", every_point)
    result = checks.check(username="viewer-all")
    leaked = {tuple(leak.key): leak for leak in result.leaks}
    march = ("obs", "IND-L", "PE-LOR", "2027-03", "")
    assert march in leaked, checks.as_text(result)
    assert (leaked[march].low, leaked[march].high) == (3, 3)
