"""The region page and the organization and contact forms as the region's people use them:
what they are told, which names clash, which choices are offered, and in which language."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.territory.models import Contact, Organization, Region, Sector


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _region_page(client, code: str = "PE-LOR") -> str:
    response = client.get(reverse("region-detail", args=[code]))
    assert response.status_code == 200
    return response.text


# --- organizations -----------------------------------------------------------------------


def test_creating_an_organization_says_so_and_lists_it(world) -> None:
    client = world.client("coordinator")
    response = client.post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "  Iglesia Bethel  ", "kind": "church", "city": "Iquitos"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("region-detail", args=["PE-LOR"]), 302)]
    assert "Organización creada." in response.text
    assert Organization.objects.get().name == "Iglesia Bethel"  # spaces trimmed
    assert "Iglesia Bethel" in response.text


def test_a_name_differing_only_in_case_clashes(world) -> None:
    Organization.objects.create(name="Iglesia Bethel", kind="church", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "IGLESIA BETHEL ", "kind": "church"},
    )
    assert response.status_code == 422
    assert "Esta región ya tiene una organización con ese nombre." in response.text
    assert Organization.objects.count() == 1


def test_the_clash_is_explained_in_english(world, settings) -> None:
    Organization.objects.create(name="Iglesia Bethel", kind="church", region=world.region_a)
    client = _english(world.client("coordinator"), settings)
    response = client.post(
        reverse("organization-create", args=["PE-LOR"]), {"name": "iglesia bethel", "kind": "ngo"}
    )
    assert response.status_code == 422
    assert "This region already has an organization of that name." in response.text


def test_the_same_name_is_free_in_another_region(world) -> None:
    Organization.objects.create(name="Cáritas", kind="ngo", region=world.region_b)
    response = world.client("coordinator").post(
        reverse("organization-create", args=["PE-LOR"]), {"name": "Cáritas", "kind": "ngo"}
    )
    assert response.status_code == 302
    assert sorted(Organization.objects.values_list("region__code", flat=True)) == [
        "PE-LOR",
        "PE-UCA",
    ]


def test_an_organization_keeps_its_own_name_when_edited(world) -> None:
    org = Organization.objects.create(name="Cáritas", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-edit", args=["PE-LOR", org.pk]),
        {"name": "Cáritas", "kind": "ngo", "city": "Nauta"},
        follow=True,
    )
    assert "Organización guardada." in response.text
    org.refresh_from_db()
    assert org.city == "Nauta"


def test_renaming_onto_another_organization_is_refused(world) -> None:
    Organization.objects.create(name="Cáritas", kind="ngo", region=world.region_a)
    org = Organization.objects.create(name="Otra", kind="ngo", region=world.region_a)
    response = world.client("coordinator").post(
        reverse("organization-edit", args=["PE-LOR", org.pk]), {"name": "cáritas", "kind": "ngo"}
    )
    assert response.status_code == 422
    org.refresh_from_db()
    assert org.name == "Otra"


def test_only_the_sectors_of_the_regions_country_are_offered(world) -> None:
    foreign = Sector.objects.create(code="CO-TUR", name_es="Turismo CO", name_en="Tourism CO",
                                    country="CO")  # fmt: skip
    client = world.client("coordinator")
    page = client.get(reverse("organization-create", args=["PE-LOR"])).text
    select = page.split('name="sector"')[1].split("</select>")[0]
    assert f'value="{world.sector.pk}"' in select and f'value="{foreign.pk}"' not in select
    response = client.post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "Oficina", "kind": "sector_office", "sector": foreign.pk},
    )
    assert response.status_code == 422
    assert not Organization.objects.exists()


def test_a_part_is_shown_under_its_parent_organization(world) -> None:
    parent = Organization.objects.create(name="Concilio", kind="fraternity", region=world.region_a)
    client = world.client("coordinator")
    response = client.post(
        reverse("organization-create", args=["PE-LOR"]),
        {"name": "Iglesia Filial", "kind": "church", "parent": parent.pk},
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Iglesia Filial").parent == parent
    assert "parte de Concilio" in _region_page(client)


def test_the_edit_form_shows_what_changed_to_those_who_see_details(world) -> None:
    client = world.client("coordinator")
    client.post(reverse("organization-create", args=["PE-LOR"]), {"name": "Uno", "kind": "ngo"})
    org = Organization.objects.get()
    url = reverse("organization-edit", args=["PE-LOR", org.pk])
    client.post(url, {"name": "Dos", "kind": "ngo"})
    page = client.get(url).text
    assert "Historial de cambios" in page
    assert "<del>Uno</del> → <ins>Dos</ins>" in page


# --- contacts ----------------------------------------------------------------------------


def test_a_new_contact_starts_from_the_organization_it_was_asked_for(world) -> None:
    org = Organization.objects.create(name="DIRCETUR", kind="sector_office", region=world.region_a)
    page = world.client("coordinator").get(
        reverse("contact-create", args=["PE-LOR"]) + f"?organization={org.pk}"
    )
    assert f'<option value="{org.pk}" selected>' in page.text


def test_contacts_say_who_may_be_recorded_in_both_languages(world, settings) -> None:
    url = reverse("contact-create", args=["PE-LOR"])
    english = _english(world.client("coordinator"), settings).get(url).text
    assert "Partner staff only. Never record victims or recovery-group members." in english
    spanish = world.client("coordinator").get(url).text
    assert "Never record victims" not in spanish


def test_a_contact_is_moved_to_another_organization_of_the_region_only(world) -> None:
    first = Organization.objects.create(name="Uno", kind="ngo", region=world.region_a)
    second = Organization.objects.create(name="Dos", kind="ngo", region=world.region_a)
    elsewhere = Organization.objects.create(name="Tres", kind="ngo", region=world.region_b)
    contact = Contact.objects.create(organization=first, name="Ana")
    client = world.client("coordinator")
    url = reverse("contact-edit", args=["PE-LOR", contact.pk])
    refused = client.post(url, {"name": "Ana", "organization": elsewhere.pk})
    assert refused.status_code == 422
    contact.refresh_from_db()
    assert contact.organization == first
    saved = client.post(url, {"name": "Ana", "organization": second.pk}, follow=True)
    assert "Contacto guardado." in saved.text
    contact.refresh_from_db()
    assert contact.organization == second


def test_a_new_contact_is_announced_and_listed_with_its_links(world) -> None:
    org = Organization.objects.create(name="DIRCETUR", kind="sector_office", region=world.region_a)
    client = world.client("coordinator")
    response = client.post(
        reverse("contact-create", args=["PE-LOR"]),
        {"name": "Luz", "title": "Jefa", "organization": org.pk, "phone": "+51 965 000 111"},
        follow=True,
    )
    assert "Contacto creado." in response.text
    assert "Luz, Jefa" in response.text
    assert 'href="tel:+51 965 000 111"' in response.text


@pytest.mark.parametrize("role, expected", [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_a_contact_is_changed_by_the_regions_coordinators_only(world, role, expected) -> None:
    org = Organization.objects.create(name="Uno", kind="ngo", region=world.region_a)
    contact = Contact.objects.create(organization=org, name="Ana", email="ana@example.org")
    url = reverse("contact-edit", args=["PE-LOR", contact.pk])
    data = {"name": "Otra", "organization": org.pk, "email": "x@example.org"}
    assert world.client(role).post(url, data).status_code == expected
    contact.refresh_from_db()
    assert (contact.name, contact.email) == ("Ana", "ana@example.org")


def test_a_focal_point_sees_organizations_but_not_partner_staff(world) -> None:
    org = Organization.objects.create(name="DIRCETUR", kind="sector_office", region=world.region_a)
    Contact.objects.create(organization=org, name="Ana Secreta", email="ana@example.org")
    page = _region_page(world.client("focal"))
    assert "DIRCETUR" in page
    assert "Ana Secreta" not in page and "ana@example.org" not in page
    assert reverse("organization-create", args=["PE-LOR"]) not in page


# --- the region page and the home page ------------------------------------------------


def test_the_region_page_links_its_rollouts_with_their_start(world) -> None:
    from amparo.rollout.models import Playbook, Rollout

    playbook = Playbook.objects.create(code="x", name_es="Guía X", name_en="Guide X")
    page = _region_page(world.client("viewer"))
    assert "El trabajo con iglesias todavía no ha comenzado en esta región." in page
    rollout = Rollout.objects.create(
        region=world.region_a, playbook=playbook, started_on=date(2025, 3, 3)
    )
    page = _region_page(world.client("viewer"))
    assert reverse("rollout-board", args=["PE-LOR", rollout.pk]) in page
    assert "Guía X</a> · iniciada el 3 de marzo de 2025" in page
    assert reverse("rollout-create", args=["PE-LOR"]) not in page  # viewers start nothing
    assert reverse("rollout-create", args=["PE-LOR"]) in _region_page(world.client("coordinator"))


def test_demo_organizations_are_marked_as_demo(world) -> None:
    Organization.objects.create(name="Demo", kind="ngo", region=world.region_a, is_demo=True)
    Organization.objects.create(name="Real", kind="ngo", region=world.region_a)
    page = _region_page(world.client("viewer"))
    assert page.count('<span class="badge demo">') == 1


def test_an_unknown_region_is_not_found(world) -> None:
    assert world.client("admin").get(reverse("region-detail", args=["PE-XXX"])).status_code == 404


def test_the_home_page_in_english_leads_to_the_regions_organizations(world, settings) -> None:
    page = _english(world.client("coordinator"), settings).get(reverse("home")).text
    assert "Organizations and contacts" in page
    assert reverse("region-detail", args=["PE-LOR"]) in page


def test_the_home_page_costs_the_same_with_more_regions(
    world, django_assert_max_num_queries
) -> None:
    client = world.client("admin")
    client.get(reverse("home"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("home"))
    for n in range(5):
        region = Region.objects.create(code=f"PE-X{n}", name=f"Región {n}", capital="C",
                                       country="PE")  # fmt: skip
        org = Organization.objects.create(name=f"Org {n}", kind="ngo", region=region)
        Contact.objects.create(organization=org, name=f"Staff {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("home")).text
    assert "Región 4" in page


# --- bilingual names, without a request ------------------------------------------------


def test_a_sector_is_named_in_the_active_language() -> None:
    from django.utils import translation

    sector = Sector(code="TUR", name_es="Turismo", name_en="Tourism", country="PE")
    with translation.override("es"):
        assert sector.name == "Turismo"
    with translation.override("en"):
        assert sector.name == "Tourism"
    with translation.override("en-gb"):
        assert sector.name == "Tourism"


@pytest.mark.parametrize("code", ["PE-LOR", "PE-1", "CO-DC", "PE-LO2"])
def test_region_codes_follow_iso_3166_2(code) -> None:
    Region(code=code, name="x", capital="y", country="PE").full_clean(
        validate_unique=False, validate_constraints=False
    )


@pytest.mark.parametrize("code", ["pe-lor", "PE_LOR", "PER-LO", "PE-", "PE-LORE"])
def test_other_region_codes_are_refused(code) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Region(code=code, name="x", capital="y", country="PE").full_clean(
            validate_unique=False, validate_constraints=False
        )
    assert "code" in refused.value.message_dict
