from __future__ import annotations

from django.urls import reverse

from amparo.territory.models import Organization


def test_it_lists_only_the_regions_the_user_may_see(world) -> None:
    admin_page = world.client("admin").get(reverse("home")).text
    coordinator_page = world.client("coordinator").get(reverse("home")).text
    assert "Loreto" in admin_page and "Ucayali" in admin_page
    assert "Loreto" in coordinator_page and "Ucayali" not in coordinator_page


def test_it_tells_an_outsider_how_to_get_access(world) -> None:
    page = world.client("outsider").get(reverse("home")).text
    assert "Loreto" not in page
    assert "membresía" in page


def test_it_counts_organizations_per_region(world) -> None:
    for n in range(3):
        Organization.objects.create(name=f"O{n}", kind="church", region=world.region_a)
    page = world.client("coordinator").get(reverse("home")).text
    assert "3 organizaciones" in page


def test_it_shows_the_hotlines_and_that_amparo_takes_no_reports(world) -> None:
    for response in (
        world.client(None).get(reverse("login")),
        world.client("viewer").get(reverse("home")),
        world.client("viewer").get(reverse("region-detail", args=["PE-LOR"])),
    ):
        assert 'href="tel:1818"' in response.text
        assert "Línea 100" in response.text
        assert "no es un canal para denunciar" in response.text
