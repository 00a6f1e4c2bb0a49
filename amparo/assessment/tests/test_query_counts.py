"""The round page, coverage view and heat map cost the same queries at any size."""

from __future__ import annotations

from django.urls import reverse

from amparo.assessment.models import Threat
from amparo.assessment.tests.conftest import add_finding
from amparo.tests.queries import page_queries


def test_pages_do_not_grow_with_findings(world, round_a, threats) -> None:
    client = world.client("coordinator")
    urls = [
        reverse(name, args=["PE-LOR", round_a.pk])
        for name in ("round-detail", "round-coverage", "round-heatmap", "finding-list")
    ]
    add_finding(round_a, threats["TUR-01"], residual=(2, 2))
    small = [page_queries(client, url) for url in urls]
    for n in range(30):
        sector = world.sector if n % 2 else world.other_sector
        threat = Threat.objects.create(code=f"X-{n}", sector=sector, title_es="x", title_en="x")
        add_finding(round_a, threat, inherent=(1 + n % 5, 1 + n % 4), residual=(1, 1))
    assert [page_queries(client, url) for url in urls] == small
    assert max(small) <= 14


def test_the_round_page_with_a_diff_and_measures_does_not_grow(world, round_a, threats) -> None:
    from amparo.assessment import services
    from amparo.mitigation.models import Measure

    measure = Measure.objects.create(
        region=world.region_a,
        sector=world.sector,
        kind="policy",
        title="Ordenanza",
        status="implemented",
        lowers_likelihood=1,
        lowers_impact=1,
    )

    def grow(assessment, n_from: int, n_to: int) -> None:
        for n in range(n_from, n_to):
            sector = world.sector if n % 2 else world.other_sector
            threat = Threat.objects.create(code=f"X-{n}", sector=sector, title_es="x", title_en="x")
            finding = add_finding(assessment, threat, inherent=(4, 4), residual=(3, 3))
            measure.findings.add(finding)

    grow(round_a, 0, 2)
    second = services.assessment_start(region=world.region_a, clone_previous=True)
    url = reverse("round-detail", args=["PE-LOR", second.pk])
    client = world.client("coordinator")
    page = client.get(url).content.decode()
    assert "Cambios desde la ronda 1" in page
    small = page_queries(client, url)
    grow(round_a, 2, 30)  # removed since round 1, in the diff
    grow(second, 30, 60)  # new in round 2
    second.findings.filter(threat__code="X-0").update(residual_likelihood=2)  # re-rated
    assert page_queries(client, url) == small
    assert small <= 16
