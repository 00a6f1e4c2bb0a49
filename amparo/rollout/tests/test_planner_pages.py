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
from amparo.rollout.tests.conftest import make_event


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
        blackouts=planning.blackouts_by_region([world.region_b]), time_limit_s=2,
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
