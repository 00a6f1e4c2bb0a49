"""In a real browser on a phone-sized screen, by keyboard: a program admin edits a
questionnaire question and sees the new form version; a coordinator imports 40 churches
from a spreadsheet."""

from __future__ import annotations

import pytest

from amparo.conftest import browser_login
from amparo.questionnaires.models import Question
from amparo.territory.models import Organization
from amparo.territory.tests.test_organization_import import churches, xlsx

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_question_edited_on_a_phone_becomes_a_new_form_version(
    browser_page, world, starter_catalog
):
    page = browser_page
    question = Question.objects.filter(questionnaire__code="Q-TUR").order_by("order").first()
    browser_login(page, "admin")
    page.goto(page.base_url + "/questionnaires/")
    with page.expect_navigation():
        page.click("a[href='/questionnaires/Q-TUR/']")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    with page.expect_navigation():
        page.click(f"a[href='/questionnaires/Q-TUR/questions/{question.pk}/edit/']")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.fill("#id_label_en", "How many lodging inspections were there this year?")
    with page.expect_navigation():
        page.press("#id_label_en", "Enter")
    assert "Versión 2 del formulario" in page.inner_text("main")
    assert "label_en" in page.inner_text("main")
    with page.expect_navigation():
        page.click("a[href='/questionnaires/Q-TUR/preview/']")
    assert "How many lodging inspections were there this year?" in page.inner_text("main")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_a_coordinator_imports_40_churches_on_a_phone(browser_page, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    Organization.objects.create(
        name="Fraternidad de Pastores de Loreto", kind="fraternity", region=world.region_a
    )
    spreadsheet = tmp_path / "iglesias.xlsx"
    spreadsheet.write_bytes(xlsx(churches(40)))
    browser_login(page, "coordinator")
    page.goto(page.base_url + "/regions/PE-LOR/")
    with page.expect_navigation():
        page.click("a[href='/regions/PE-LOR/organizations/import/']")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.set_input_files("#id_file", str(spreadsheet))
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Importar 40 filas" in page.inner_text("main")
    page.locator("#confirm-form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("text=Importado")
    assert Organization.objects.filter(kind="church", region=world.region_a).count() == 40
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_editor_and_import_pages_have_no_serious_accessibility_problem(
    browser_page, world, starter_catalog, tmp_path, settings
):
    from axe_playwright_python.sync_playwright import Axe

    from amparo.imports.models import ImportJob
    from amparo.tests.test_accessibility import _blocking_problems

    settings.MEDIA_ROOT = tmp_path
    page, axe = browser_page, Axe()
    question = Question.objects.filter(questionnaire__code="Q-TUR").first()
    job = ImportJob.objects.create(
        kind="organizations",
        region=world.region_a,
        original_name="o.xlsx",
        status="ready",
        rows_read=2,
        rows_valid=2,
        rows_already=1,
        problem_count=1,
        problems=[[3, "nombre", "likely_duplicate", "IGLESIA A ≈ Iglesia A"]],
    )
    browser_login(page, "admin")
    problems = []
    for path in (
        "/questionnaires/",
        "/questionnaires/Q-TUR/",
        f"/questionnaires/Q-TUR/questions/{question.pk}/edit/",
        "/questionnaires/Q-TUR/preview/",
        "/regions/PE-LOR/organizations/import/",
        f"/regions/PE-LOR/organizations/import/{job.pk}/",
    ):
        problems += _blocking_problems(page, axe, path)
    assert not problems, "\n".join(problems)
