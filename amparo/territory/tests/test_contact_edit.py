from __future__ import annotations

from django.urls import reverse

from amparo.territory.models import Contact, Organization


def test_it_creates_and_edits_a_contact(world) -> None:
    org = Organization.objects.create(name="DIRCETUR", kind="sector_office", region=world.region_a)
    client = world.client("coordinator")
    response = client.post(
        reverse("contact-create", args=["PE-LOR"]),
        {"name": "Ana", "title": "Directora", "organization": org.pk, "email": "a@example.org"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Ana")
    response = client.post(
        reverse("contact-edit", args=["PE-LOR", contact.pk]),
        {"name": "Ana María", "organization": org.pk, "email": "am@example.org"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.email) == ("Ana María", "am@example.org")


def test_it_refuses_an_organization_of_another_region(world) -> None:
    foreign = Organization.objects.create(name="Foreign", kind="ngo", region=world.region_b)
    response = world.client("coordinator").post(
        reverse("contact-create", args=["PE-LOR"]), {"name": "Eve", "organization": foreign.pk}
    )
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_it_explains_a_bad_email(world) -> None:
    org = Organization.objects.create(name="O", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("contact-create", args=["PE-LOR"]),
        {"name": "Bo", "organization": org.pk, "email": "not-an-email"},
    )
    assert response.status_code == 422
    assert "correo electrónico válida" in response.text
