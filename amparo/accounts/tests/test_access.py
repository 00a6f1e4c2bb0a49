from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.accounts import access
from amparo.accounts.access import Capability, Grant
from amparo.accounts.models import Role

A, B = 1, 2
TUR, EDU = 10, 11


class TestGrantCovers:
    """Pure rules, no database."""

    def test_it_gives_admins_everything_everywhere(self) -> None:
        grant = Grant(Role.PROGRAM_ADMIN, None, None)
        assert all(grant.covers(cap, B, EDU) for cap in Capability)

    def test_it_limits_coordinators_to_their_region(self) -> None:
        grant = Grant(Role.COORDINATOR, A, None)
        assert grant.covers(Capability.CHANGE_REGION, A, None)
        assert grant.covers(Capability.CHANGE_SECTOR, A, EDU)
        assert not grant.covers(Capability.VIEW, B, None)
        assert not grant.covers(Capability.MANAGE_PROGRAM, A, None)

    def test_it_limits_focal_points_to_their_sector(self) -> None:
        grant = Grant(Role.FOCAL_POINT, A, TUR)
        assert grant.covers(Capability.CHANGE_SECTOR, A, TUR)
        assert not grant.covers(Capability.CHANGE_SECTOR, A, EDU)
        assert not grant.covers(Capability.VIEW, A, EDU)
        # Region-wide objects are readable but not changeable.
        assert grant.covers(Capability.VIEW, A, None)
        assert not grant.covers(Capability.CHANGE_SECTOR, A, None)
        assert not grant.covers(Capability.CHANGE_REGION, A, None)

    def test_it_keeps_viewers_read_only_and_without_detail(self) -> None:
        grant = Grant(Role.VIEWER, None, None)
        assert grant.covers(Capability.VIEW, B, EDU)
        changing = set(Capability) - {Capability.VIEW}
        assert not any(grant.covers(cap, A, None) for cap in changing)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"PE-LOR", "PE-UCA"}),
        ("coordinator", {"PE-LOR"}),
        ("focal", {"PE-LOR"}),
        ("viewer", {"PE-LOR"}),
        ("outsider", set()),
    ],
)
def test_it_lists_the_regions_each_role_may_see(world, role: str, expected: set[str]) -> None:
    regions = access.regions_visible(world.users[role])
    assert {r.code for r in regions} == expected


def test_it_hides_other_regions_with_404_and_denies_changes_with_403(world) -> None:
    viewer = world.users["viewer"]
    with pytest.raises(Http404):
        access.require(viewer, Capability.VIEW, world.region_b)
    with pytest.raises(PermissionDenied):
        access.require(viewer, Capability.CHANGE_REGION, world.region_a)
    access.require(world.users["coordinator"], Capability.CHANGE_REGION, world.region_a)


def test_it_treats_superusers_as_program_admins(world) -> None:
    user = world.users["outsider"]
    user.is_superuser = True
    user.save()
    assert access.is_program_admin(user)
    assert access.regions_visible(user).count() == 2


def test_it_gives_inactive_users_nothing(world) -> None:
    user = world.users["admin"]
    user.is_active = False
    assert access.regions_visible(user).count() == 0


def test_it_reads_memberships_once_per_user_object(world, django_assert_num_queries) -> None:
    user = world.users["coordinator"]
    with django_assert_num_queries(1):
        for _ in range(5):
            access.can(user, Capability.VIEW, world.region_a)


def test_sector_filter_limits_focal_points_to_their_sector(world) -> None:
    from amparo.territory.models import Organization

    Organization.objects.create(
        name="T", kind="sector_office", region=world.region_a, sector=world.sector
    )
    Organization.objects.create(
        name="E", kind="sector_office", region=world.region_a, sector=world.other_sector
    )
    rows = Organization.objects.filter(region=world.region_a)
    focal = rows.filter(access.sector_filter(world.users["focal"], world.region_a))
    coordinator = rows.filter(access.sector_filter(world.users["coordinator"], world.region_a))
    outsider = rows.filter(access.sector_filter(world.users["outsider"], world.region_a))
    assert [o.name for o in focal] == ["T"]
    assert coordinator.count() == 2
    assert outsider.count() == 0


def _names(users) -> set[str]:
    return {u.username for u in users}


def test_only_members_who_may_change_can_follow_up_work(world) -> None:
    from amparo.accounts.models import Membership

    # Mixed roles: a viewer elsewhere is still a coordinator here.
    Membership.objects.create(
        user=world.users["coordinator"], role=Role.VIEWER, region=world.region_b
    )
    people = _names(access.people_who_can_change(world.region_a))
    assert people == {"admin", "coordinator", "focal"}
    assert "outsider" not in people and "viewer" not in people
    assert _names(access.people_who_can_change(world.region_b)) == {"admin"}


def test_a_sector_bound_object_leaves_out_focal_points_of_other_sectors(world) -> None:
    tourism = access.people_who_can_change(world.region_a, world.sector)
    education = access.people_who_can_change(world.region_a, world.other_sector.pk)
    assert _names(tourism) == {"admin", "coordinator", "focal"}
    assert _names(education) == {"admin", "coordinator"}


