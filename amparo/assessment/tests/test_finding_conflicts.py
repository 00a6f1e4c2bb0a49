"""Two people edit the same finding: the second save shows both versions instead of
overwriting the first, and can be applied on top of the current version."""

from __future__ import annotations

import re

from django.urls import reverse

from amparo.assessment.models import Finding, Threat
from amparo.assessment.tests.conftest import add_finding
from amparo.tests.queries import post_queries


def loaded_version(response) -> str:
    assert response.status_code == 200
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def _data(threat, version, **values) -> dict:
    return {
        "threat": threat.pk,
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "confidence": "medium",
        "version": version,
        **values,
    }


def test_the_second_of_two_saves_gets_a_conflict_and_the_first_is_kept(world, round_a) -> None:
    threat = Threat.objects.get(code="TUR-01")
    finding = add_finding(round_a, threat, evidence="Registro inicial")
    url = reverse("finding-edit", args=["PE-LOR", round_a.pk, finding.pk])
    coordinator, focal = world.client("coordinator"), world.client("focal")
    first, second = loaded_version(coordinator.get(url)), loaded_version(focal.get(url))
    assert first == second == "1"

    saved = coordinator.post(url, _data(threat, first, evidence="Visita a 12 hostales"))
    assert saved.status_code == 302
    response = focal.post(
        url, _data(threat, second, inherent_likelihood=2, evidence="Denuncias de la fiscalía")
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Visita a 12 hostales" in page and "Denuncias de la fiscalía" in page
    assert "coordinator" in page  # who saved meanwhile, from the audit trail
    assert page.count('class="differs"') == 2  # likelihood and evidence
    assert 'name="version" value="2"' in page  # the form to re-apply is on the current version
    assert reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk]) in page
    finding.refresh_from_db()
    assert (finding.evidence, finding.inherent_likelihood, finding.version) == (
        "Visita a 12 hostales",
        4,
        2,
    )
    assert finding.history.count() == 2


def test_the_person_can_apply_their_values_on_top_of_the_current_version(world, round_a) -> None:
    threat = Threat.objects.get(code="TUR-01")
    finding = add_finding(round_a, threat)
    url = reverse("finding-edit", args=["PE-LOR", round_a.pk, finding.pk])
    world.client("coordinator").post(url, _data(threat, 1, evidence="primero"))
    focal = world.client("focal")
    conflict = focal.post(url, _data(threat, 1, evidence="segundo"))
    assert conflict.status_code == 409
    page = conflict.content.decode()
    reapplied = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert "segundo</textarea>" in page  # the form is pre-filled with their values
    assert focal.post(url, _data(threat, reapplied, evidence="segundo")).status_code == 302
    finding.refresh_from_db()
    assert (finding.evidence, finding.version, finding.updated_by) == (
        "segundo",
        3,
        world.users["focal"],
    )


def test_a_form_without_a_valid_version_is_refused_and_writes_nothing(world, round_a) -> None:
    threat = Threat.objects.get(code="TUR-01")
    finding = add_finding(round_a, threat)
    url = reverse("finding-edit", args=["PE-LOR", round_a.pk, finding.pk])
    client = world.client("coordinator")
    for version in ("", "abc", "0", "-1", str(2**40)):
        response = client.post(url, _data(threat, version, evidence="x"))
        assert response.status_code == 422, version
        assert "open it again" in response.content.decode() or "ábralo" in (
            response.content.decode()
        )
    assert client.post(url, _data(threat, 5, evidence="x")).status_code == 409
    finding.refresh_from_db()
    assert (finding.evidence, finding.version) == ("", 1)


def test_only_those_who_may_change_the_finding_reach_its_conflict(world, round_a) -> None:
    tur = add_finding(round_a, Threat.objects.get(code="TUR-01"))
    edu = add_finding(round_a, Threat.objects.get(code="EDU-01"))
    for role, pk, expected in (
        ("viewer", tur.pk, 403),
        ("outsider", tur.pk, 404),
        ("focal", edu.pk, 404),
    ):
        threat = tur.threat if pk == tur.pk else edu.threat
        url = reverse("finding-edit", args=["PE-LOR", round_a.pk, pk])
        assert world.client(role).post(url, _data(threat, 9)).status_code == expected, role
    assert Finding.objects.filter(version=1).count() == 2


def test_the_conflict_page_costs_the_same_with_a_long_history(world, round_a) -> None:
    threat = Threat.objects.get(code="TUR-01")
    finding = add_finding(round_a, threat)
    url = reverse("finding-edit", args=["PE-LOR", round_a.pk, finding.pk])
    coordinator, focal = world.client("coordinator"), world.client("focal")
    coordinator.post(url, _data(threat, 1, evidence="a"))
    small = post_queries(focal, url, _data(threat, 1, evidence="b"), 409)
    for version in range(2, 12):
        coordinator.post(url, _data(threat, version, evidence=f"a{version}"))
    assert post_queries(focal, url, _data(threat, 1, evidence="b"), 409) == small
    assert small <= 25
