"""A plan in the background: the run's states (queued, running, done, failed, cancelled),
its live progress, cancelling, a worker that died, and ``amparo plan``'s progress."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from amparo.rollout import planning, tasks
from amparo.rollout.delays import DelayModel
from amparo.rollout.models import PlanRun, PlanRunState, Team
from amparo.rollout.tests.planner_cases import EXAMPLE, STORED_INPUT, STORED_RESULT
from amparo.rollout.tests.test_planner_pages import _form
from amparo.tests.queries import page_queries


def _queued(world, playbook, **change) -> PlanRun:
    run = planning.plan_run_queue(
        by=world.users["admin"],
        playbook=playbook,
        raw_input=STORED_INPUT,
        delay_model=DelayModel(0, 1, 3),
        label="queued",
    )
    if change:
        PlanRun.objects.filter(pk=run.pk).update(**change)
        run.refresh_from_db()
    return run


def _page(world, run, **headers):
    return world.client("admin").get(reverse("plan-run", args=[run.pk]), **headers)


@pytest.fixture
def no_worker(monkeypatch):
    """The queue keeps the task for a worker that has not come yet."""
    waiting = []
    monkeypatch.setattr(planning, "plan_run_execute", lambda run_id: waiting.append(run_id))
    return waiting


def test_the_planner_page_only_queues_the_plan_and_sends_to_its_page(
    world, playbook, stages, no_worker
) -> None:
    team = Team.objects.create(code="A", name="Equipo A")
    team.stages.set(stages.values())
    response = world.client("admin").post(reverse("planner"), _form(world, [team]))
    run = PlanRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("plan-run", args=[run.pk])
    assert no_worker == [run.pk]
    assert run.state == PlanRunState.QUEUED and run.result == {}
    assert run.delay_model == {"minimum": 0, "most_likely": 1, "maximum": 3, "runs": 500}


def test_a_queued_run_page_polls_and_offers_cancel(world, playbook) -> None:
    run = _queued(world, playbook)
    page = _page(world, run).text
    assert "Esperando a un trabajador" in page
    assert 'hx-trigger="every 2s"' in page and 'hx-select="#live"' in page
    assert "Actualizar ahora" in page  # the link for those without JavaScript
    assert reverse("plan-cancel", args=[run.pk]) in page
    assert reverse("plan-apply", args=[run.pk]) not in page


def test_a_running_run_shows_the_best_finish_and_bound_so_far(world, playbook) -> None:
    run = _queued(world, playbook, state=PlanRunState.RUNNING,
                  best_finish=date(2027, 1, 25), proven_bound=date(2027, 1, 16),
                  heartbeat_at=timezone.now())  # fmt: skip
    response = _page(world, run, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in response  # still running: only the progress is swapped
    page = response.text
    assert "Planificando" in page
    assert "2027-01-25" in page and "2027-01-16" in page
    assert 'hx-trigger="every 2s"' in page


def test_a_finished_run_stops_the_polling_and_reloads_the_whole_page(world, playbook) -> None:
    run = _queued(world, playbook)
    tasks.run_plan.enqueue(run.pk)  # the test queue runs it at once
    run.refresh_from_db()
    assert run.state == PlanRunState.DONE
    response = _page(world, run, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    page = _page(world, run).text
    assert 'hx-trigger="every 2s"' not in page
    assert "<svg" in page and run.result["finish"] in page
    assert reverse("plan-apply", args=[run.pk]) in page
    assert run.best_finish.isoformat() == run.result["finish"]
    assert run.proven_bound.isoformat() == run.result["lower_bound"]
    assert run.started_at <= run.finished_at
    assert run.p50_finish <= run.p90_finish


def test_the_run_page_in_english(world, playbook) -> None:
    run = _queued(world, playbook)
    client = world.client("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("plan-run", args=[run.pk])).text
    assert "Waiting for a worker" in page and "Refresh now" in page and ">Cancel<" in page


def test_cancelling_a_queued_run_ends_it_before_a_worker_takes_it(world, playbook) -> None:
    run = _queued(world, playbook)
    client = world.client("admin")
    response = client.post(reverse("plan-cancel", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == PlanRunState.CANCELLED and run.finished_at
    planning.plan_run_execute(run_id=run.pk)  # the worker comes later: nothing to do
    run.refresh_from_db()
    assert run.state == PlanRunState.CANCELLED and run.result == {}
    page = client.get(reverse("plan-run", args=[run.pk])).text
    assert "Cancelado antes de que un trabajador lo empezara" in page
    assert 'hx-trigger="every 2s"' not in page


def test_cancelling_a_running_run_keeps_the_best_schedule_found(world, playbook) -> None:
    run = _queued(world, playbook, state=PlanRunState.RUNNING, heartbeat_at=timezone.now())
    client = world.client("admin")
    page = client.post(reverse("plan-cancel", args=[run.pk]), follow=True).text
    assert "el plan guarda el mejor calendario encontrado" in page
    run.refresh_from_db()
    assert run.state == PlanRunState.RUNNING and run.cancel_requested
    # The worker that runs it sees the request between its steps.
    PlanRun.objects.filter(pk=run.pk).update(state=PlanRunState.QUEUED)
    planning.plan_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == PlanRunState.CANCELLED
    assert len(run.result["events"]) == 4  # a valid schedule for every event
    page = client.get(reverse("plan-run", args=[run.pk])).text
    assert "Cancelado: este es el mejor calendario encontrado" in page
    assert reverse("plan-apply", args=[run.pk]) not in page
    with pytest.raises(ValidationError):
        planning.plan_apply(run=run, by=world.users["admin"])


def test_a_finished_run_is_not_cancelled(world, playbook) -> None:
    run = _queued(world, playbook)
    planning.plan_run_execute(run_id=run.pk)
    world.client("admin").post(reverse("plan-cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == PlanRunState.DONE and not run.cancel_requested


def test_a_planner_error_fails_the_run_with_a_reason(world, playbook, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(planning.planner, "plan_rollout", broken)
    run = _queued(world, playbook)
    planning.plan_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == PlanRunState.FAILED and run.result == {}
    page = _page(world, run).text
    assert "El planificador se detuvo con un error." in page
    assert 'hx-trigger="every 2s"' not in page


def test_a_run_left_running_by_a_dead_worker_fails_when_read(world, playbook) -> None:
    old = timezone.now() - planning.STALE_AFTER - timedelta(seconds=1)
    run = _queued(world, playbook, state=PlanRunState.RUNNING, started_at=old, heartbeat_at=old)
    page = _page(world, run).text
    run.refresh_from_db()
    assert run.state == PlanRunState.FAILED
    assert "El trabajador que lo planificaba dejó de responder." in page
    recent = timezone.now() - planning.STALE_AFTER + timedelta(seconds=30)
    alive = _queued(world, playbook, state=PlanRunState.RUNNING, heartbeat_at=recent)
    _page(world, alive)
    alive.refresh_from_db()
    assert alive.state == PlanRunState.RUNNING


def test_progress_is_written_to_the_run_at_most_every_second(world, playbook, monkeypatch) -> None:
    run = _queued(world, playbook)
    clock = [100.0]
    monkeypatch.setattr(planning.time, "monotonic", lambda: clock[0])
    watch = planning._Watch(run.pk)
    watch.progress(date(2027, 2, 1), date(2027, 1, 10))
    run.refresh_from_db()
    assert (run.best_finish, run.proven_bound) == (date(2027, 2, 1), date(2027, 1, 10))
    clock[0] += 0.2
    watch.progress(date(2027, 1, 30), date(2027, 1, 11))  # too soon: held back
    run.refresh_from_db()
    assert run.best_finish == date(2027, 2, 1)
    clock[0] += 1.0
    assert watch.should_stop() is False  # asks, and writes what was held back
    run.refresh_from_db()
    assert (run.best_finish, run.proven_bound) == (date(2027, 1, 30), date(2027, 1, 11))
    PlanRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    clock[0] += 0.1
    assert watch.should_stop() is False  # not asked again so soon
    clock[0] += 1.0
    assert watch.should_stop() is True and watch.should_stop() is True


def test_the_worker_plans_with_progress_outside_a_transaction(world, playbook, monkeypatch):
    heard = []
    real = planning.planner.plan_rollout

    def spy(plan, **hooks):
        heard.append(sorted(hooks))
        return real(plan, **hooks)

    monkeypatch.setattr(planning.planner, "plan_rollout", spy)
    run = _queued(world, playbook)
    planning.plan_run_execute(run_id=run.pk)
    assert heard == [["progress", "should_stop"]]
    planning.plan_run_execute(run_id=run.pk)  # taken already: not planned twice
    assert len(heard) == 1


def test_bad_input_is_refused_before_anything_is_queued(world, playbook) -> None:
    with pytest.raises(ValidationError):
        planning.plan_run_queue(
            by=world.users["admin"], playbook=playbook,
            raw_input={**STORED_INPUT, "regions": []}, delay_model=DelayModel(0, 1, 3),
        )  # fmt: skip
    assert not PlanRun.objects.exists()


def test_run_pages_cost_the_same_queries_in_every_state(world, playbook) -> None:
    client = world.client("admin")
    queued = _queued(world, playbook)
    url = reverse("plan-run", args=[queued.pk])
    few = page_queries(client, url)
    for _ in range(5):
        _queued(world, playbook)
    assert page_queries(client, url) == few


def test_only_program_admins_cancel(world, playbook) -> None:
    run = _queued(world, playbook)
    for role in ("coordinator", "focal", "viewer", "outsider"):
        response = world.client(role).post(reverse("plan-cancel", args=[run.pk]))
        assert response.status_code == 403
    assert world.client("admin").get(reverse("plan-cancel", args=[run.pk])).status_code == 405
    run.refresh_from_db()
    assert run.state == PlanRunState.QUEUED


def test_the_command_prints_progress_on_stderr_and_json_alone_on_stdout(tmp_path) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(EXAMPLE))
    out, err = StringIO(), StringIO()
    call_command("plan", input=str(source), json=True, stdout=out, stderr=err)
    printed = json.loads(out.getvalue())
    assert "best finish so far" in err.getvalue()
    assert f"best finish so far {printed['finish']}" in err.getvalue()


def test_a_done_run_says_why_it_finishes_then_in_the_readers_language(world, playbook) -> None:
    run = _queued(world, playbook)
    planning.plan_run_execute(run_id=run.pk)
    client = world.client("admin")
    page = client.get(reverse("plan-run", args=[run.pk])).text
    why = page.split('id="why-heading"')[1].split("</section>")[0]
    assert "Por qué termina entonces" in page
    assert "El plan termina cuando" in why and ("Loreto" in why or "Ucayali" in why)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("plan-run", args=[run.pk])).text
    assert "Why it finishes then" in page and "The plan ends when" in page


def test_a_run_whose_input_no_longer_reads_has_no_explanation(world, playbook) -> None:
    run = _queued(world, playbook)
    planning.plan_run_execute(run_id=run.pk)
    PlanRun.objects.filter(pk=run.pk).update(input={**STORED_INPUT, "regions": []})
    response = _page(world, run)
    assert response.status_code == 200 and response.context["why"] == []
    assert 'id="why-heading"' not in response.text


BLOCKED_INPUT = {
    "start": "2027-01-04",
    "regions": [{"code": "PE-LOR", "earliest": "2027-01-04", "blackouts": [], "done": []},
                {"code": "PE-UCA", "earliest": "2027-01-04",
                 "blackouts": [["2027-01-05", "2027-01-24"]], "done": []}],
    "stages": [{"code": "reuniones", "days": 2, "after": [], "min_gap_days": 0}],
    "teams": [{"code": "A", "stages": ["reuniones"]}],
    "travel_days": {"PE-LOR": {"PE-UCA": 1}},
    "time_limit_s": 1,
}  # fmt: skip


def _blocked_run(world, playbook) -> PlanRun:
    run = planning.plan_run_queue(
        by=world.users["admin"], playbook=playbook, raw_input=BLOCKED_INPUT,
        delay_model=DelayModel(0, 1, 3), label="blocked",
    )  # fmt: skip
    return planning.plan_run_execute(run_id=run.pk)


def test_a_done_run_ranks_what_would_help_and_each_is_one_click_away(world, playbook) -> None:
    run = _blocked_run(world, playbook)
    assert run.result["finish"] == "2027-01-27"  # Ucayali from 2027-01-25
    assert run.result["what_ifs"] == [{
        "kind": "no_blackout", "region": "PE-UCA", "blackout": ["2027-01-05", "2027-01-24"],
        "finish": "2027-01-09", "days_earlier": 18,
    }]  # fmt: skip
    client = world.client("admin")
    page = client.get(reverse("plan-run", args=[run.pk])).text
    helps = page.split('id="whatif-heading"')[1].split("</section>")[0]
    assert "Levantar el bloqueo de Ucayali del 2027-01-05 al 2027-01-24" in helps
    assert "18 días antes" in helps and "2027-01-09" in helps
    link = f"{reverse('planner')}?from={run.pk}&amp;whatif=0"
    assert link in helps
    form = client.get(f"{reverse('planner')}?from={run.pk}&whatif=0")
    assert form.context["form"].initial["blackouts"] == ""
    assert "sin el bloqueo de PE-UCA" in form.context["form"].initial["label"]


def test_the_api_and_command_contract_has_no_what_ifs(world, playbook) -> None:
    run = _blocked_run(world, playbook)
    assert run.plan_result.finish.isoformat() == run.result["finish"]  # extra key ignored
    answer = (
        world.client("admin")
        .post("/api/v1/plans", BLOCKED_INPUT, content_type="application/json")
        .json()
    )
    assert "what_ifs" not in answer and answer["finish"] == "2027-01-27"


def test_one_more_team_is_prefilled_as_an_extra_team(world, playbook) -> None:
    run = _queued(world, playbook)
    more = {"kind": "extra_team", "region": "", "blackout": None, "finish": "2027-01-15",
            "days_earlier": 6}  # fmt: skip
    PlanRun.objects.filter(pk=run.pk).update(
        state=PlanRunState.DONE, result={**STORED_RESULT, "what_ifs": [more]}
    )
    client = world.client("admin")
    page = client.get(reverse("plan-run", args=[run.pk])).text
    assert "Un equipo más capaz de realizar todas las etapas" in page and "6 días antes" in page
    initial = client.get(f"{reverse('planner')}?from={run.pk}&whatif=0").context["form"].initial
    assert initial["extra_teams"] == 1 and initial["label"].startswith("+1 equipo")
    for wrong in ("1", "x", ""):
        initial = client.get(f"{reverse('planner')}?from={run.pk}&whatif={wrong}")
        assert initial.context["form"].initial["extra_teams"] == 0


def test_a_cancelled_run_tries_no_what_ifs(world, playbook) -> None:
    run = _queued(world, playbook, cancel_requested=True)
    planning.plan_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == PlanRunState.CANCELLED and run.result["what_ifs"] == []


def test_a_plan_no_worker_takes_says_so_after_a_minute(world, playbook) -> None:
    run = _queued(world, playbook)
    assert "Ningún trabajador ha tomado este plan" not in _page(world, run).text
    PlanRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - planning.NO_WORKER_AFTER - timedelta(seconds=1)
    )
    page = _page(world, run).text
    assert "Ningún trabajador ha tomado este plan todavía" in page
    assert 'hx-trigger="every 2s"' in page  # it still waits for one
