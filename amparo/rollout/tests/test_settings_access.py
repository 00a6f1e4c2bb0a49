"""Who reads the church-track settings (``access.settings_regions``), the menu flag, the
migration that gives regions already loaded their capitals' coordinates, and the pasted
block reader on any text."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from amparo.accounts import access
from amparo.accounts.models import Membership, Role, User
from amparo.rollout import travel
from amparo.rollout.models import Blackout
from amparo.territory.models import Region


def test_program_admins_read_every_region(world) -> None:
    assert set(access.settings_regions(world.users["admin"])) == {world.region_a, world.region_b}
    assert access.settings_readable(world.users["admin"])


def test_coordinators_read_their_own_regions(world) -> None:
    coordinator = world.users["coordinator"]
    assert list(access.settings_regions(coordinator)) == [world.region_a]
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, region=world.region_b)
    coordinator = User.objects.get(pk=coordinator.pk)  # grants are cached per request
    assert set(access.settings_regions(coordinator)) == {world.region_a, world.region_b}


@pytest.mark.parametrize("role", ["focal", "viewer"])
def test_other_members_are_refused(world, role) -> None:
    with pytest.raises(PermissionDenied):
        access.settings_regions(world.users[role])
    assert not access.settings_readable(world.users[role])


def test_people_without_membership_do_not_learn_the_pages_exist(world) -> None:
    with pytest.raises(Http404):
        access.settings_regions(world.users["outsider"])


def test_a_superuser_counts_as_a_program_admin(world) -> None:
    root = User.objects.create_user(username="root", password="x-Pass-12345", is_superuser=True)
    assert set(access.settings_regions(root)) == {world.region_a, world.region_b}


def test_a_viewer_of_a_region_a_coordinator_elsewhere_reads_only_the_coordinated_one(world):
    viewer = world.users["viewer"]
    Membership.objects.create(user=viewer, role=Role.COORDINATOR, region=world.region_b)
    viewer = User.objects.get(pk=viewer.pk)
    assert list(access.settings_regions(viewer)) == [world.region_b]
    client = world.client("viewer")
    url = reverse("blackout-calendar", args=["PE-LOR"])
    assert client.get(url).status_code == 403  # a viewer there
    assert client.get(reverse("blackout-calendar", args=["PE-UCA"])).status_code == 200


def test_a_yearly_blackout_of_a_year_or_more_is_refused_on_the_page(world) -> None:
    response = world.client("admin").post(
        reverse("blackout-create", args=["PE-LOR"]),
        {"first_day": "2027-01-01", "last_day": "2028-01-01", "kind": "other", "every_year": "on"},
    )
    assert response.status_code == 422
    assert not Blackout.objects.exists()
    response = world.client("admin").post(
        reverse("blackout-create", args=["PE-LOR"]),
        {"first_day": "2027-01-01", "last_day": "2028-01-01", "kind": "other"},
    )
    assert response.status_code == 302  # a long one-off period is fine
    assert Blackout.objects.get().last_day == date(2028, 1, 1)


def test_the_migration_gives_loaded_regions_the_pack_coordinates(db) -> None:
    Region.objects.create(code="PE-UCA", name="Ucayali", capital="Pucallpa", country="PE")
    Region.objects.create(code="PE-AMA", name="Amazonas", capital="Chachapoyas", country="PE")
    Region.objects.create(code="PE-XX", name="Otra", capital="x", country="PE")
    migration = importlib.import_module(
        "amparo.territory.migrations.0004_region_capital_coordinates"
    )
    migration.coordinates_from_packs(apps, None)
    ucayali = Region.objects.get(code="PE-UCA")
    assert ucayali.capital_point == pytest.approx((-8.38333, -74.55))
    assert "Pucallpa" in ucayali.coordinates_source and not ucayali.coordinates_verified
    assert Region.objects.get(code="PE-AMA").capital_point == pytest.approx((-6.23, -77.87))
    assert Region.objects.get(code="PE-XX").capital_point is None


def test_the_later_migration_fills_only_regions_without_coordinates(db) -> None:
    Region.objects.create(code="PE-AMA", name="Amazonas", capital="Chachapoyas", country="PE")
    Region.objects.create(
        code="PE-UCA", name="Ucayali", capital="Pucallpa", country="PE",
        capital_latitude=-8.4, capital_longitude=-74.6, coordinates_source="checked by hand",
    )  # fmt: skip
    migration = importlib.import_module(
        "amparo.territory.migrations.0005_region_capital_coordinates_missing"
    )
    migration.missing_coordinates_from_packs(apps, None)
    amazonas = Region.objects.get(code="PE-AMA")
    assert amazonas.capital_point == pytest.approx((-6.23, -77.87))
    assert "GeoNames" in amazonas.coordinates_source and not amazonas.coordinates_verified
    ucayali = Region.objects.get(code="PE-UCA")
    assert ucayali.capital_point == pytest.approx((-8.4, -74.6))  # entered values stay
    assert ucayali.coordinates_source == "checked by hand"


REGIONS = [("PE-LOR", "Loreto"), ("PE-UCA", "Ucayali")]


@given(st.text(alphabet=st.sampled_from("\t;,\n\r 0123456789.-abLORUCAPEloreto"), max_size=80))
def test_any_pasted_text_is_read_without_failing(text) -> None:
    """Whatever is pasted, the reader answers with cells of known regions (never the
    diagonal) or named problems; it never raises."""
    pasted = travel.parse_pasted_matrix(text, REGIONS)
    codes = {c for c, _n in REGIONS}
    for (a, b), cell in pasted.cells.items():
        assert a in codes and b in codes and a != b
        assert cell.strip()
    assert all(isinstance(e, str) and e for e in pasted.errors)


@given(st.text(max_size=10))
def test_a_cell_is_either_whole_days_in_range_or_refused(text) -> None:
    try:
        days = travel.check_days(text)
    except ValueError:
        return
    assert travel.MIN_DAYS <= days <= travel.MAX_DAYS
