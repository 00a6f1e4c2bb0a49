"""A coordinator runs a whole round through the pages, then starts the next from a clone."""

from __future__ import annotations

from django.urls import reverse

from amparo.assessment.models import Assessment


def _ok(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response.url


def test_a_full_round_then_a_cloned_one_with_its_diff(world, threats) -> None:
    client = world.client("coordinator")
    _ok(client.post(reverse("round-start", args=["PE-LOR"]), {"clone_previous": "on"}))
    first = Assessment.objects.get(region=world.region_a)
    for code, (il, ii, rl, ri) in {
        "TUR-01": (5, 5, 4, 4),
        "TUR-02": (3, 4, 3, 4),
        "EDU-01": (4, 5, 2, 5),
    }.items():
        _ok(
            client.post(
                reverse("finding-create", args=["PE-LOR", first.pk]),
                {
                    "threat": threats[code].pk,
                    "inherent_likelihood": il,
                    "inherent_impact": ii,
                    "residual_likelihood": rl,
                    "residual_impact": ri,
                    "confidence": "medium",
                    "evidence": "Visita a la oficina",
                    "current_controls": "Ninguno formal",
                },
            )
        )
    for status in ("in_progress", "in_review", "completed"):
        _ok(client.post(reverse("round-move", args=["PE-LOR", first.pk]), {"to": status}))
    first.refresh_from_db()
    assert first.status == "completed" and first.completion_note == ""

    heat = client.get(reverse("round-heatmap", args=["PE-LOR", first.pk])).content.decode()
    assert "?l=4&amp;i=4&amp;kind=residual" in heat and "?l=2&amp;i=5&amp;kind=residual" in heat
    coverage = client.get(reverse("round-coverage", args=["PE-LOR", first.pk])).content.decode()
    assert coverage.count('class="assessed"') == 3 and 'class="missing"' not in coverage

    _ok(client.post(reverse("round-start", args=["PE-LOR"]), {"clone_previous": "on"}))
    second = Assessment.objects.get(region=world.region_a, number=2)
    finding = second.findings.get(threat__code="TUR-02")
    _ok(
        client.post(
            reverse("finding-edit", args=["PE-LOR", second.pk, finding.pk]),
            {
                "threat": finding.threat_id,
                "inherent_likelihood": 3,
                "inherent_impact": 4,
                "residual_likelihood": 2,
                "residual_impact": 4,
                "confidence": "high",
                "version": finding.version,
            },
        )
    )
    page = client.get(reverse("round-detail", args=["PE-LOR", second.pk])).content.decode()
    assert "TUR-02" in page[page.index("diff-heading") :]
    assert "3×4 → 3×4" in page and "3×4 → 2×4" in page
