"""A round's visible-or-404 lookups (``assessment.queries``), built on access."""

from __future__ import annotations

import pytest
from django.http import Http404

from amparo.assessment import queries
from amparo.assessment.tests.conftest import add_finding


@pytest.fixture
def findings(round_a, threats) -> dict:
    return {code: add_finding(round_a, threat) for code, threat in threats.items()}


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("admin", {"TUR-01", "TUR-02", "EDU-01"}),
        ("coordinator", {"TUR-01", "TUR-02", "EDU-01"}),
        ("focal", {"TUR-01", "TUR-02"}),
        ("viewer", {"TUR-01", "TUR-02", "EDU-01"}),
    ],
)
def test_it_lists_the_findings_of_the_sectors_each_role_reads(
    world, round_a, findings, role: str, codes: set[str]
) -> None:
    visible = queries.findings_visible(world.users[role], round_a)
    assert {f.threat.code for f in visible} == codes


def test_it_hides_a_round_from_those_outside_its_region(world, round_a) -> None:
    assert queries.assessment_or_404(world.users["viewer"], world.region_a, round_a.pk) == round_a
    with pytest.raises(Http404):
        queries.assessment_or_404(world.users["outsider"], world.region_a, round_a.pk)
    with pytest.raises(Http404):
        queries.assessment_or_404(world.users["admin"], world.region_b, round_a.pk)


def test_it_finds_a_finding_by_id_as_on_its_rounds_pages(world, findings) -> None:
    tourism, education = findings["TUR-01"], findings["EDU-01"]
    assert queries.finding_by_id_or_404(world.users["focal"], tourism.pk) == tourism
    with pytest.raises(Http404):
        queries.finding_by_id_or_404(world.users["focal"], education.pk)
    with pytest.raises(Http404):
        queries.finding_by_id_or_404(world.users["outsider"], tourism.pk)
    with pytest.raises(Http404):
        queries.finding_by_id_or_404(world.users["admin"], education.pk + 1000)
