"""The figures the dashboards show, against numbers computed by hand, and what each role
may read in them (small counts, sectors)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.accounts.models import Membership, Role
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.indicators.models import Indicator, Observation, Target
from amparo.mitigation.models import Measure, MeasureMove
from amparo.rollout.models import Attendance, Event, Playbook, RecoveryGroup, Rollout
from amparo.territory.models import Organization

Q = [date(2026, m, 1) for m in (1, 4, 7, 10)]


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())
    return {i.code: i for i in Indicator.objects.all()}


def _views(client, url) -> dict:
    return {v.indicator.code: v for v, _chart in client.get(url).context["charts"]}


def _observe(indicator, region, values: dict[date, float]) -> None:
    for period, value in values.items():
        Observation.objects.create(indicator=indicator, region=region, period=period, value=value)


def _goal(indicator, region, kind: str, period: date, value: float) -> None:
    Target.objects.create(indicator=indicator, region=region, kind=kind, period=period, value=value)


def test_a_sum_is_compared_quarter_with_quarter(world, catalog) -> None:
    trained = catalog["OUT-TRAINED"]
    for region in (world.region_a, world.region_b):
        _observe(trained, region, dict.fromkeys(Q, 10))
        _goal(trained, region, "baseline", Q[0], 10)
        _goal(trained, region, "target", Q[3], 20)
    admin = world.client("admin")
    view = _views(admin, reverse("region-dashboard", args=["PE-LOR"]))["OUT-TRAINED"]
    assert (view.current, view.baseline, view.target, view.progress_percent) == (10, 10, 20, 0)
    assert view.series == [(q, 10) for q in Q]
    view = _views(admin, reverse("program-dashboard"))["OUT-TRAINED"]
    assert (view.current, view.baseline, view.target, view.progress_percent) == (20, 20, 40, 0)
    assert view.series == [(q, 20) for q in Q]
    page = admin.get(reverse("program-dashboard")).content.decode()
    assert "0% del camino" in page and "en 2026-T4" in page


def test_targets_set_in_one_region_compare_that_regions_value(world, catalog) -> None:
    trained = catalog["OUT-TRAINED"]
    _observe(trained, world.region_a, {Q[3]: 15})
    _observe(trained, world.region_b, {Q[3]: 40})
    _goal(trained, world.region_a, "target", Q[3], 20)
    _goal(trained, world.region_b, "target", Q[1], 10)  # an older target of Ucayali
    view = _views(world.client("admin"), reverse("program-dashboard"))["OUT-TRAINED"]
    assert (view.current, view.target, view.progress_percent) == (15, 20, 75)


def test_latest_values_hold_each_regions_latest_report(world, catalog) -> None:
    plans = catalog["OUT-PLAN-ANNUAL"]
    _observe(plans, world.region_a, {date(2025, 1, 1): 7})
    _observe(plans, world.region_b, {date(2026, 1, 1): 2})
    view = _views(world.client("admin"), reverse("program-dashboard"))["OUT-PLAN-ANNUAL"]
    assert view.series == [(date(2025, 1, 1), 7), (date(2026, 1, 1), 9)]
    assert view.current == 9 and view.progress is None


def test_a_ratio_is_the_latest_periods_parts_divided(world, catalog) -> None:
    share = catalog["OUT-COMPLIANT-PCT"]
    share.is_key = True
    share.save()
    _observe(catalog["OUT-COMPLIANT"], world.region_a, {Q[0]: 1, Q[1]: 9})
    _observe(catalog["OUT-INSPECTED"], world.region_a, {Q[0]: 10, Q[1]: 10})
    _observe(catalog["OUT-COMPLIANT"], world.region_b, {Q[1]: 1})
    _observe(catalog["OUT-INSPECTED"], world.region_b, {Q[1]: 30})
    view = _views(world.client("admin"), reverse("program-dashboard"))["OUT-COMPLIANT-PCT"]
    assert view.series == [(Q[0], 10.0), (Q[1], 25.0)]  # (9 + 1) / (10 + 30)
    assert view.current == 25.0


def _pastors(world, region, per_month: dict[date, int]) -> None:
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    if not Playbook.objects.exists():
        playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    rollout, _new = Rollout.objects.get_or_create(region=region, playbook=playbook)
    training = playbook.stages.get(code="capacitacion")
    for day, pastors in per_month.items():
        event = Event.objects.create(
            rollout=rollout, stage=training, status="done", city="X", starts_on=day, ends_on=day
        )
        church = Organization.objects.create(
            name=f"Iglesia {region.code} {day}", kind="church", region=region
        )
        Attendance.objects.create(event=event, organization=church, pastors=pastors)


def _pastors_line(page: str) -> str:
    return re.search(r"([^>]*) pastores capacitados · ([^<]*) grupos activos", page).group(0)


def _card(client, url, code: str = "CH-PASTORS"):
    return next((v, c) for v, c in client.get(url).context["charts"] if v.indicator.code == code)


def test_a_viewer_cannot_derive_a_small_count_from_a_total(world, catalog) -> None:
    _pastors(world, world.region_a, {date(2026, 3, 10): 3, date(2026, 5, 10): 9})
    url = reverse("region-dashboard", args=["PE-LOR"])
    viewer = world.client("viewer")
    line = _pastors_line(viewer.get(url).content.decode())
    card, chart = _card(viewer, url)
    shown = dict(card.shown_series)
    assert date(2026, 3, 1) not in shown and "2026-03" not in chart  # March's 3 not drawn
    assert card.current == shown.get(date(2026, 5, 1), "c")  # the card and the chart agree
    # The total 12 and May's 9 would give March's 3 back: one of them is hidden.
    assert line.startswith("c pastores") or date(2026, 5, 1) not in shown
    assert "oculto para proteger" in viewer.get(url).content.decode()
    coordinator = world.client("coordinator").get(url).content.decode()
    assert _pastors_line(coordinator).startswith("12 pastores")


def test_a_program_total_over_a_small_region_count_is_withheld(world, catalog) -> None:
    Membership.objects.create(user=world.users["viewer"], role=Role.VIEWER, region=world.region_b)
    _pastors(world, world.region_a, {date(2026, 5, 10): 3})
    _pastors(world, world.region_b, {date(2026, 5, 12): 9})
    viewer = world.client("viewer")
    program, chart = _card(viewer, reverse("program-dashboard"))
    a, _chart = _card(viewer, reverse("region-dashboard", args=[world.region_a.code]))
    b, _chart = _card(viewer, reverse("region-dashboard", args=[world.region_b.code]))
    assert a.current == "c" and a.progress is None
    # Loreto's 3 is the program's point minus Ucayali's: never both shown.
    assert "c" in (program.current, b.current)
    assert (chart == "") == (program.current == "c")
    admin = _views(world.client("admin"), reverse("program-dashboard"))["CH-PASTORS"]
    assert admin.current == 12 and admin.series == [(date(2026, 5, 1), 12)]


def test_viewers_see_groups_active_suppressed(world, catalog) -> None:
    _pastors(world, world.region_a, {date(2026, 5, 10): 20})
    rollout = Rollout.objects.get()
    for n in range(2):
        church = Organization.objects.create(name=f"G{n}", kind="church", region=world.region_a)
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, launched_on=date(2026, 7, 1), meeting_day=1
        )
    for role in ("viewer", "admin"):
        page = world.client(role).get(reverse("program-dashboard")).content.decode()
        expected = "c grupos activos" if role == "viewer" else "2 grupos activos"
        assert expected in _pastors_line(page), role


def test_a_focal_point_sees_only_the_measures_and_findings_of_their_sector(world, catalog) -> None:
    assessment = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    for code in ("TUR", "EDU"):
        threat = Threat.objects.filter(sector__code=code).first()
        Finding.objects.create(
            assessment=assessment,
            threat=threat,
            sector=threat.sector,
            inherent_likelihood=5,
            inherent_impact=5,
        )
    trained = catalog["OUT-TRAINED"]
    _observe(trained, world.region_a, {Q[0]: 10, Q[3]: 20})
    for sector in (world.sector, world.other_sector):
        measure = Measure.objects.create(
            region=world.region_a,
            sector=sector,
            kind="policy",
            title=f"Medida {sector.code}",
            status="implemented",
        )
        measure.indicators.add(trained)
        MeasureMove.objects.create(measure=measure, from_status="approved", to_status="implemented")
    url = reverse("region-dashboard", args=["PE-LOR"])
    focal = world.client("focal").get(url)
    line = focal.context["board"].lines[0]
    assert line.measures == {"implemented": 1}
    assert sum(n for _level, n in line.risk.levels) == 1 and line.risk.sectors_assessed == 1
    marks = {v.indicator.code: v.marks for v in focal.context["board"].indicators}
    assert [title for _day, title in marks["OUT-TRAINED"]] == ["Medida TUR"]
    coordinator = world.client("coordinator").get(url)
    assert coordinator.context["board"].lines[0].measures == {"implemented": 2}
    marks = {v.indicator.code: v.marks for v in coordinator.context["board"].indicators}
    assert sorted(title for _day, title in marks["OUT-TRAINED"]) == ["Medida EDU", "Medida TUR"]


def test_the_report_draws_the_same_charts_as_the_dashboard(world, catalog) -> None:
    from amparo.reports.content import executive_summary
    from amparo.territory.models import Region

    _pastors(
        world, world.region_a, {date(2026, 3, 10): 3, date(2026, 5, 10): 9, date(2026, 7, 9): 12}
    )
    pastors = catalog["CH-PASTORS"]
    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Protocolo de hoteles"
    )
    measure.indicators.add(pastors)
    MeasureMove.objects.create(measure=measure, from_status="approved", to_status="implemented")
    MeasureMove.objects.update(at=datetime(2026, 6, 15, tzinfo=UTC))
    regions = Region.objects.filter(pk=world.region_a.pk)
    url = reverse("region-dashboard", args=["PE-LOR"])
    size = re.compile(r'viewBox="[^"]*"|(?:x|y|x1|x2|y1|y2|cx|cy|points|d)="[^"]*"')
    for role in ("viewer", "coordinator"):
        summary = executive_summary(regions, user=world.users[role], donor=False, since=None)
        view, chart = next((v, c) for v, c in summary.charts if v.indicator.code == "CH-PASTORS")
        web = world.client(role).get(url)
        web_view, web_chart = _card(world.client(role), url)
        assert ("Protocolo de hoteles" in chart) == ("Protocolo de hoteles" in web_chart)
        assert ("2026-03: 3" in chart) == (role == "coordinator")
        # The same points, target and marks, the same hidden cells; only the size differs.
        assert size.sub("", chart) == size.sub("", web_chart)
        assert view.current == web_view.current
        line = web.context["board"].lines[0].rollout.pastors_trained
        assert summary.board.lines[0].rollout.pastors_trained == line
    # For donors or the public, k is 11 whoever asks: 3 and 9 are hidden even for the admin.
    donor = executive_summary(regions, user=world.users["admin"], donor=True, since=None)
    _view, chart = next((v, c) for v, c in donor.charts if v.indicator.code == "CH-PASTORS")
    assert "2026-03: 3" not in chart and "2026-05: 9" not in chart
    assert donor.release.k == 11


def test_a_stock_is_compared_with_a_later_target_by_its_held_value(world, catalog) -> None:
    protocols = catalog["OUT-PROTOCOLS"]
    protocols.is_key = True
    protocols.save()
    _observe(protocols, world.region_a, {date(2025, 1, 1): 6})
    _goal(protocols, world.region_a, "baseline", date(2025, 1, 1), 2)
    _goal(protocols, world.region_a, "target", date(2026, 1, 1), 10)
    _goal(protocols, world.region_a, "target", date(2099, 1, 1), 30)  # a year not yet begun
    url = reverse("region-dashboard", args=["PE-LOR"])
    for role in ("coordinator", "viewer"):
        view = _views(world.client(role), url)["OUT-PROTOCOLS"]
        # Nothing reported in 2026: the 6 protocols of 2025 still stand.
        assert (view.period, view.current, view.baseline, view.target) == (
            date(2026, 1, 1),
            6,
            2,
            10,
        ), role
        assert view.compared and view.progress_percent == 50, role
        assert view.series == [(date(2025, 1, 1), 6)], role
    page = world.client("coordinator").get(url).content.decode()
    card = page.split("OUT-PROTOCOLS")[1][:1500]
    assert "50% del camino" in card and "en 2026" in card


def test_a_viewer_gets_no_progress_from_a_small_held_stock(world, catalog) -> None:
    ordinances = catalog["OUT-ORDINANCES"]
    ordinances.is_key = True
    ordinances.save()
    _observe(ordinances, world.region_a, {date(2025, 1, 1): 3})
    _goal(ordinances, world.region_a, "target", date(2026, 1, 1), 6)
    url = reverse("region-dashboard", args=["PE-LOR"])
    coordinator = _views(world.client("coordinator"), url)["OUT-ORDINANCES"]
    assert (coordinator.current, coordinator.progress_percent) == (3, 50)
    viewer = _views(world.client("viewer"), url)["OUT-ORDINANCES"]
    assert (viewer.current, viewer.progress) == ("c", None)
