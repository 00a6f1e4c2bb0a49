from __future__ import annotations

import pytest

from amparo.assessment import services
from amparo.assessment.models import Assessment, Finding, Threat


@pytest.fixture
def threats(world) -> dict[str, Threat]:
    made = {}
    for code, sector in (
        ("TUR-01", world.sector),
        ("TUR-02", world.sector),
        ("EDU-01", world.other_sector),
    ):
        made[code] = Threat.objects.create(
            code=code, sector=sector, title_es=f"Problema {code}", title_en=f"Problem {code}"
        )
    return made


@pytest.fixture
def round_a(world, threats) -> Assessment:
    return services.assessment_start(region=world.region_a, clone_previous=False)


def add_finding(assessment, threat, inherent=(4, 4), residual=None, **extra) -> Finding:
    return Finding.objects.create(
        assessment=assessment,
        threat=threat,
        sector=threat.sector,
        inherent_likelihood=inherent[0],
        inherent_impact=inherent[1],
        residual_likelihood=residual[0] if residual else None,
        residual_impact=residual[1] if residual else None,
        **extra,
    )
