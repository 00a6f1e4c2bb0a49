"""Background work of the rollout planner: a plan takes up to its time limit, so the page
shows progress while a worker (``amparo db_worker``) plans it, outside any request."""

from __future__ import annotations

from django_tasks import task

from amparo.rollout import planning


@task()
def run_plan(run_id: int) -> None:
    planning.plan_run_execute(run_id=run_id)
