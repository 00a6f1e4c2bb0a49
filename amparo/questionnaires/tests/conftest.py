"""A round of Loreto with the starter catalog's questionnaires; uploads go to a fresh
media folder per test."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from amparo.assessment import services as assessment_services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())


@pytest.fixture
def round_lor(catalog, world):
    from amparo.territory.models import Region

    loreto = Region.objects.get(code="PE-LOR")
    return assessment_services.assessment_start(region=loreto, clone_previous=False)
