"""A plan run's page in a real browser on a phone: live progress without reloading, and
cancelling by keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from amparo.conftest import browser_login
from amparo.rollout import planning
from amparo.rollout.delays import DelayModel
from amparo.rollout.models import PlanRun, PlanRunState
from amparo.rollout.tests.planner_cases import STORED_INPUT

pytestmark = pytest.mark.browser


def test_progress_shows_live_and_cancel_works_by_keyboard_on_a_phone(
    browser_page, world, playbook
) -> None:
    page = browser_page
    run = planning.plan_run_queue(
        by=world.users["admin"], playbook=playbook, raw_input=STORED_INPUT,
        delay_model=DelayModel(0, 1, 3),
    )  # fmt: skip
    browser_login(page, "admin")
    page.goto(f"{page.base_url}/planner/runs/{run.pk}/")
    assert "Esperando a un trabajador" in page.inner_text("#live")
    # A worker takes it and finds a schedule: the page shows it without being reloaded.
    PlanRun.objects.filter(pk=run.pk).update(
        state=PlanRunState.RUNNING, best_finish=date(2027, 1, 25),
        proven_bound=date(2027, 1, 16), heartbeat_at=timezone.now(),
    )  # fmt: skip
    page.wait_for_selector("#live >> text=2027-01-25", timeout=8000)
    assert "Planificando" in page.inner_text("#live")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.focus("#live form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "el plan guarda el mejor calendario" in page.inner_text("body")
    run.refresh_from_db()
    assert run.cancel_requested
