"""Territory's visible-or-404 lookups (``territory.queries``), built on access."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.territory import queries
from amparo.territory.models import Contact, Organization


@pytest.fixture
def contact(world) -> Contact:
    organization = Organization.objects.create(
        name="DIRCETUR", kind="sector_office", region=world.region_a
    )
    return Contact.objects.create(organization=organization, name="Ana")


def test_organizations_are_seen_in_the_users_regions_only(world, contact) -> None:
    organization = contact.organization
    for role in ("admin", "coordinator", "focal", "viewer"):
        found = queries.organization_or_404(world.users[role], world.region_a, organization.pk)
        assert found == organization
    with pytest.raises(Http404):
        queries.organization_or_404(world.users["outsider"], world.region_a, organization.pk)
    with pytest.raises(Http404):
        queries.organization_or_404(world.users["admin"], world.region_b, organization.pk)


def test_contacts_need_the_right_to_see_details(world, contact) -> None:
    for role in ("admin", "coordinator", "focal"):
        assert queries.contact_or_404(world.users[role], world.region_a, contact.pk) == contact
    with pytest.raises(PermissionDenied):
        queries.contact_or_404(world.users["viewer"], world.region_a, contact.pk)
    with pytest.raises(Http404):
        queries.contact_or_404(world.users["outsider"], world.region_a, contact.pk)
    with pytest.raises(Http404):
        queries.contact_or_404(world.users["admin"], world.region_a, contact.pk + 1000)


@pytest.mark.parametrize(
    ("role", "visible", "changeable"),
    [
        ("admin", {"TUR", "EDU"}, {"TUR", "EDU"}),
        ("coordinator", {"TUR", "EDU"}, {"TUR", "EDU"}),
        ("focal", {"TUR"}, {"TUR"}),
        ("viewer", {"TUR", "EDU"}, set()),
        ("outsider", set(), set()),
    ],
)
def test_sectors_seen_and_changed_follow_the_role(
    world, role: str, visible: set[str], changeable: set[str]
) -> None:
    user = world.users[role]
    assert {s.code for s in queries.sectors_visible(user, world.region_a)} == visible
    assert {s.code for s in queries.sectors_changeable(user, world.region_a)} == changeable
