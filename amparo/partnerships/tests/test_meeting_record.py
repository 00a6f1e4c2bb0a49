"""Recording a meeting: any organization of the region may take part."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.partnerships.models import Meeting, Partnership
from amparo.territory.models import Organization


def _record(world, organizations: list[Organization]):
    return world.client("coordinator").post(
        reverse("meetings", args=["PE-LOR"]),
        {
            "held_on": "2026-09-10",
            "place": "Iquitos",
            "purpose": "Alianza",
            "organizations": [o.pk for o in organizations],
        },
    )


@pytest.mark.parametrize("kind", ["other", "church", "ngo", "business", "national_body"])
def test_it_records_a_meeting_with_a_partner_of_any_kind(world, kind):
    partner = Organization.objects.create(name="Asociación X", kind=kind, region=world.region_a)
    Partnership.objects.create(region=world.region_a, organization=partner, since="2026-09-01")
    assert _record(world, [partner]).status_code == 302
    assert list(Meeting.objects.get().organizations.all()) == [partner]


def test_it_refuses_an_organization_of_another_region(world):
    elsewhere = Organization.objects.create(
        name="Fraternidad Y", kind="fraternity", region=world.region_b
    )
    assert _record(world, [elsewhere]).status_code == 422
    assert not Meeting.objects.exists()
