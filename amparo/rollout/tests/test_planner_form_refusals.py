"""The planner form refuses what it cannot plan before any search runs, and says why next
to the field, in the admin's language; nothing is kept for a refused form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.rollout.models import Event, PlanRun, Team
from amparo.rollout.tests.planner_cases import STORED_INPUT, STORED_RESULT


@pytest.fixture
def team(stages) -> Team:
    team = Team.objects.create(code="A", name="Equipo A")
    team.stages.set(stages.values())
    return team


def _form(world, team, **changes) -> dict:
    data = {
        "playbook": team.stages.first().playbook_id,
        "start": "2027-01-04",
        "regions": [world.region_a.pk, world.region_b.pk],
        "teams": [team.pk],
        "extra_teams": 0,
        "blackouts": "",
        "time_limit_s": 1,
        "delay_min": 0,
        "delay_mode": 1,
        "delay_max": 3,
        "label": "",
    }
    data.update(changes)
    return data


def _refused(world, team, **changes):
    response = world.client("admin").post(reverse("planner"), _form(world, team, **changes))
    assert response.status_code == 422
    assert not PlanRun.objects.exists()
    return response


def _field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


@pytest.mark.parametrize(
    "low, mode, high", [(2, 1, 3), (0, 4, 3), (5, 5, 4)]
)  # fmt: skip
def test_delays_must_run_minimum_most_likely_maximum(world, team, low, mode, high) -> None:
    response = _refused(world, team, delay_min=low, delay_mode=mode, delay_max=high)
    assert _field_errors(response, "delay_mode") == ["Use mínimo ≤ más probable ≤ máximo."]


def test_the_delay_rule_in_english(world, team, settings) -> None:
    client = world.client("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("planner"), _form(world, team, delay_min=3, delay_max=1))
    assert response.status_code == 422
    assert "Use minimum ≤ most likely ≤ maximum." in response.text


def test_a_plan_needs_a_team_real_or_hypothetical(world, team) -> None:
    response = _refused(world, team, teams=[], extra_teams=0)
    assert _field_errors(response, "teams") == [
        "Elija al menos un equipo o agregue uno hipotético."
    ]


@pytest.mark.parametrize(
    "field, value",
    [("extra_teams", 6), ("extra_teams", -1), ("time_limit_s", 0), ("time_limit_s", 31),
     ("delay_max", 91), ("start", "2027-02-30"), ("regions", [])],
)  # fmt: skip
def test_values_out_of_range_are_field_errors(world, team, field, value) -> None:
    response = _refused(world, team, **{field: value})
    assert _field_errors(response, field)


def test_a_blackout_of_a_region_not_chosen_is_left_out_of_the_run(world, team) -> None:
    # The form comes pre-filled with every region's blackouts; unticking a region must not
    # make its lines an error.
    response = world.client("admin").post(
        reverse("planner"),
        _form(world, team, regions=[world.region_a.pk], blackouts="PE-UCA 2027-02-01 2027-02-03"),
    )
    assert response.status_code == 302
    run = PlanRun.objects.get()
    assert [r["code"] for r in run.input["regions"]] == [world.region_a.code]
    assert "PE-UCA" not in str(run.input)


def test_a_blackout_of_an_unknown_region_is_refused(world, team) -> None:
    response = _refused(world, team, blackouts="PE-XXX 2027-02-01 2027-02-03")
    assert _field_errors(response, "blackouts")


def test_a_region_the_admin_cannot_see_is_not_offered(world, team) -> None:
    from amparo.territory.models import Region

    page = world.client("admin").get(reverse("planner"))
    offered = set(page.context["form"].fields["regions"].queryset)
    assert offered == set(Region.objects.all())


def test_a_hypothetical_team_alone_makes_a_plan(world, team) -> None:
    response = world.client("admin").post(
        reverse("planner"), _form(world, team, teams=[], extra_teams=1, regions=[world.region_a.pk])
    )
    assert response.status_code == 302
    run = PlanRun.objects.get()
    assert [t["code"] for t in run.input["teams"]] == ["extra-1"]
    assert {e["team"] for e in run.result["events"]} == {"extra-1"}


# --- turning a stored plan into events -----------------------------------------------------


@pytest.fixture
def run(world, playbook, team) -> PlanRun:
    return PlanRun.objects.create(
        playbook=playbook, label="stored", input=STORED_INPUT, result=STORED_RESULT,
        delay_model={"minimum": 0, "most_likely": 1, "maximum": 3, "runs": 500},
    )  # fmt: skip


@pytest.mark.parametrize("role", ["coordinator", "focal", "viewer"])
def test_only_program_admins_turn_a_plan_into_events(world, run, role) -> None:
    assert world.client(role).post(reverse("plan-apply", args=[run.pk])).status_code == 403
    assert not Event.objects.exists()
    run.refresh_from_db()
    assert run.applied_at is None


def test_turning_a_plan_into_events_needs_a_post(world, run) -> None:
    assert world.client("admin").get(reverse("plan-apply", args=[run.pk])).status_code == 405
    assert not Event.objects.exists()


def test_the_admin_is_told_how_many_events_were_planned_and_not_twice(world, run) -> None:
    client = world.client("admin")
    first = client.post(reverse("plan-apply", args=[run.pk]), follow=True)
    assert "Se crearon 4 eventos planificados" in first.text
    assert Event.objects.count() == 4
    second = client.post(reverse("plan-apply", args=[run.pk]), follow=True)
    assert "Este plan ya se convirtió en eventos." in second.text
    assert Event.objects.count() == 4


def test_an_unknown_run_is_not_found(world, run) -> None:
    client = world.client("admin")
    assert client.get(reverse("plan-run", args=[run.pk + 100])).status_code == 404
    assert client.post(reverse("plan-apply", args=[run.pk + 100])).status_code == 404
