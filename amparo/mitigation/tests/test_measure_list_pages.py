"""The measure list of a region: its filters, the overdue view and the CSV download, as
each role may read them (a focal point only their sector's measures)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.mitigation.models import Measure


@pytest.fixture
def measures(world) -> dict[str, Measure]:
    today = timezone.localdate()
    late, long_ago = today - timedelta(days=3), today - timedelta(days=30)
    tur, edu = world.sector, world.other_sector
    rows = {  # title: sector, kind, status, due date
        "late": (tur, "policy", "drafting", late),
        "due-today": (tur, "procedure", "approved", today),
        "done-late": (tur, "program", "implemented", long_ago),
        "dropped-late": (tur, "policy", "dropped", long_ago),
        "edu-late": (edu, "program", "proposed", today - timedelta(days=1)),
        "no-date": (edu, "procedure", "proposed", None),
    }
    found = {
        title: Measure.objects.create(
            region=world.region_a,
            title=title,
            sector=sector,
            kind=kind,
            status=status,
            due_on=due,
            drop_reason="Sin presupuesto" if status == "dropped" else "",
        )
        for title, (sector, kind, status, due) in rows.items()
    }
    Measure.objects.create(region=world.region_b, sector=world.sector, kind="policy",
                           title="elsewhere", due_on=today - timedelta(days=9))  # fmt: skip
    return found


def _titles(client, query: str = "", code: str = "PE-LOR") -> set[str]:
    response = client.get(reverse("measure-list", args=[code]) + query)
    assert response.status_code == 200
    return {m.title for m in response.context["measures"]}


def test_the_list_shows_every_measure_of_the_region_to_its_coordinator(world, measures) -> None:
    assert _titles(world.client("coordinator")) == set(measures)


def test_a_focal_point_lists_only_their_sectors_measures(world, measures) -> None:
    assert _titles(world.client("focal")) == {"late", "due-today", "done-late", "dropped-late"}
    # Asking for another sector by its code gives nothing more.
    assert _titles(world.client("focal"), "?sector=EDU") == set()


def test_filters_combine(world, measures) -> None:
    client = world.client("coordinator")
    assert _titles(client, "?sector=EDU") == {"edu-late", "no-date"}
    assert _titles(client, "?kind=policy") == {"late", "dropped-late"}
    assert _titles(client, "?kind=policy&status=drafting") == {"late"}
    assert _titles(client, "?sector=TUR&kind=program") == {"done-late"}


def test_an_unknown_kind_or_status_is_no_filter(world, measures) -> None:
    client = world.client("coordinator")
    assert _titles(client, "?kind=law&status=finished") == set(measures)


def test_overdue_means_still_open_and_past_its_due_date(world, measures) -> None:
    client = world.client("coordinator")
    page = client.get(reverse("measure-list", args=["PE-LOR"]) + "?overdue=1")
    assert {m.title for m in page.context["measures"]} == {"late", "edu-late"}
    assert "Medidas vencidas" in page.text
    assert 'name="overdue" value="1"' in page.text  # filtering keeps the overdue view


def test_overdue_measures_are_marked_in_the_full_list(world, measures) -> None:
    page = world.client("coordinator").get(reverse("measure-list", args=["PE-LOR"])).text
    assert page.count('<span class="badge bad">') == 2


def _csv(client, query: str = "") -> list[list[str]]:
    response = client.get(reverse("measure-list", args=["PE-LOR"]) + "?format=csv" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="medidas-PE-LOR.csv"'
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_the_filtered_rows_with_spanish_headers(world, measures) -> None:
    rows = _csv(world.client("coordinator"), "&overdue=1")
    assert rows[0] == ["Sector", "Tipo", "Título", "Estado", "Vence", "Hallazgos"]
    assert sorted(row[2] for row in rows[1:]) == ["edu-late", "late"]
    late = next(row for row in rows if row[2] == "late")
    assert late[:2] == ["TUR", "Política"] and late[3] == "En elaboración"
    assert late[5] == "0"


def test_the_csv_follows_the_readers_language_and_scope(world, measures, settings) -> None:
    client = world.client("focal")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = _csv(client)
    assert rows[0] == ["Sector", "Kind", "Title", "Status", "Due", "Findings"]
    assert {row[0] for row in rows[1:]} == {"TUR"}


def test_a_title_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(world) -> None:
    Measure.objects.create(region=world.region_a, sector=world.sector, kind="policy",
                           title="=HYPERLINK(\"http://x\")")  # fmt: skip
    rows = _csv(world.client("coordinator"))
    assert rows[1][2].startswith("'=")


def test_the_list_is_hidden_from_those_who_cannot_see_the_region(world, measures) -> None:
    assert world.client("outsider").get(reverse("measure-list", args=["PE-LOR"])).status_code == 404
    client = world.client("coordinator")
    assert client.get(reverse("measure-list", args=["PE-UCA"])).status_code == 404
    assert client.get(reverse("measure-list", args=["PE-UCA"]) + "?format=csv").status_code == 404


def test_only_those_who_may_add_see_the_new_measure_buttons(world, measures) -> None:
    new = reverse("measure-create", args=["PE-LOR"])
    assert new in world.client("coordinator").get(reverse("measure-list", args=["PE-LOR"])).text
    assert new in world.client("focal").get(reverse("measure-list", args=["PE-LOR"])).text
    assert new not in world.client("viewer").get(reverse("measure-list", args=["PE-LOR"])).text


def test_the_list_and_its_csv_cost_the_same_at_any_size(
    world, measures, django_assert_max_num_queries
) -> None:
    client = world.client("coordinator")
    url = reverse("measure-list", args=["PE-LOR"])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    with django_assert_max_num_queries(30) as few_csv:
        client.get(url + "?format=csv")
    for n in range(10):
        Measure.objects.create(region=world.region_a, sector=world.sector, kind="program",
                               title=f"more {n}", owner=world.users["focal"])  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(few_csv.captured_queries)):
        client.get(url + "?format=csv")
