"""Report data on the shared test world: a Loreto round with findings, measures and a
meeting in two sectors (tourism, the focal point's, and education), each with text that
must only reach those allowed to read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Assessment, Threat
from amparo.assessment.tests.conftest import add_finding
from amparo.mitigation.models import Measure
from amparo.partnerships.models import Meeting, NextStep
from amparo.rollout.models import Event, Playbook, Rollout
from amparo.territory.models import Contact, Organization


@dataclass
class Loreto:
    assessment: Assessment
    tourism_measure: Measure
    education_measure: Measure
    rollout: Rollout
    event: Event
    church: Organization


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def loreto(world, starter_catalog) -> Loreto:
    assessment = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    add_finding(
        assessment,
        Threat.objects.filter(sector=world.sector).order_by("code").first(),
        inherent=(5, 5),
        evidence="EVIDENCIA-TURISMO",
    )
    add_finding(
        assessment,
        Threat.objects.filter(sector=world.other_sector).order_by("code").first(),
        inherent=(5, 5),
        evidence="EVIDENCIA-EDUCACION",
    )
    tourism = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza de turismo"
    )
    education = Measure.objects.create(
        region=world.region_a,
        sector=world.other_sector,
        kind="procedure",
        title="Directiva de educacion",
    )
    playbook = Playbook.objects.get(code="iglesias")
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    event = Event.objects.create(
        rollout=rollout,
        stage=playbook.stages.order_by("order").first(),
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 2),
        status="done",
        city="Iquitos",
    )
    church = Organization.objects.create(name="Iglesia Belen", kind="church", region=world.region_a)
    contact = Contact.objects.create(
        organization=church, name="Pastora Ruiz", email="pastora.privado@example.org"
    )
    meeting = Meeting.objects.create(
        region=world.region_a, held_on=date(2026, 2, 1), place="Iquitos", purpose="Primera reunion"
    )
    meeting.contacts.add(contact)
    NextStep.objects.create(
        meeting=meeting,
        description="Enviar el convenio",
        owner=world.users["coordinator"],
        due_on=date(2026, 4, 1),
    )
    return Loreto(assessment, tourism, education, rollout, event, church)
