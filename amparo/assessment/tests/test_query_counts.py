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
