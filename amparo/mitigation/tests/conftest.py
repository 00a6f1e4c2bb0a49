from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.assessment.tests.conftest import add_finding, round_a, threats  # noqa: F401
from amparo.mitigation.models import Control, Measure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def controls(world, threats) -> dict[str, Control]:  # noqa: F811 - the fixture
    made = {}
    for code, kind, threat_codes in (
        ("TUR-POL-01", "policy", ["TUR-01"]),
        ("TUR-PRO-01", "procedure", ["TUR-01", "TUR-02"]),
        ("TUR-PRG-01", "program", ["TUR-01"]),
    ):
        control = Control.objects.create(
            code=code,
            sector=world.sector,
            kind=kind,
            title_es=f"Control {code}",
            title_en=f"Control {code}",
            frameworks=["4P:prevention"],
        )
        control.threats.set([threats[c] for c in threat_codes])
        made[code] = control
    return made


@pytest.fixture
def measure_a(world) -> Measure:
    return Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza regional"
    )


def pdf_upload(name: str = "ordenanza.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def pdf_stream() -> io.BytesIO:
    return io.BytesIO(PDF)
