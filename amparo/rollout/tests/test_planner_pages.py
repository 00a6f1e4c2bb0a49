"""The planner page, its runs, turning a plan into events, and ``amparo plan``."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from amparo.rollout import planning
from amparo.rollout.models import Blackout, Event, PlanRun, Rollout, Team, TravelTime
from amparo.rollout.planner import parse_plan_input, plan_rollout, result_to_json
from amparo.rollout.tests.conftest import make_event
from amparo.rollout.tests.planner_cases import EXAMPLE, STORED_INPUT, STORED_RESULT
from amparo.tests.queries import page_queries


@pytest.fixture
def teams(stages) -> list[Team]:
    a = Team.objects.create(code="A", name="Equipo A")
    a.stages.set(stages.values())
    return [a]


def _form(world, teams, **extra):
    data = {
        "playbook": teams[0].stages.first().playbook_id,
        "start": "2027-01-04",
        "regions": [world.region_a.pk, world.region_b.pk],
        "teams": [t.pk for t in teams],
        "extra_teams": 0,
        "blackouts": "PE-UCA 2027-02-01 2027-03-15",
        "time_limit_s": 2,
        "delay_min": 0,
        "delay_mode": 1,
        "delay_max": 3,
        "label": "base",
    }
    data.update(extra)
    return data


def test_only_program_admins_use_the_planner(world, teams) -> None:
    for role in ("coordinator", "focal", "viewer", "outsider"):
        assert world.client(role).get(reverse("planner")).status_code == 403
        assert world.client(role).post(reverse("planner"), _form(world, teams)).status_code == 403
    assert PlanRun.objects.count() == 0
    assert world.client("admin").get(reverse("planner")).status_code == 200


def test_a_plan_is_made_kept_and_shown_with_its_comparison(world, teams) -> None:
    client = world.client("admin")
    response = client.post(reverse("planner"), _form(world, teams))
    assert response.status_code == 302
    run = PlanRun.objects.get()
    assert run.result["status"] in {"optimal", "feasible"}
    assert run.p50_finish <= run.p90_finish
    page = client.get(response.url).text
    assert "<svg" in page and run.result["finish"] in page
    assert run.result["baseline_sequential_finish"] in page
    assert run.plan_result.finish.isoformat() == run.result["finish"]
    assert run.result["solve_seconds"] == run.plan_result.solve_seconds
    ucayali = next(r for r in run.input["regions"] if r["code"] == "PE-UCA")
    assert ucayali["blackouts"] == [["2027-02-01", "2027-03-15"]]


def test_an_extra_team_is_one_change_away(world, teams) -> None:
    client = world.client("admin")
    client.post(reverse("planner"), _form(world, teams))
    first = PlanRun.objects.get()
    form = client.get(reverse("planner") + f"?from={first.pk}").text
    assert "PE-UCA 2027-02-01 2027-03-15" in form
    client.post(reverse("planner"), _form(world, teams, extra_teams=1, label="+1 team"))
    second = PlanRun.objects.exclude(pk=first.pk).get()
    assert [t["code"] for t in second.input["teams"]] == ["A", "extra-1"]
    assert second.result["finish"] <= first.result["finish"]
    page = client.get(reverse("plan-run", args=[second.pk])).text
    assert "+1 team" in page and "base" in page


def test_bad_blackout_lines_get_a_field_error(world, teams) -> None:
    response = world.client("admin").post(
        reverse("planner"), _form(world, teams, blackouts="PE-UCA 2027-03-15 2027-02-01")
    )
    assert response.status_code == 422
    assert "línea 1" in response.text
    assert PlanRun.objects.count() == 0


def test_the_input_skips_done_stages_and_waits_for_their_gap(world, playbook, stages, teams):
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    make_event(rollout, stages["reuniones"], date(2027, 1, 4))  # done, ends 2027-01-05
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=3)
    Blackout.objects.create(region=world.region_b, first_day=date(2027, 2, 1),
                            last_day=date(2027, 2, 9))  # fmt: skip
    raw = planning.planner_input(
        playbook=playbook, regions=[world.region_a, world.region_b], teams=teams,
        extra_teams=0, start=date(2027, 1, 4),
        blackouts=planning.blackouts_by_region([world.region_b], start=date(2027, 1, 4)),
        time_limit_s=2,
    )  # fmt: skip
    loreto = next(r for r in raw["regions"] if r["code"] == "PE-LOR")
    assert loreto["done"] == ["reuniones"]
    assert loreto["earliest"] == "2027-01-27"  # 2027-01-06 + 21 days
    assert raw["travel_days"] == {"PE-LOR": {"PE-UCA": 3}}
    assert raw["regions"][1]["blackouts"] == [["2027-02-01", "2027-02-09"]]


def test_a_plan_turns_into_planned_events_once(world, teams) -> None:
    client = world.client("admin")
    client.post(reverse("planner"), _form(world, teams))
    run = PlanRun.objects.get()
    client.post(reverse("plan-apply", args=[run.pk]))
    events = Event.objects.filter(status="planned")
    assert events.count() == 8
    assert {e.rollout.region.code for e in events} == {"PE-LOR", "PE-UCA"}
    assert all(e.team.code == "A" and e.override_reason == "" for e in events)
    run.refresh_from_db()
    assert run.applied_at is not None
    client.post(reverse("plan-apply", args=[run.pk]))
    assert Event.objects.count() == 8
    # A second plan over the same stages is refused as a whole.
    client.post(reverse("planner"), _form(world, teams))
    other = PlanRun.objects.exclude(pk=run.pk).get()
    response = client.post(reverse("plan-apply", args=[other.pk]), follow=True)
    assert "ya tienen eventos" in response.text
    assert Event.objects.count() == 8


def test_the_command_prints_json(tmp_path) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps({
        "start": "2027-01-04", "regions": [{"code": "PE-MDD"}],
        "stages": [{"code": "meeting", "days": 2}], "teams": [{"code": "A", "stages": ["meeting"]}],
    }))  # fmt: skip
    out = StringIO()
    call_command("plan", input=str(source), json=True, stdout=out)
    assert json.loads(out.getvalue())["finish"] == "2027-01-06"


def test_the_command_names_the_problem_in_bad_input(tmp_path) -> None:
    source = tmp_path / "plan.json"
    source.write_text('{"start": "2027-01-04", "regions": [], "stages": [], "teams": []}')
    with pytest.raises(CommandError, match="no regions"):
        call_command("plan", input=str(source), json=True, stdout=StringIO())


def _stored_run(playbook, **change) -> PlanRun:
    return PlanRun.objects.create(
        playbook=playbook,
        label="stored",
        input=change.pop("input", STORED_INPUT),
        result=STORED_RESULT,
        delay_model={"minimum": 0, "most_likely": 1, "maximum": 3, "runs": 500},
        p50_finish=date(2027, 1, 23),
        p90_finish=date(2027, 1, 25),
        **change,
    )


def test_the_run_page_shows_the_stored_result(world, playbook) -> None:
    run = _stored_run(playbook)
    response = world.client("admin").get(reverse("plan-run", args=[run.pk]))
    result = response.context["result"]
    assert result == run.plan_result
    page = response.text
    assert "<strong>2027-01-21</strong>" in page  # the finish
    assert "2027-01-16 · como máximo a 5 días (29,4%) del mejor resultado posible" in page
    assert "mejor encontrado en el tiempo dado" in page  # feasible, not proven optimal
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    # Every stored event in the stored order, with its last day (the day before ``end``).
    assert len(rows) == 4
    assert "Ucayali" in rows[0] and "2027-01-04</td><td>2027-01-04" in rows[0]
    assert "Loreto" in rows[3] and "2027-01-19</td><td>2027-01-20" in rows[3]


def test_the_chart_draws_the_regions_in_order_and_the_stages_prerequisites_first(
    world, playbook
) -> None:
    run = _stored_run(playbook)
    gantt = world.client("admin").get(reverse("plan-run", args=[run.pk])).context["gantt"]
    names = {s.code: s.name for s in playbook.stages.all()}
    assert gantt.index(">Ucayali<") < gantt.index(">Loreto<")  # Ucayali begins first
    legend = gantt.split(">Loreto<")[-1]
    assert legend.index(names["reuniones"]) < legend.index(names["conferencia"])


def test_a_run_whose_input_no_longer_validates_is_still_shown(world, playbook) -> None:
    older = {**STORED_INPUT, "teams": [{"code": "A", "stages": ["reuniones"]}]}
    run = _stored_run(playbook, input=older)
    response = world.client("admin").get(reverse("plan-run", args=[run.pk]))
    assert response.status_code == 200
    assert response.context["result"].stage_order == ()
    assert "<svg" in response.text and "2027-01-21" in response.text


def test_compared_runs_show_their_finishes(world, playbook) -> None:
    _stored_run(playbook)
    page = world.client("admin").get(reverse("planner")).text
    runs = page.split('id="runs-heading"')[1]
    assert "<strong>2027-01-21</strong>" in runs and "2027-01-21</td></tr>" in runs


def test_the_run_page_costs_the_same_queries_with_more_runs(world, playbook) -> None:
    client = world.client("admin")
    run = _stored_run(playbook)
    url = reverse("plan-run", args=[run.pk])
    few = page_queries(client, url)
    for _ in range(7):
        _stored_run(playbook)
    assert page_queries(client, url) == few


def test_a_stored_plan_turns_into_events_on_its_days(world, playbook, teams) -> None:
    run = _stored_run(playbook)
    assert planning.plan_apply(run=run, by=world.users["admin"]) == 4
    conference = Event.objects.get(rollout__region=world.region_a, stage__code="conferencia")
    assert (conference.starts_on, conference.ends_on) == (date(2027, 1, 19), date(2027, 1, 20))
    assert conference.team.code == "A" and conference.status == "planned"
    assert conference.rollout.started_on == date(2027, 1, 4)  # the plan's start


def test_the_command_and_the_api_answer_the_same_json(tmp_path, world) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(EXAMPLE))
    out = StringIO()
    call_command("plan", input=str(source), json=True, stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == result_to_json(plan_rollout(parse_plan_input(EXAMPLE)))
    # The contract's fields first and unchanged; the deterministic mode (the default) only
    # adds fields after them.
    assert list(printed) == ["status", "finish", "lower_bound", "baseline_sequential_finish",
                             "events",
                             "deterministic", "work_units", "time_cap_reached"]  # fmt: skip
    assert list(printed["events"][0]) == ["region", "stage", "team", "start", "end"]
    answer = world.client("admin").post("/api/v1/plans", EXAMPLE, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == printed
