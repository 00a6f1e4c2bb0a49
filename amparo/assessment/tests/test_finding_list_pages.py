"""A round's findings as a list, a heat-map cell and a CSV download, and its coverage by
ministry: what each role gets (evidence only for those who see details, a focal point
only their sector)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from amparo.assessment.models import Threat
from amparo.assessment.tests.conftest import add_finding


@pytest.fixture
def findings(round_a, threats) -> dict[str, object]:
    return {
        "TUR-01": add_finding(round_a, threats["TUR-01"], inherent=(5, 4), residual=(3, 2),
                              evidence="Informe de la DIRCETUR 2026", confidence="high"),
        "TUR-02": add_finding(round_a, threats["TUR-02"], inherent=(3, 2),
                              evidence="Entrevistas"),
        "EDU-01": add_finding(round_a, threats["EDU-01"], inherent=(5, 4), residual=(5, 4),
                              evidence="Secreto de EDU"),
    }  # fmt: skip


def _codes(client, round_, query: str = "") -> list[str]:
    response = client.get(reverse("finding-list", args=["PE-LOR", round_.pk]) + query)
    assert response.status_code == 200
    return sorted(f.threat.code for f, _inherent, _residual in response.context["rows"])


def test_the_list_filters_by_sector(world, round_a, findings) -> None:
    client = world.client("coordinator")
    assert _codes(client, round_a) == ["EDU-01", "TUR-01", "TUR-02"]
    assert _codes(client, round_a, "?sector=TUR") == ["TUR-01", "TUR-02"]
    assert _codes(client, round_a, "?sector=XXX") == []


def test_a_heat_map_cell_lists_the_findings_rated_there(world, round_a, findings) -> None:
    client = world.client("coordinator")
    assert _codes(client, round_a, "?l=3&i=2") == ["TUR-01"]  # residual by default
    assert _codes(client, round_a, "?l=3&i=2&kind=inherent") == ["TUR-02"]
    assert _codes(client, round_a, "?l=5&i=4&kind=inherent") == ["EDU-01", "TUR-01"]


def test_a_cell_that_cannot_be_read_is_no_filter(world, round_a, findings) -> None:
    client = world.client("coordinator")
    everything = ["EDU-01", "TUR-01", "TUR-02"]
    assert _codes(client, round_a, "?l=x&i=2") == everything
    assert _codes(client, round_a, "?l=-3&i=2") == everything
    assert _codes(client, round_a, "?l=3") == everything


def test_a_focal_point_lists_only_their_sector(world, round_a, findings) -> None:
    assert _codes(world.client("focal"), round_a) == ["TUR-01", "TUR-02"]
    assert _codes(world.client("focal"), round_a, "?sector=EDU") == []


def _csv(client, round_, query: str = "") -> list[list[str]]:
    response = client.get(
        reverse("finding-list", args=["PE-LOR", round_.pk]) + "?format=csv" + query
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="hallazgos-PE-LOR-{round_.number}.csv"'
    )
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_ratings_and_evidence_for_the_region_team(world, round_a, findings) -> None:
    rows = _csv(world.client("coordinator"), round_a, "&sector=TUR")
    assert rows[0] == [
        "Amenaza", "Sector", "Probabilidad antes de los controles",
        "Impacto antes de los controles", "Probabilidad con los controles actuales",
        "Impacto con los controles actuales", "Confianza", "Evidencia",
    ]  # fmt: skip
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"TUR-01", "TUR-02"}
    assert by_code["TUR-01"] == ["TUR-01", "TUR", "5", "4", "3", "2", "Alta",
                                 "Informe de la DIRCETUR 2026"]  # fmt: skip
    assert by_code["TUR-02"][4:7] == ["", "", "Media"]  # not rated with controls yet


def test_a_viewer_downloads_levels_but_no_evidence(world, round_a, findings) -> None:
    rows = _csv(world.client("viewer"), round_a)
    assert len(rows) == 4
    assert all(row[7] == "" for row in rows[1:])
    assert "Secreto de EDU" not in str(rows)


def test_a_focal_points_csv_has_their_sector_only(world, round_a, findings) -> None:
    rows = _csv(world.client("focal"), round_a)
    assert sorted(row[0] for row in rows[1:]) == ["TUR-01", "TUR-02"]
    assert "Secreto de EDU" not in str(rows)


def test_the_csv_headers_follow_the_readers_language(world, round_a, findings, settings) -> None:
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = _csv(client, round_a)
    assert rows[0][0] == "Threat" and rows[0][-1] == "Evidence"
    assert rows[0][2] == "Likelihood before controls"


def test_evidence_that_looks_like_a_formula_stays_text(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], evidence="=cmd|' /C calc'!A0")
    rows = _csv(world.client("coordinator"), round_a)
    assert rows[1][7].startswith("'=")


def test_another_regions_round_is_not_found_through_this_region(world, threats) -> None:
    from amparo.assessment import services

    round_b = services.assessment_start(region=world.region_b, clone_previous=False)
    url = reverse("finding-list", args=["PE-LOR", round_b.pk])
    assert world.client("admin").get(url).status_code == 404
    assert world.client("admin").get(url + "?format=csv").status_code == 404
    assert (
        world.client("outsider")
        .get(reverse("finding-list", args=["PE-UCA", round_b.pk]))
        .status_code
        == 404
    )


def test_the_csv_costs_the_same_with_more_findings(
    world, round_a, threats, django_assert_max_num_queries
) -> None:
    client = world.client("coordinator")
    url = reverse("finding-list", args=["PE-LOR", round_a.pk]) + "?format=csv"
    add_finding(round_a, threats["TUR-01"])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(8):
        threat = Threat.objects.create(code=f"TUR-X{n}", sector=world.sector, title_es="x",
                                       title_en="x")  # fmt: skip
        add_finding(round_a, threat, evidence=f"nota {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode("utf-8-sig").count("\n") == 10


# --- coverage ----------------------------------------------------------------------------


def test_coverage_marks_the_threats_nobody_assessed_yet(world, round_a, threats) -> None:
    finding = add_finding(round_a, threats["TUR-01"])
    page = world.client("coordinator").get(reverse("round-coverage", args=["PE-LOR", round_a.pk]))
    assert page.status_code == 200
    cells = {
        threat.code: found for row in page.context["rows"] for threat, found, _level in row.cells
    }
    assert cells == {"TUR-01": finding, "TUR-02": None, "EDU-01": None}
    assert page.text.count('class="missing"') == 2
    assert reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk]) in page.text


def test_a_focal_points_coverage_is_their_sector(world, round_a, findings) -> None:
    page = world.client("focal").get(reverse("round-coverage", args=["PE-LOR", round_a.pk]))
    assert [row.sector.code for row in page.context["rows"]] == ["TUR"]
    assert "EDU-01" not in page.text
