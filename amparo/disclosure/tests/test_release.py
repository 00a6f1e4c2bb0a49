"""One protection per reader, every output: the same cells are hidden on the page, in the
CSV, the workbook, the API and the PDF's content; no hidden cell follows from the totals
(checked with the audit); outputs for donors or the public use the public k whoever asks;
readers of a region's details see it all; the protection is worked out once per data."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from amparo.api.tests.conftest import bearer
from amparo.disclosure import worker_protection
from amparo.disclosure.audit import audit
from amparo.disclosure.counted import counts_table
from amparo.disclosure.release import (
    MARKER,
    audience_for,
    public_audience,
    release_for,
    release_of,
)
from amparo.indicators.models import Indicator, Observation
from amparo.territory.models import Region

CODE = "T-VICT"
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
# Victims identified in Loreto in January, by sex and age band: the 0-9 cells are small.
SEX_BY_AGE = {
    "": 30,
    "sex=f": 12,
    "sex=m": 18,
    "age=0-9": 3,
    "age=10-17": 27,
    "age=0-9;sex=f": 2,
    "age=0-9;sex=m": 1,
    "age=10-17;sex=f": 10,
    "age=10-17;sex=m": 17,
}


@pytest.fixture
def victims(world) -> Indicator:
    indicator = Indicator.objects.create(
        code=CODE,
        name_es="Víctimas identificadas",
        name_en="Victims identified",
        level="outcome",
        unit="count",
        direction="lower",
        aggregation="sum",
        frequency="monthly",
        disaggregations=["sex", "age"],
        is_key=True,
    )
    for group, value in SEX_BY_AGE.items():
        Observation.objects.create(
            indicator=indicator,
            region=world.region_a,
            period=JAN,
            disaggregation=group,
            value=value,
        )
    Observation.objects.create(indicator=indicator, region=world.region_a, period=FEB, value=4)
    return indicator


def _cell(period: str, group: str = "") -> tuple[str, ...]:
    return ("obs", CODE, "PE-LOR", period, group)


def _api_hidden(world, role: str) -> set[tuple[str, str]]:
    rows = bearer(world, role).get(f"/api/v1/observations?region=PE-LOR&indicator={CODE}")
    items = rows.json()["items"]
    assert all(r["hidden"] == r["suppressed"] == (r["value"] is None) for r in items)
    return {(r["period"][:7], r["disaggregation"]) for r in items if r["hidden"]}


def _workbook_hidden(world, role: str) -> set[tuple[str, str]]:
    from amparo.reports import render

    book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(
                Region.objects.filter(pk=world.region_a.pk),
                user=world.users[role],
                lang="en",
                donor=False,
            )
        )
    )
    rows = [[c.value for c in row] for row in book["Observations"].iter_rows(min_row=2)]
    return {(str(r[2])[:7], r[3] or "") for r in rows if r[4] == MARKER}


def _csv_hidden(world, role: str) -> set[str]:
    response = world.client(role).get(reverse("indicators-csv", args=["PE-LOR"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {r[2][:7] for r in rows[1:] if r[0] == CODE and r[3] == MARKER}


def _page_hidden(world, role: str) -> tuple[set[str], object]:
    page = world.client(role).get(reverse("region-indicators", args=["PE-LOR"]))
    view = next(v for v, _c in page.context["charts"] if v.indicator.code == CODE)
    return {f"{p:%Y-%m}" for p in view.hidden_periods}, view.current


def _pdf_hidden(world, role: str) -> tuple[set[str], object]:
    from amparo.reports.content import executive_summary

    summary = executive_summary(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users[role],
        donor=False,
        since=None,
    )
    view = next(v for v, _c in summary.charts if v.indicator.code == CODE)
    return {f"{p:%Y-%m}" for p in view.hidden_periods}, view.current


def test_a_viewer_sees_the_same_cells_hidden_in_every_output(world, victims) -> None:
    hidden = release_of(world.users["viewer"]).hidden
    expected = {  # the months (the workbook and the API list observations, not years)
        (c[3], c[4]) for c in hidden if c[1] == CODE and c[2] == "PE-LOR" and len(c[3]) == 7
    }
    assert ("2026-01", "age=0-9;sex=m") in expected and ("2026-02", "") in expected
    assert _api_hidden(world, "viewer") == expected
    assert _workbook_hidden(world, "viewer") == expected
    totals = {period for period, group in expected if group == ""}
    assert _csv_hidden(world, "viewer") == totals
    page = _page_hidden(world, "viewer")
    assert page[0] == totals and _pdf_hidden(world, "viewer") == page
    assert page[1] == MARKER  # February's 4 is the current value: hidden on the card too


def test_no_hidden_cell_follows_from_what_a_viewer_sees(world, victims) -> None:
    audience = audience_for(world.users["viewer"])
    table = counts_table(audience)
    hidden = release_for(audience).hidden
    # The small cells, and complements: one cell alone could not hide 0-9 girls (2) from
    # the 0-9 total (3) and the boys (1).
    assert {_cell("2026-01", "age=0-9;sex=f"), _cell("2026-01", "age=0-9;sex=m")} <= hidden
    assert len([c for c in hidden if c[3] == "2026-01" and c[2] == "PE-LOR"]) >= 4
    published = {
        c: v for c, v in table.values.items() if c not in hidden and c not in table.derived
    }
    assert audit(published, table.constraints, k=audience.k, hidden=hidden) == []


def test_the_audit_finds_the_leak_of_primary_suppression_alone(world, victims) -> None:
    """The test above can fail: hiding only the small cells gives them back."""
    audience = audience_for(world.users["viewer"])
    table = counts_table(audience)
    small = {c for c, v in table.values.items() if 0 < v < audience.k}
    published = {c: v for c, v in table.values.items() if c not in small | table.derived}
    assert audit(published, table.constraints, k=audience.k, hidden=small - table.derived)


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal"])
def test_readers_of_the_regions_details_see_every_count(world, victims, role) -> None:
    assert _api_hidden(world, role) == set()
    assert _workbook_hidden(world, role) == set()
    assert _csv_hidden(world, role) == set()
    assert _page_hidden(world, role) == (set(), 4)


def test_a_report_for_donors_uses_the_public_k_even_for_a_program_admin(world, victims) -> None:
    from amparo.reports.content import executive_summary

    summary = executive_summary(
        Region.objects.all(), user=world.users["admin"], donor=True, since=None
    )
    assert summary.release.k == 11 == public_audience().k
    view = next(v for v, _c in summary.charts if v.indicator.code == CODE)
    assert view.current == MARKER  # February's 4
    hidden = release_for(public_audience()).hidden
    assert _cell("2026-01", "sex=f") in hidden  # 12 is at least 11, but 30 - 18 gives it
    assert _cell("2026-01", "age=10-17;sex=f") in hidden  # 10: small at k 11


def test_k_follows_the_settings(world, victims, settings) -> None:
    settings.AMPARO_DISCLOSURE_K = 2
    hidden = release_of(world.users["viewer"]).hidden
    assert _cell("2026-01", "age=0-9;sex=m") in hidden  # 1 is still under 2
    assert _cell("2026-01", "age=0-9;sex=f") not in hidden or len(hidden) >= 2


def test_the_protection_is_worked_out_once_per_data(world, victims, monkeypatch) -> None:
    calls = []
    real = worker_protection.protect

    def counting(table, *, k):
        calls.append(k)
        return real(table, k=k)

    monkeypatch.setattr(worker_protection, "protect", counting)
    viewer = world.users["viewer"]
    first = release_of(viewer)
    assert release_of(viewer) == first and len(calls) == 1
    Observation.objects.filter(period=FEB).update(value=40)  # no updated_at: a bulk change
    assert release_of(viewer) != first and len(calls) == 2  # new data, new protection


def test_pages_stay_within_a_bounded_number_of_queries(
    world, victims, django_assert_max_num_queries
) -> None:
    viewer = world.client("viewer")
    viewer.get(reverse("program-dashboard"))  # the protection is cached from here on
    with django_assert_max_num_queries(40):
        assert viewer.get(reverse("program-dashboard")).status_code == 200
    with django_assert_max_num_queries(40):
        assert viewer.get(reverse("region-indicators", args=["PE-LOR"])).status_code == 200
    with django_assert_max_num_queries(30):
        assert viewer.get(reverse("program")).status_code == 200


def test_a_viewer_sees_the_note_where_something_is_hidden(world, victims) -> None:
    page = world.client("viewer").get(reverse("region-indicators", args=["PE-LOR"]))
    text = page.content.decode()
    assert "oculto para proteger recuentos pequeños" in text and "menor que 5" in text
    coordinator = world.client("coordinator").get(reverse("region-indicators", args=["PE-LOR"]))
    assert "oculto para proteger" not in coordinator.content.decode()


@pytest.fixture
def two_groups(world):
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.models import Playbook, RecoveryGroup, Rollout
    from amparo.rollout.services import playbook_catalog_load
    from amparo.territory.models import Organization

    playbook_catalog_load(pack="pe", count=LoadCount())
    rollout = Rollout.objects.create(
        region=world.region_a, playbook=Playbook.objects.get(code="iglesias")
    )
    for n in range(2):
        church = Organization.objects.create(
            name=f"Iglesia {n}", kind="church", region=world.region_a
        )
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, launched_on=date(2026, 7, 1), meeting_day=1
        )
    return rollout


def test_a_list_whose_length_is_a_hidden_count_is_not_shown(world, two_groups) -> None:
    url = reverse("rollout-board", args=["PE-LOR", two_groups.pk])
    viewer = world.client("viewer").get(url).content.decode()
    assert "Iglesia 0" not in viewer and "contar sus grupos daría un recuento oculto" in viewer
    program = world.client("viewer").get(reverse("program")).content.decode()
    assert "oculto para proteger" in program  # 2 groups launched: "c", with the note
    coordinator = world.client("coordinator").get(url).content.decode()
    assert "Iglesia 0" in coordinator and "contar sus grupos" not in coordinator
    assert (
        "oculto para proteger"
        not in world.client("coordinator").get(reverse("program")).content.decode()
    )
