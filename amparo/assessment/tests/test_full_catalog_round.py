"""A coordinator rates every threat of the starter catalog, across all its sectors, through
the pages: the round completes with nothing to explain, the heat map leads to every
finding, coverage shows every sector assessed, and the next round starts from a clone."""

from __future__ import annotations

import re

from django.urls import reverse

from amparo.assessment.models import Assessment, Threat
from amparo.territory.models import Sector


def _ok(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response.url


def _threat_options(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    select = html.split('id="id_threat"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\d+)"', select)


def test_a_round_over_the_whole_starter_catalog(world, starter_catalog) -> None:
    client = world.client("coordinator")
    sectors = Sector.objects.filter(country=world.region_a.country)
    threats = Threat.objects.filter(sector__in=sectors)
    assert sectors.count() == 11 and threats.count() >= 44

    _ok(client.post(reverse("round-start", args=["PE-LOR"]), {"clone_previous": "on"}))
    first = Assessment.objects.get(region=world.region_a)
    _ok(client.post(reverse("round-move", args=["PE-LOR", first.pk]), {"to": "in_progress"}))
    options = _threat_options(client, reverse("finding-create", args=["PE-LOR", first.pk]))
    assert sorted(map(int, options)) == sorted(threats.values_list("pk", flat=True))
    for n, threat in enumerate(options):
        likelihood, impact = 1 + n % 5, 1 + (n * 3) % 5
        _ok(
            client.post(
                reverse("finding-create", args=["PE-LOR", first.pk]),
                {
                    "threat": threat,
                    "inherent_likelihood": likelihood,
                    "inherent_impact": impact,
                    # No measure exists yet, so residuals equal the inherent rating.
                    "residual_likelihood": likelihood,
                    "residual_impact": impact,
                    "confidence": "medium",
                    "evidence": "Entrevista en la oficina",
                    "current_controls": "Ninguno formal",
                },
            )
        )
    assert first.findings.count() == threats.count()
    for status in ("in_review", "completed"):
        _ok(client.post(reverse("round-move", args=["PE-LOR", first.pk]), {"to": status}))
    first.refresh_from_db()
    assert first.status == "completed" and first.completion_note == ""

    heat = client.get(reverse("round-heatmap", args=["PE-LOR", first.pk])).content.decode()
    cells = re.findall(r'href="([^"]*\?l=\d+&amp;i=\d+&amp;kind=residual)"', heat)
    reached = 0
    for link in cells:
        listing = client.get(link.replace("&amp;", "&"))
        reached += len(listing.context["rows"])
    assert reached == threats.count()
    coverage = client.get(reverse("round-coverage", args=["PE-LOR", first.pk])).content.decode()
    assert coverage.count('class="assessed"') == threats.count()
    assert 'class="missing"' not in coverage

    _ok(client.post(reverse("round-start", args=["PE-LOR"]), {"clone_previous": "on"}))
    second = Assessment.objects.get(region=world.region_a, number=2)
    assert second.findings.count() == threats.count()
    finding = second.findings.order_by("threat__code").first()
    _ok(
        client.post(
            reverse("finding-edit", args=["PE-LOR", second.pk, finding.pk]),
            {
                "threat": finding.threat_id,
                "inherent_likelihood": 5,
                "inherent_impact": 5,
                "residual_likelihood": 5,
                "residual_impact": 5,
                "confidence": "high",
                "version": finding.version,
            },
        )
    )
    page = client.get(reverse("round-detail", args=["PE-LOR", second.pk])).content.decode()
    diff = page[page.index("diff-heading") :]
    assert finding.threat.code in diff and "→ 5×5" in diff
