"""The disclosure audit page: program admins only, runs in the background, shows the result."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.disclosure import services
from amparo.disclosure.models import AuditRun, AuditState
from amparo.indicators.models import Indicator, Observation


def _data(world) -> None:
    indicator = Indicator.objects.create(
        code="IND-K", name_es="Indicador", name_en="Indicator", level="output", unit="count",
        direction="higher", aggregation="sum", frequency="monthly", is_key=True,
    )  # fmt: skip
    Observation.objects.create(
        indicator=indicator, region=world.region_a, period=date(2027, 1, 1), value=40
    )


def test_only_program_admins_reach_the_page(world) -> None:
    page = reverse("disclosure-audit")
    for role in ("viewer", "coordinator", "focal", "outsider"):
        assert world.client(role).get(page).status_code == 403, role
    run = AuditRun.objects.create(created_by=world.users["admin"], donor=True)
    detail = reverse("disclosure-audit-run", args=[run.pk])
    assert world.client("viewer").get(detail).status_code == 403
    assert world.client(None).get(page).status_code == 302  # to sign in
    response = world.client("admin").get(page)
    assert response.status_code == 200
    assert "Auditoría de confidencialidad" in response.content.decode()  # Spanish by default


def test_the_menu_shows_it_to_program_admins_only(world) -> None:
    page = reverse("disclosure-audit")
    assert page in world.client("admin").get(reverse("ops-status")).content.decode()
    assert page not in world.client("viewer").get(reverse("home")).content.decode()


def test_an_audit_runs_in_the_background_and_shows_its_result(world) -> None:
    _data(world)
    client = world.client("admin")
    response = client.post(
        reverse("disclosure-audit"), {"reader": "role", "role": "viewer", "region": "PE-LOR"}
    )
    run = AuditRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure-audit-run", args=[run.pk])
    # the test settings run tasks at once
    assert run.state == AuditState.DONE and run.result["ok"] is True
    assert (run.role, run.region, run.donor) == ("viewer", "PE-LOR", False)
    page = client.get(response["Location"]).content.decode()
    assert "Ninguna fuga" in page  # Spanish by default
    listing = client.get(reverse("disclosure-audit")).content.decode()
    assert "viewer PE-LOR" in listing


def test_a_running_audit_refreshes_itself_and_a_leak_shows_in_a_table(world) -> None:
    run = AuditRun.objects.create(
        created_by=world.users["admin"],
        username="viewer",
        state=AuditState.RUNNING,
        progress="3/6 dhis2-export",
    )
    client = world.client("admin")
    page = client.get(reverse("disclosure-audit-run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "3/6 dhis2-export" in page
    run.state, run.progress = AuditState.DONE, ""
    run.result = {
        "ok": False, "k": 5, "figures": 9, "outputs": ["api-observations"], "hidden": 1,
        "skipped": {}, "leaks": [{
            "cell": "IND-K · Loreto · 2027-01 · sex=f", "key": [], "low": 2, "high": 2,
            "pinned": True, "relations": ["IND-K Loreto 2027-01: sex"],
            "published": ["IND-K · Loreto · 2027-01 · total: CSV row 2"],
        }],
    }  # fmt: skip
    run.save()
    page = client.get(reverse("disclosure-audit-run", args=[run.pk])).content.decode()
    assert "every 2s" not in page
    assert "IND-K · Loreto · 2027-01 · sex=f" in page and "= 2" in page
    assert "CSV row 2" in page and "<table" in page


def test_the_form_refuses_an_unknown_person(world) -> None:
    response = world.client("admin").post(
        reverse("disclosure-audit"), {"reader": "user", "role": "viewer", "username": "nobody"}
    )
    assert response.status_code == 200 and not AuditRun.objects.exists()


def test_the_page_reads_in_bounded_queries(world, django_assert_max_num_queries) -> None:
    for n in range(30):
        AuditRun.objects.create(created_by=world.users["admin"], username=f"u{n}", state="done",
                                result={"ok": n % 2 == 0, "leaks": [{}] * (n % 2)})  # fmt: skip
    client = world.client("admin")
    client.get(reverse("disclosure-audit"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("disclosure-audit")).content.decode()
    assert page.count("/disclosure-audit/") >= 20


def test_only_the_most_recent_runs_are_kept(world) -> None:
    for _n in range(services.KEPT + 5):
        services.audit_request(by=world.users["admin"], donor=True)
    assert AuditRun.objects.count() == services.KEPT


def test_the_form_names_each_kind_of_reader(world) -> None:
    from amparo.disclosure.forms import ReaderForm

    cases = [
        ({"reader": "donor", "role": "viewer"}, {"donor": True}),
        ({"reader": "user", "role": "viewer", "username": "viewer"}, {"username": "viewer"}),
        ({"reader": "role", "role": "viewer", "region": "PE-UCA"},
         {"role": "viewer", "region": "PE-UCA"}),
        ({"reader": "role", "role": "coordinator"}, {"role": "coordinator", "region": ""}),
    ]  # fmt: skip
    for data, expected in cases:
        form = ReaderForm(data)
        assert form.is_valid(), form.errors
        assert form.reader_kwargs() == expected
    assert not ReaderForm({"reader": "role", "role": "king"}).is_valid()


def test_an_audit_that_cannot_run_says_so(world, monkeypatch) -> None:
    from amparo.disclosure import checks

    def broken(**_kwargs):
        raise RuntimeError("the solver gave up")

    monkeypatch.setattr(checks, "check", broken)
    run = services.audit_request(by=world.users["admin"], role="viewer")
    with pytest.raises(RuntimeError):
        services.audit_run(run=run)
    run.refresh_from_db()
    assert run.state == AuditState.FAILED
    assert run.progress == "RuntimeError: the solver gave up"
    page = world.client("admin").get(reverse("disclosure-audit-run", args=[run.pk]))
    assert "the solver gave up" in page.content.decode()


def test_an_audit_of_a_donor_report_is_kept_with_its_result(world) -> None:
    _data(world)
    run = services.audit_run(run=services.audit_request(by=world.users["admin"], donor=True))
    assert run.state == AuditState.DONE and run.progress == ""
    assert run.result["ok"] is True and run.result["k"] == 11
    assert run.result["outputs"] == ["report-xlsx", "report-pdf"]
    assert run.reader_label in ("donors and public", "donantes y público")
