"""Who gets which status on every territory page, for objects of region A and region B."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.territory.models import Contact, Organization

READ = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 200, "outsider": 404}
CHANGE = {"admin": 200, "coordinator": 200, "focal": 403, "viewer": 403, "outsider": 404}
OTHER_REGION = {"admin": 200, "coordinator": 404, "focal": 404, "viewer": 404, "outsider": 404}


def _objects(world, region):
    org = Organization.objects.create(name=f"Org {region.code}", kind="ngo", region=region)
    contact = Contact.objects.create(organization=org, name="Staff member")
    return org, contact


def _urls(region, org, contact):
    code = region.code
    return {
        "region": (reverse("region-detail", args=[code]), "read"),
        "org-new": (reverse("organization-create", args=[code]), "change"),
        "org-edit": (reverse("organization-edit", args=[code, org.pk]), "change"),
        "contact-new": (reverse("contact-create", args=[code]), "change"),
        "contact-edit": (reverse("contact-edit", args=[code, contact.pk]), "change"),
    }


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal", "viewer", "outsider"])
def test_it_answers_each_role_on_its_own_region(world, role: str) -> None:
    client = world.client(role)
    for name, (url, kind) in _urls(world.region_a, *_objects(world, world.region_a)).items():
        expected = READ[role] if kind == "read" else CHANGE[role]
        assert client.get(url).status_code == expected, (name, role)


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal", "viewer", "outsider"])
def test_it_hides_another_region_entirely(world, role: str) -> None:
    client = world.client(role)
    for name, (url, _kind) in _urls(world.region_b, *_objects(world, world.region_b)).items():
        assert client.get(url).status_code == OTHER_REGION[role], (name, role)


def test_it_answers_404_for_an_object_of_region_b_through_region_a(world) -> None:
    org_b, contact_b = _objects(world, world.region_b)
    client = world.client("coordinator")
    code = world.region_a.code
    assert client.get(reverse("organization-edit", args=[code, org_b.pk])).status_code == 404
    assert client.get(reverse("contact-edit", args=[code, contact_b.pk])).status_code == 404


def test_it_sends_anonymous_visitors_to_login_from_every_page(world) -> None:
    client = world.client(None)
    for name, (url, _kind) in _urls(world.region_a, *_objects(world, world.region_a)).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert "/accounts/login/" in response.url


def test_it_refuses_a_viewer_posting_a_change(world) -> None:
    response = world.client("viewer").post(
        reverse("organization-create", args=[world.region_a.code]),
        {"name": "Sneaky", "kind": "ngo"},
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(name="Sneaky").exists()
