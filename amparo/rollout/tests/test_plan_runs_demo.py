"""A background plan on the demo data: it finishes, says why it finishes then, and offers
what-ifs that each finish earlier."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from amparo.rollout import planning
from amparo.rollout.delays import DelayModel
from amparo.rollout.models import Blackout, PlanRunState, Playbook, Team
from amparo.territory.models import Region


def _demo_blackouts() -> dict[str, list[tuple[date, date]]]:
    found: dict[str, list[tuple[date, date]]] = {}
    for b in Blackout.objects.select_related("region"):
        found.setdefault(b.region.code, []).append((b.first_day, b.last_day))
    return found


def test_a_background_plan_of_the_demo_is_explained(world, settings) -> None:
    settings.DEBUG = True  # the demo refuses to create its users otherwise
    call_command("demo", stdout=StringIO())
    playbook = Playbook.objects.get(code="iglesias")
    regions = list(Region.objects.filter(code__in=["PE-LOR", "PE-UCA", "PE-SAM", "PE-AMA"]))
    raw = planning.planner_input(
        playbook=playbook, regions=regions,
        teams=list(Team.objects.filter(is_demo=True).prefetch_related("stages")),
        extra_teams=0, start=date(2027, 1, 4),
        blackouts=_demo_blackouts(), time_limit_s=2,
    )  # fmt: skip
    run = planning.plan_run_queue(
        by=world.users["admin"], playbook=playbook, raw_input=raw,
        delay_model=DelayModel(0, 1, 3), label="demo",
    )  # fmt: skip
    run = planning.plan_run_execute(run_id=run.pk)
    assert run.state == PlanRunState.DONE and run.result["events"]
    assert all(w.finish < run.plan_result.finish for w in run.what_ifs)
    days = [w.days_earlier for w in run.what_ifs]
    assert days == sorted(days, reverse=True)
    response = world.client("admin").get(reverse("plan-run", args=[run.pk]))
    why = response.context["why"]
    assert why[0].startswith("El plan termina cuando") and len(why) >= 2
