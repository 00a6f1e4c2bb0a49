"""axe-core on the main pages, in Spanish and on a phone-sized screen, over the demo data
(every track filled in): no problem of serious or critical impact."""

from __future__ import annotations

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db.models import F

from amparo.accounts.models import User
from amparo.assessment.models import Assessment
from amparo.conftest import browser_login
from amparo.mitigation.models import Measure
from amparo.rollout.models import Rollout

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def _blocking_problems(page, axe: Axe, path: str | None) -> list[str]:
    """axe's serious and critical findings on ``path``, or on the page as it is (None)."""
    if path is not None:
        page.goto(page.base_url + path)
    path = path or page.url
    assert page.locator("html").get_attribute("lang") == "es", path
    # page.evaluate runs through the DevTools protocol, which the page's Content Security
    # Policy does not govern, so axe runs on the page exactly as served (no bypass_csp).
    results = axe.run(page).response
    assert results["testEngine"]["name"] == "axe-core"
    return [
        f"{path}: {v['id']} ({v['impact']}) at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def test_the_main_pages_have_no_serious_accessibility_problem(browser_page, media_root):
    call_command("demo", allow_production=True, stdout=StringIO())
    page, axe = browser_page, Axe()
    rollout = Rollout.objects.get(region__code="PE-LOR")
    assessment = Assessment.objects.filter(region__code="PE-LOR").latest("number")
    finding = assessment.findings.order_by("pk").first()
    measure = Measure.objects.filter(region__code="PE-LOR").order_by("pk").first()
    round_url = f"/regions/PE-LOR/assessments/{assessment.pk}/"
    coordinator = User.objects.get(username="demo-coordinador")

    problems = _blocking_problems(page, axe, "/accounts/login/")
    problems += _blocking_problems(page, axe, "/accounts/password/reset/")
    browser_login(page, "demo-admin", "amparo-demo")
    for path in (
        "/",
        "/regions/PE-LOR/",
        f"/regions/PE-LOR/rollouts/{rollout.pk}/",
        round_url,
        round_url + "heatmap/",
        round_url + f"findings/{finding.pk}/",
        round_url + "findings/new/",
        f"/regions/PE-LOR/measures/{measure.pk}/",
        f"/regions/PE-LOR/measures/{measure.pk}/edit/",
        "/regions/PE-LOR/dashboard/",
        "/dashboard/",
        "/regions/PE-LOR/indicators/entry/",
        "/program/",
        "/planner/",
        "/partnerships/",
        "/regions/PE-LOR/meetings/",
        "/regions/PE-LOR/reports/",
        "/accounts/audit/",
        "/accounts/security/",
        "/accounts/two-factor/recovery-codes/",
        "/accounts/two-factor/setup/",
        "/accounts/people/",
        f"/accounts/people/{coordinator.pk}/",
        f"/accounts/people/{coordinator.pk}/two-factor-reset/",
        "/accounts/invitations/new/",
    ):
        problems += _blocking_problems(page, axe, path)
    # The conflict page: someone else saves the measure while this form is open.
    page.goto(page.base_url + f"/regions/PE-LOR/measures/{measure.pk}/edit/")
    Measure.objects.filter(pk=measure.pk).update(version=F("version") + 1)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector(".conflict-table")
    problems += _blocking_problems(page, axe, None)
    page.context.clear_cookies()
    browser_login(page, "demo-coordinador", "amparo-demo")  # the owner of the demo tasks
    page.goto(page.base_url + "/my/tasks/")
    assert page.locator("main tbody tr").count() > 0
    problems += _blocking_problems(page, axe, "/my/tasks/")
    assert problems == []
