"""What the executive summary says, checked against the pages that show the same figures:
coverage by ministry, open problems, measures by ministry and kind, what was done in the
period, and the planned finish."""

from __future__ import annotations

from datetime import date, timedelta

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from amparo.mitigation.models import Measure, MeasureMove
from amparo.reports import content
from amparo.rollout.models import PlanRun, Playbook
from amparo.territory.models import Region


def _summary(world, role: str, **options):
    options.setdefault("since", None)
    return content.executive_summary(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users[role],
        donor=options.pop("donor", False),
        **options,
    )


def test_coverage_and_measures_match_the_round_and_systemic_pages(world, loreto) -> None:
    for role in ("coordinator", "focal"):
        part = _summary(world, role).parts[0]
        client = world.client(role)
        page = client.get(reverse("round-detail", args=["PE-LOR", loreto.assessment.pk])).context[
            "summary"
        ]
        assert [(x.sector.code, x.findings, x.threats, x.worst) for x in part.coverage] == [
            (x.sector.code, x.findings, x.threats, x.worst) for x in page.lines
        ]
        assert part.issues == len(page.issues)
        systemic = client.get(reverse("measure-systemic", args=["PE-LOR"])).context["view"]
        on_page = {
            (row.sector.code, kind, status): n
            for row in systemic.rows
            for kind, counts in row.cells
            for status, n in counts.items()
            if n
        }
        labels = dict(Measure._meta.get_field("status").choices)
        kinds = dict(Measure._meta.get_field("kind").choices)
        in_report = {
            (row.sector.code, kind, status): n
            for row in part.sectors
            for kind_label, counts in row.by_kind
            for status_label, n in counts
            for kind in [k for k, label in kinds.items() if label == kind_label]
            for status in [s for s, label in labels.items() if label == status_label]
        }
        assert in_report == on_page and in_report


def test_open_problems_are_listed_and_the_rest_counted(world, loreto) -> None:
    for n in range(3):
        Measure.objects.create(
            region=world.region_a,
            sector=world.sector,
            kind="program",
            title=f"Capacitacion {n}",
            due_on=timezone.localdate() - timedelta(days=1),
        )
    part = _summary(world, "coordinator").parts[0]
    sectors = part.coverage
    unassessed = sum(1 for line in sectors if line.findings == 0)
    assert len(part.problems) == content.PROBLEM_LINES
    assert part.more_problems == unassessed + 3 - content.PROBLEM_LINES
    focal = _summary(world, "focal").parts[0]
    assert len(focal.problems) == 3 and focal.more_problems == 0
    assert "TUR: la medida “Capacitacion 0” vencía el" in focal.problems[0]


def test_done_since_the_last_report_lists_status_changes_in_the_period(world, loreto) -> None:
    recent = MeasureMove.objects.create(
        measure=loreto.tourism_measure, to_status="drafting", by=world.users["coordinator"]
    )
    old = MeasureMove.objects.create(
        measure=loreto.education_measure, to_status="drafting", by=world.users["coordinator"]
    )
    MeasureMove.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=60))
    since = timezone.localdate() - timedelta(days=30)
    summary = _summary(world, "coordinator", since=since)
    assert summary.since == since
    assert summary.parts[0].recent == [recent.measure]
    assert summary.parts[0].more_recent == 0


def test_a_long_list_of_changes_is_cut_and_the_rest_counted(world, loreto) -> None:
    from amparo.mitigation.models import Measure
    from amparo.reports.content import RECENT_LINES

    for n in range(RECENT_LINES + 3):
        measure = Measure.objects.create(
            region=world.region_a, sector=world.sector, kind="program", title=f"Medida {n:02d}"
        )
        MeasureMove.objects.create(measure=measure, to_status="drafting")
    since = timezone.localdate() - timedelta(days=1)
    part = _summary(world, "coordinator", since=since).parts[0]
    assert len(part.recent) == RECENT_LINES and part.more_recent == 3


def test_the_period_starts_with_the_round_when_no_date_is_given(world, loreto) -> None:
    assert _summary(world, "coordinator").since == loreto.assessment.started_on


def _plan(world, events: list[tuple[str, str]], finish: str, applied: bool = True) -> PlanRun:
    return PlanRun.objects.create(
        playbook=Playbook.objects.get(code="iglesias"),
        input={},
        # The stored form of a planner run (``planner.result_to_json`` and the seconds).
        result={
            "status": "feasible",
            "finish": finish,
            "lower_bound": "2027-01-04",
            "baseline_sequential_finish": finish,
            "events": [
                {"region": code, "stage": "s", "team": "A", "start": "2027-01-04", "end": end}
                for code, end in events
            ],
            "solve_seconds": 1.0,
        },
        applied_at=timezone.now() if applied else None,
    )


def test_a_region_summary_gives_the_regions_own_planned_finish(world, loreto) -> None:
    older = _plan(world, [("PE-LOR", "2027-03-01"), ("PE-UCA", "2027-06-01")], "2027-06-01")
    PlanRun.objects.filter(pk=older.pk).update(applied_at=timezone.now() - timedelta(days=1))
    _plan(world, [("PE-UCA", "2027-09-01")], "2027-09-01")  # newer, without Loreto
    _plan(world, [("PE-LOR", "2028-01-01")], "2028-01-01", applied=False)  # only a what-if
    assert _summary(world, "coordinator").plan_finish == date(2027, 3, 1)
    program = content.executive_summary(
        Region.objects.all(), user=world.users["admin"], donor=False, since=None
    )
    assert program.plan_finish == date(2027, 9, 1)
    assert {p.region.code: p.plan_finish for p in program.parts if p.plan_finish} == {
        "PE-LOR": date(2027, 3, 1),
        "PE-UCA": date(2027, 9, 1),
    }
    # The summary prints the dates as the planner page does.
    with translation.override("es"):
        html = render_to_string("reports/executive.html", {"s": program, "lang": "es"})
    assert "El plan de implementación guardado termina el 2027-09-01." in html
    assert "fin previsto 2027-03-01" in html


def test_no_plan_no_finish(world, loreto) -> None:
    assert _summary(world, "coordinator").plan_finish is None


def test_a_program_summary_prints_the_map_of_the_regions(world, loreto) -> None:
    program = content.executive_summary(
        Region.objects.all(), user=world.users["admin"], donor=True, since=None
    )
    codes = {t.region.code for t in program.map.tiles}
    assert codes == set(Region.objects.values_list("code", flat=True))
    with translation.override("es"):
        html = render_to_string("reports/executive.html", {"s": program, "lang": "es"})
    assert "Vía de iglesias: etapa alcanzada" in html
    assert html.count('<figure class="tilemap">') == 2
    assert "<details" not in html  # the summary's tables are the map's text alternative


def test_a_region_summary_has_no_map(world, loreto) -> None:
    summary = _summary(world, "coordinator")
    assert summary.map is None
    with translation.override("es"):
        html = render_to_string("reports/executive.html", {"s": summary, "lang": "es"})
    assert "tilemap" not in html
