from __future__ import annotations

from django.urls import reverse

from amparo.territory.models import Organization


def test_it_lets_a_coordinator_create_an_organization(world) -> None:
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "Fraternidad X", "kind": "fraternity", "city": "Iquitos"},
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="Fraternidad X")
    assert org.region == world.region_a
    assert not org.is_demo


def test_it_shows_field_errors_and_writes_nothing(world) -> None:
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]), {"name": "", "kind": "spaceship"}
    )
    assert response.status_code == 422
    assert "Este campo es obligatorio" in response.text
    assert "no es una de las opciones disponibles" in response.text
    assert Organization.objects.count() == 0


def test_it_refuses_a_duplicate_name_in_the_region(world) -> None:
    Organization.objects.create(name="Dup", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]), {"name": "Dup", "kind": "ngo"}
    )
    assert response.status_code == 422
    assert Organization.objects.filter(name="Dup").count() == 1


def test_it_refuses_a_parent_from_another_region(world) -> None:
    foreign = Organization.objects.create(name="Foreign", kind="ngo", region=world.region_b)
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "Child", "kind": "church", "parent": foreign.pk},
    )
    assert response.status_code == 422
    assert not Organization.objects.filter(name="Child").exists()


def test_it_edits_without_moving_the_organization_to_another_region(world) -> None:
    org = Organization.objects.create(name="Old", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-edit", args=["PE-LOR", org.pk]),
        {"name": "New", "kind": "church", "region": world.region_b.pk},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.kind, org.region) == ("New", "church", world.region_a)


def test_it_does_not_offer_an_organization_as_its_own_parent(world) -> None:
    org = Organization.objects.create(name="Self", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-edit", args=["PE-LOR", org.pk]),
        {"name": "Self", "kind": "ngo", "parent": org.pk},
    )
    assert response.status_code == 422
