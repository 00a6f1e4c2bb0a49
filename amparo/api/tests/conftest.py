"""Rows of every kind the API lists, in both regions of the test world."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from amparo.api.services import token_create
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.indicators.models import Indicator, Observation
from amparo.mitigation.models import Measure
from amparo.rollout.models import Attendance, Event, Playbook, Rollout
from amparo.territory.models import Organization

API_ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]


def bearer(world, role: str, *, read_only: bool = True) -> Client:
    """A client that sends a personal token of ``role``'s user."""
    token = token_create(user=world.users[role], name="t", read_only=read_only)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def filled(world):
    """The starter catalog and, in each region: a church and a tourism office, a rollout
    with two events (one with 3 pastors and 12 leaders attending), a round with a tourism
    and an education finding, a measure of each, and observations of a count indicator
    (3 in 2026-Q1 and 12 in 2025-Q4) and of a number of days (3 in 2026-Q1)."""
    call_command("load_catalog", stdout=StringIO())
    playbook = Playbook.objects.get(code="iglesias")
    count = Indicator.objects.get(code="OUT-TRAINED")
    days = Indicator.objects.get(code="INT-REFERRAL-DAYS")
    threats = [
        Threat.objects.filter(sector=world.sector).first(),
        Threat.objects.filter(sector=world.other_sector).first(),
    ]
    for region in (world.region_a, world.region_b):
        church = Organization.objects.create(
            name=f"Iglesia {region.code}", kind="church", region=region
        )
        Organization.objects.create(
            name=f"Dircetur {region.code}", kind="sector_office", region=region, sector=world.sector
        )
        rollout = Rollout.objects.create(region=region, playbook=playbook)
        first = Event.objects.create(
            rollout=rollout,
            stage=playbook.stages.get(code="reuniones"),
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 3),
            city="Iquitos",
        )
        Attendance.objects.create(event=first, organization=church, pastors=3, leaders=12)
        Event.objects.create(
            rollout=rollout,
            stage=playbook.stages.get(code="conferencia"),
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 6, 2),
            city="Iquitos",
        )
        assessment = assessment_services.assessment_start(region=region, clone_previous=False)
        for threat in threats:
            Finding.objects.create(
                assessment=assessment,
                threat=threat,
                sector=threat.sector,
                inherent_likelihood=3,
                inherent_impact=3,
                evidence="secreto",
            )
            Measure.objects.create(
                region=region,
                sector=threat.sector,
                kind="policy",
                title=f"{region.code} {threat.code}",
                due_on=date(2026, 9, 30),
            )
        Observation.objects.create(indicator=count, region=region, period=date(2026, 1, 1), value=3)
        Observation.objects.create(
            indicator=count, region=region, period=date(2025, 10, 1), value=12
        )
        Observation.objects.create(indicator=days, region=region, period=date(2026, 1, 1), value=3)
    return world
