from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.territory.models import Contact, Organization


def _add_organizations(world, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        org = Organization.objects.create(
            name=f"Org {n}", kind="sector_office", region=world.region_a, sector=world.sector
        )
        Contact.objects.create(organization=org, name=f"Staff {n}", email=f"s{n}@example.org")


def test_it_lists_the_region_organizations_and_contacts(world) -> None:
    _add_organizations(world, 2)
    page = world.client("coordinator").get(reverse("region-detail", args=["PE-LOR"])).text
    assert "Org 0" in page and "Org 1" in page
    assert "s1@example.org" in page


def test_it_hides_contact_details_from_viewers(world) -> None:
    _add_organizations(world, 1)
    page = world.client("viewer").get(reverse("region-detail", args=["PE-LOR"])).text
    assert "Org 0" in page
    assert "s0@example.org" not in page
    assert "Staff 0" not in page
    assert "Nueva organización" not in page


def test_its_query_count_does_not_grow_with_organizations(world) -> None:
    client = world.client("coordinator")
    url = reverse("region-detail", args=["PE-LOR"])
    _add_organizations(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_organizations(world, 20, start=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    # One of them asks whether the person owes a second factor (a device added in another
    # session counts at once).
    assert len(many) <= 9
