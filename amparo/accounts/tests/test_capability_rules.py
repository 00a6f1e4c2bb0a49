"""The rules every page relies on, over any mix of memberships and checked exhaustively
without a database: whoever may do something may also see it (so a refusal is 403, never
a 404 that hides what they can change), more memberships never take a right away, and a
focal point changes nothing outside their sector nor anything region-wide."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.accounts import access
from amparo.accounts.access import Capability, Grant
from amparo.accounts.models import Role, User
from amparo.territory.models import Region

REGIONS = (1, 2)
SECTORS = (None, 10, 20)
ROLES = (Role.PROGRAM_ADMIN, Role.COORDINATOR, Role.FOCAL_POINT, Role.VIEWER)


def _user(grants: tuple[Grant, ...]) -> User:
    user = User(username="someone", is_active=True)
    user._amparo_grants = grants
    return user


def _region(pk: int) -> Region:
    return Region(pk=pk, code=f"PE-R{pk}", name=f"R{pk}", capital="c", country="PE")


def _valid(role: str, region_id: int | None, sector_id: int | None) -> bool:
    """The scopes a membership may have (the model refuses the others): program admins
    everywhere, coordinators and viewers over a region, focal points over a sector."""
    if role == Role.PROGRAM_ADMIN:
        return region_id is None and sector_id is None
    if role == Role.FOCAL_POINT:
        return region_id is not None and sector_id is not None
    return region_id is not None and sector_id is None


ALL_GRANTS = [
    Grant(role, region, sector)
    for role, region, sector in itertools.product(ROLES, (None, *REGIONS), SECTORS)
    if _valid(role, region, sector)
]
grant_sets = st.lists(st.sampled_from(ALL_GRANTS), max_size=4).map(tuple)
places = st.tuples(st.sampled_from(REGIONS), st.sampled_from(SECTORS))


@settings(max_examples=300, deadline=None)
@given(grant_sets, places, st.sampled_from(list(Capability)))
def test_whoever_may_do_something_may_see_it(grants, place, capability) -> None:
    user, (region_id, sector_id) = _user(grants), place
    if access.can(user, capability, _region(region_id), sector_id):
        assert access.can(user, Capability.VIEW, _region(region_id), sector_id)


@settings(max_examples=300, deadline=None)
@given(grant_sets, st.sampled_from(ALL_GRANTS), places, st.sampled_from(list(Capability)))
def test_another_membership_never_takes_a_right_away(grants, extra, place, capability) -> None:
    region_id, sector_id = place
    before = access.can(_user(grants), capability, _region(region_id), sector_id)
    after = access.can(_user((*grants, extra)), capability, _region(region_id), sector_id)
    assert after or not before


@settings(max_examples=300, deadline=None)
@given(grant_sets, places, st.sampled_from(list(Capability)))
def test_a_refusal_is_404_when_unseen_and_403_when_seen(grants, place, capability) -> None:
    region_id, sector_id = place
    user, region = _user(grants), _region(region_id)
    sees = access.can(user, Capability.VIEW, region, sector_id)
    allowed = access.can(user, capability, region, sector_id)
    if allowed:
        access.require(user, capability, region, sector_id)
    else:
        with pytest.raises(PermissionDenied if sees else Http404):
            access.require(user, capability, region, sector_id)


def test_a_focal_point_changes_only_their_own_sectors_data() -> None:
    focal = _user((Grant(Role.FOCAL_POINT, 1, 10),))
    own, other_region = _region(1), _region(2)
    assert access.can(focal, Capability.CHANGE_SECTOR, own, 10)
    for sector in (None, 20):
        assert not access.can(focal, Capability.CHANGE_SECTOR, own, sector)
    for sector in SECTORS:
        assert not access.can(focal, Capability.CHANGE_REGION, own, sector)
        assert not access.can(focal, Capability.MANAGE_PROGRAM, own, sector)
        assert not access.can(focal, Capability.VIEW, other_region, sector)
    # They read the region-wide objects of their region, not another sector's.
    assert access.can(focal, Capability.VIEW_DETAIL, own, None)
    assert not access.can(focal, Capability.VIEW, own, 20)


def test_each_role_over_its_region_exhaustively() -> None:
    """The whole table, written out once: which role may do what in its own region,
    for a region-wide object (sector None)."""
    expected = {
        Role.PROGRAM_ADMIN: set(Capability),
        Role.COORDINATOR: {
            Capability.VIEW,
            Capability.VIEW_DETAIL,
            Capability.CHANGE_SECTOR,
            Capability.CHANGE_REGION,
        },
        Role.FOCAL_POINT: {Capability.VIEW, Capability.VIEW_DETAIL},
        Role.VIEWER: {Capability.VIEW},
    }
    for role in ROLES:
        grant = next(g for g in ALL_GRANTS if g.role == role and g.region_id in (None, 1))
        user = _user((grant,))
        found = {c for c in Capability if access.can(user, c, _region(1), None)}
        assert found == expected[role], role


def test_a_grant_for_one_region_gives_nothing_in_another() -> None:
    for grant in ALL_GRANTS:
        if grant.region_id is None:
            continue
        other = 2 if grant.region_id == 1 else 1
        user = _user((grant,))
        assert not any(
            access.can(user, c, _region(other), s) for c in Capability for s in SECTORS
        ), grant


def test_only_program_admins_need_a_second_factor() -> None:
    for grant in ALL_GRANTS:
        user = _user((grant,))
        assert access.two_factor_required(user) == (grant.role == Role.PROGRAM_ADMIN)
        assert access.is_program_admin(user) == (grant.role == Role.PROGRAM_ADMIN)
    assert not access.two_factor_required(_user(()))


def test_an_inactive_or_anonymous_person_has_no_right() -> None:
    from django.contrib.auth.models import AnonymousUser

    inactive = User(username="gone", is_active=False)
    for person in (inactive, AnonymousUser()):
        assert access.grants(person) == ()
        assert not access.can(person, Capability.VIEW, _region(1))
        with pytest.raises(Http404):
            access.require(person, Capability.VIEW, _region(1))