def test_superusers_and_inactive_users_follow_up_as_their_grants_say(world) -> None:
    world.users["outsider"].is_superuser = True
    world.users["outsider"].save()
    world.users["focal"].is_active = False
    world.users["focal"].save()
    assert _names(access.people_who_can_change(world.region_b)) == {"admin", "outsider"}
    assert "focal" not in _names(access.people_who_can_change(world.region_a))


class TestSectorScope:
    """``access.sector_scope``: the sector-bound rows of several regions a user may read."""

    @pytest.fixture
    def measures(self, world) -> dict[tuple[str, str], int]:
        from amparo.mitigation.models import Measure

        return {
            (region.code, sector.code): Measure.objects.create(
                region=region, sector=sector, kind="policy", title=f"{region.code} {sector.code}"
            ).pk
            for region in (world.region_a, world.region_b)
            for sector in (world.sector, world.other_sector)
        }

    @staticmethod
    def readable(user, regions) -> set[tuple[str, str]]:
        from amparo.mitigation.models import Measure

        rows = Measure.objects.filter(access.sector_scope(user, regions))
        return {(m.region.code, m.sector.code) for m in rows.select_related("region", "sector")}

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("admin", {("PE-LOR", "TUR"), ("PE-LOR", "EDU"), ("PE-UCA", "TUR"), ("PE-UCA", "EDU")}),
            ("coordinator", {("PE-LOR", "TUR"), ("PE-LOR", "EDU")}),
            ("focal", {("PE-LOR", "TUR")}),
            ("viewer", {("PE-LOR", "TUR"), ("PE-LOR", "EDU")}),
            ("outsider", set()),
        ],
    )
    def test_it_gives_each_role_the_rows_of_its_regions_and_sectors(
        self, world, measures, role: str, expected: set[tuple[str, str]]
    ) -> None:
        regions = [world.region_a, world.region_b]
        assert self.readable(world.users[role], regions) == expected

    def test_it_applies_each_regions_own_sectors(self, world, measures) -> None:
        from amparo.accounts.models import Membership

        user = world.users["outsider"]
        Membership.objects.create(
            user=user, role=Role.FOCAL_POINT, region=world.region_a, sector=world.sector
        )
        Membership.objects.create(
            user=user, role=Role.FOCAL_POINT, region=world.region_b, sector=world.other_sector
        )
        regions = [world.region_a, world.region_b]
        assert self.readable(user, regions) == {("PE-LOR", "TUR"), ("PE-UCA", "EDU")}

    def test_it_keeps_to_the_regions_asked_for(self, world, measures) -> None:
        admin = world.users["admin"]
        assert self.readable(admin, [world.region_b]) == {("PE-UCA", "TUR"), ("PE-UCA", "EDU")}
        assert self.readable(admin, []) == set()

    def test_it_filters_nothing_without_a_reader(self, world, measures) -> None:
        from amparo.mitigation.models import Measure

        rows = Measure.objects.filter(access.sector_scope(None, [world.region_a]))
        assert rows.count() == 4


@pytest.mark.parametrize(
    ("role", "in_a", "in_both"),
    [
        ("admin", True, True),
        ("coordinator", True, False),
        ("focal", True, False),
        ("viewer", False, False),
        ("outsider", False, False),
    ],
)
def test_it_says_who_sees_small_counts(world, role: str, in_a: bool, in_both: bool) -> None:
    user = world.users[role]
    assert access.sees_small_counts(user, world.region_a) is in_a
    assert access.sees_small_counts(user, [world.region_a]) is in_a
    assert access.sees_small_counts(user, [world.region_a, world.region_b]) is in_both
    assert access.sees_small_counts(user, access.regions_visible(user)) is (role != "viewer")


def test_small_counts_over_no_regions_hide_nothing(world) -> None:
    # A page over no regions shows no counts at all; nothing is left to suppress.
    assert access.sees_small_counts(world.users["viewer"], [])


def test_it_answers_404_for_an_empty_lookup(world) -> None:
    from amparo.territory.models import Region

    assert access.first_or_404(Region.objects.filter(code="PE-LOR")) == world.region_a
    with pytest.raises(Http404):
        access.first_or_404(Region.objects.filter(code="PE-XXX"))


def test_it_finds_regions_without_importing_the_territory_app(world) -> None:
    assert set(access.regions_where(world.users["admin"], Capability.VIEW)) == {
        world.region_a,
        world.region_b,
    }
    assert access.region_or_404(world.users["viewer"], "PE-LOR") == world.region_a
    with pytest.raises(Http404):
        access.region_or_404(world.users["viewer"], "PE-UCA")


def test_access_imports_no_domain_app() -> None:
    """Access knows users, memberships and capabilities; each app's queries.py builds its
    own lookups on it, so access never depends on a domain app."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(access.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("amparo")
    }
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("amparo")
    }
    assert imported == {"amparo.accounts.models"}
