"""Every assessment page for every role; sector scoping of focal points; what viewers see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.assessment import services
from amparo.assessment.models import Finding
from amparo.assessment.tests.conftest import add_finding

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]
READ = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 200, "outsider": 404}
OTHER = {"admin": 200, "coordinator": 404, "focal": 404, "viewer": 404, "outsider": 404}
ENTER = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 403, "outsider": 404}


def _pages(region, assessment):
    c, pk = region.code, assessment.pk
    return {
        "rounds": reverse("round-list", args=[c]),
        "round": reverse("round-detail", args=[c, pk]),
        "coverage": reverse("round-coverage", args=[c, pk]),
        "heatmap": reverse("round-heatmap", args=[c, pk]),
        "findings": reverse("finding-list", args=[c, pk]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_its_region_and_nothing_else(world, threats, role) -> None:
    a = services.assessment_start(region=world.region_a, clone_previous=False)
    b = services.assessment_start(region=world.region_b, clone_previous=False)
    client = world.client(role)
    for name, url in _pages(world.region_a, a).items():
        assert client.get(url).status_code == READ[role], (name, role)
    for name, url in _pages(world.region_b, b).items():
        assert client.get(url).status_code == OTHER[role], (name, role)
    assert client.get(reverse("finding-create", args=["PE-LOR", a.pk])).status_code == ENTER[role]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 302), ("coordinator", 302), ("focal", 403), ("viewer", 403), ("outsider", 404)],
)
def test_only_coordinators_and_admins_start_and_move_rounds(world, threats, role, expected) -> None:
    client = world.client(role)
    assert client.post(reverse("round-start", args=["PE-LOR"]), {}).status_code == expected
    a = services.assessment_start(region=world.region_a, clone_previous=False)
    response = client.post(reverse("round-move", args=["PE-LOR", a.pk]), {"to": "in_progress"})
    assert response.status_code == expected


def test_a_focal_point_sees_and_changes_only_their_sector(world, round_a, threats) -> None:
    tur = add_finding(round_a, threats["TUR-01"], evidence="Hostal sin registro")
    edu = add_finding(round_a, threats["EDU-01"], evidence="Expediente escolar")
    client = world.client("focal")
    listing = client.get(reverse("finding-list", args=["PE-LOR", round_a.pk])).content.decode()
    assert "TUR-01" in listing and "EDU-01" not in listing
    detail = reverse("finding-detail", args=["PE-LOR", round_a.pk, edu.pk])
    assert client.get(detail).status_code == 404
    edit_other = reverse("finding-edit", args=["PE-LOR", round_a.pk, edu.pk])
    assert client.post(edit_other, {}).status_code == 404
    form = client.get(reverse("finding-create", args=["PE-LOR", round_a.pk])).content.decode()
    assert "TUR-02" in form and "EDU-01" not in form
    response = client.post(
        reverse("finding-create", args=["PE-LOR", round_a.pk]),
        {
            "threat": threats["EDU-01"].pk,
            "inherent_likelihood": 2,
            "inherent_impact": 2,
            "confidence": "low",
        },
    )
    assert response.status_code == 422
    response = client.post(
        reverse("finding-edit", args=["PE-LOR", round_a.pk, tur.pk]),
        {
            "threat": threats["TUR-01"].pk,
            "inherent_likelihood": 5,
            "inherent_impact": 4,
            "residual_likelihood": 3,
            "residual_impact": 4,
            "confidence": "high",
            "evidence": "Inspección de 12 hostales",
            "version": tur.version,
        },
    )
    assert response.status_code == 302
    tur.refresh_from_db()
    assert (tur.inherent_likelihood, tur.residual_likelihood, tur.updated_by) == (
        5,
        3,
        world.users["focal"],
    )
    coverage = client.get(reverse("round-coverage", args=["PE-LOR", round_a.pk])).content.decode()
    assert "EDU-01" not in coverage


def test_viewers_see_levels_but_no_evidence(world, round_a, threats) -> None:
    finding = add_finding(
        round_a,
        threats["TUR-01"],
        residual=(2, 3),
        evidence="Dato sensible de la fuente",
        justification="Porque sí",
    )
    url = reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk])
    viewer_page = world.client("viewer").get(url).content.decode()
    assert "Dato sensible" not in viewer_page and "Porque sí" not in viewer_page
    assert "Alto" in viewer_page or "Medio" in viewer_page
    assert "Dato sensible" in world.client("coordinator").get(url).content.decode()


def test_a_finding_is_saved_with_the_sector_of_its_threat(world, round_a, threats) -> None:
    response = world.client("coordinator").post(
        reverse("finding-create", args=["PE-LOR", round_a.pk]),
        {
            "threat": threats["EDU-01"].pk,
            "inherent_likelihood": 3,
            "inherent_impact": 5,
            "residual_likelihood": 3,
            "confidence": "medium",
        },
    )
    assert response.status_code == 422  # residual needs both values
    response = world.client("coordinator").post(
        reverse("finding-create", args=["PE-LOR", round_a.pk]),
        {
            "threat": threats["EDU-01"].pk,
            "inherent_likelihood": 3,
            "inherent_impact": 5,
            "confidence": "medium",
        },
    )
    assert response.status_code == 302
    assert Finding.objects.get().sector == world.other_sector


def test_the_heat_map_links_each_cell_to_its_findings(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(4, 2))
    add_finding(round_a, threats["TUR-02"], inherent=(5, 5), residual=(4, 2))
    add_finding(round_a, threats["EDU-01"], inherent=(1, 1), residual=(1, 1))
    client = world.client("coordinator")
    page = client.get(reverse("round-heatmap", args=["PE-LOR", round_a.pk])).content.decode()
    link = "?l=4&amp;i=2&amp;kind=residual"
    assert link in page
    cell = client.get(
        reverse("finding-list", args=["PE-LOR", round_a.pk]) + "?l=4&i=2&kind=residual"
    )
    text = cell.content.decode()
    assert "TUR-01" in text and "TUR-02" in text and "EDU-01" not in text


def test_only_program_admins_edit_the_catalog_and_the_matrix(world, threats) -> None:
    services.matrix_default_ensure()
    for role, expected in (("coordinator", 403), ("focal", 403), ("viewer", 403)):
        client = world.client(role)
        assert client.get(reverse("threat-list")).status_code == 200
        assert client.get(reverse("threat-create")).status_code == expected
        assert client.get(reverse("matrix-edit", args=["5x5"])).status_code == expected
    assert world.client("outsider").get(reverse("threat-list")).status_code == 404
    assert world.client("admin").get(reverse("matrix-edit", args=["5x5"])).status_code == 200
