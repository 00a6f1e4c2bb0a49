"""The program team runs amparo alone, in a real browser on a phone-sized screen: a new
program admin, signed in for the first time (password and second factor), invites a
coordinator for Ucayali; sets up a delivery team, travel times and a blackout; imports 40
churches from a spreadsheet built from the downloaded template; edits a questionnaire
question and sees the new form version; plans the rollout and turns the plan into events.
The coordinator then accepts the invitation and signs in. No page under ``/admin/`` is
ever requested."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

from amparo.accounts.models import Invitation, Membership, Role
from amparo.conftest import browser_login
from amparo.questionnaires.models import Question
from amparo.rollout.models import Blackout, Event, PlanRun, Team, TravelTime
from amparo.territory.models import Organization
from amparo.territory.organization_import import header_fields

pytestmark = pytest.mark.browser

PASSWORD = "Selva-Clara-2026"
COORDINATOR = "lucia.coord@example.org"


def _church_row(header: list[str], i: int) -> list[str]:
    """One church in the template's own column order (columns it does not fill stay empty)."""
    values = {
        "kind": "Iglesia",
        "name": f"Iglesia Evangélica {i:02d}",
        "city": "Iquitos" if i % 2 else "Nauta",
        "parent": "Fraternidad de Pastores de Loreto",
        "contact_name": f"Pastor {i:02d}",
        "contact_position": "Pastor principal",
        "contact_email": f"pastor{i:02d}@iglesias.example.org",
        "contact_phone": f"+51 965 000 {i:03d}",
    }
    fields = header_fields(header)
    return [values.get(fields.get(column), "") for column in range(len(header))]


def _spreadsheet(template: bytes, count: int) -> bytes:
    header = [c.value for c in load_workbook(io.BytesIO(template)).worksheets[0][1]]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for i in range(1, count + 1):
        sheet.append(_church_row(header, i))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_program_team_runs_amparo_without_the_admin_site(
    browser_page, world, starter_catalog, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    visited: list[str] = []
    page.on("request", lambda request: visited.append(urlsplit(request.url).path))
    Organization.objects.create(
        name="Fraternidad de Pastores de Loreto", kind="fraternity", region=world.region_a
    )

    # First sign-in of the program admin: password, then the authenticator's code.
    browser_login(page, "admin")

    # Invite a coordinator for Ucayali from the people page.
    page.goto(page.base_url + "/accounts/people/")
    page.click("a[href='/accounts/invitations/new/']")
    page.fill("#id_email", COORDINATOR)
    page.fill("#id_first_name", "Lucía")
    page.fill("#id_last_name", "Vela")
    page.select_option("#id_role", Role.COORDINATOR)
    page.select_option("#id_region", str(world.region_b.pk))
    with page.expect_navigation():
        page.press("#id_last_name", "Enter")
    assert COORDINATOR in page.inner_text(".messages")
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == [COORDINATOR]

    # A delivery team able to deliver every stage, based in Loreto.
    page.goto(page.base_url + "/church-track/settings/")
    page.click('main a[href="/church-track/teams/"]')
    page.click('main a[href="/church-track/teams/new/"]')
    page.fill("#id_code", "norte")
    page.fill("#id_name", "Equipo norte")
    for box in page.locator("input[name=stages]").all():
        box.check()
    page.select_option("#id_home_region", label="Loreto")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=Equipo guardado.")
    assert Team.objects.get(code="norte").stages.count() > 0

    # Travel times, by keyboard.
    page.goto(page.base_url + "/church-track/travel-times/")
    page.focus("#d-PE-LOR-PE-UCA")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tiempos de viaje guardados: 2.")
    assert sorted(TravelTime.objects.values_list("days", flat=True)) == [4, 4]

    # A blackout for Loreto's rainy season, every year.
    page.goto(page.base_url + "/regions/PE-LOR/blackouts/new/")
    page.fill("#id_first_day", "2027-01-15")
    page.fill("#id_last_day", "2027-03-31")
    page.select_option("#id_kind", "rainy_season")
    page.check("#id_every_year")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("table.month-calendar td.blackout")
    assert Blackout.objects.get().region == world.region_a

    # 40 churches from a spreadsheet made from the downloaded template's headers.
    page.goto(page.base_url + "/regions/PE-LOR/")
    page.click("a[href='/regions/PE-LOR/organizations/import/']")
    template = page.request.get(page.base_url + "/regions/PE-LOR/organizations/import/template/")
    assert template.ok
    spreadsheet = tmp_path / "iglesias.xlsx"
    spreadsheet.write_bytes(_spreadsheet(template.body(), 40))
    page.set_input_files("#id_file", str(spreadsheet))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Importar 40 filas" in page.inner_text("main")
    with page.expect_navigation():
        page.click("#confirm-form button[type=submit]")
    page.wait_for_selector("text=Importado")
    assert Organization.objects.filter(kind="church", region=world.region_a).count() == 40

    # A questionnaire question edited: the new form version is shown.
    question = Question.objects.filter(questionnaire__code="Q-TUR").order_by("order").first()
    page.goto(page.base_url + "/questionnaires/")
    page.click("a[href='/questionnaires/Q-TUR/']")
    page.click(f"a[href='/questionnaires/Q-TUR/questions/{question.pk}/edit/']")
    page.fill("#id_label_en", "How many lodging inspections were there this year?")
    with page.expect_navigation():
        page.press("#id_label_en", "Enter")
    assert "Versión 2 del formulario" in page.inner_text("main")

    # The planner reads the team, travel times and blackout; the plan becomes events.
    page.goto(page.base_url + "/planner/")
    assert "1 equipo" in page.locator(".planner-uses").inner_text()
    for region in (world.region_a, world.region_b):
        page.check(f"input[name=regions][value='{region.pk}']")
    page.fill("#id_time_limit_s", "2")
    with page.expect_navigation(url=re.compile(r"/planner/runs/\d+/$")):
        page.click("main form button[type=submit]")
    run = PlanRun.objects.get()
    page.wait_for_selector("form[action$='/apply/'] button[type=submit]")
    with page.expect_navigation():
        page.click("form[action$='/apply/'] button[type=submit]")
    assert "eventos planificados" in page.inner_text(".messages")
    run.refresh_from_db()
    assert run.applied_at is not None
    planned = Event.objects.filter(status="planned")
    assert {e.rollout.region.code for e in planned.select_related("rollout__region")} == {
        "PE-LOR",
        "PE-UCA",
    }

    # The coordinator accepts the invitation and signs in, seeing Ucayali only.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.goto(link)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    with page.expect_navigation(url="**/accounts/login/"):
        page.press("#id_new_password2", "Enter")
    page.fill("#id_username", COORDINATOR)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(url=page.base_url + "/"):
        page.press("#id_password", "Enter")
    assert page.locator("a[href='/regions/PE-UCA/']").count() >= 1
    assert page.locator("a[href='/regions/PE-LOR/']").count() == 0
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert list(Membership.objects.filter(user=invitation.user).values_list("role", "region")) == [
        (Role.COORDINATOR, world.region_b.pk)
    ]

    assert visited and not [path for path in visited if path.startswith("/admin/")]
