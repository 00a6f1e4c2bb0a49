"""Who manages whom (``access``), what the people reads return for each role
(``queries``), and the edges of the services: superusers, other people's sessions, long
addresses."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from amparo.accounts import access, queries
from amparo.accounts.invitations import invitation_create
from amparo.accounts.models import Membership, Role, User
from amparo.accounts.people import MembershipSpec, person_deactivate, second_factor_reset


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("who", "role", "where", "allowed"),
    [
        ("admin", Role.PROGRAM_ADMIN, None, True),
        ("admin", Role.COORDINATOR, "b", True),
        ("coordinator", Role.FOCAL_POINT, "a", True),
        ("coordinator", Role.VIEWER, "a", True),
        ("coordinator", Role.VIEWER, "b", False),
        ("coordinator", Role.VIEWER, None, False),
        ("coordinator", Role.COORDINATOR, "a", False),
        ("coordinator", Role.PROGRAM_ADMIN, None, False),
        ("focal", Role.VIEWER, "a", False),
        ("viewer", Role.VIEWER, "a", False),
        ("outsider", Role.VIEWER, "a", False),
    ],
)
def test_who_may_give_which_membership(world, who, role, where, allowed) -> None:
    region = {"a": world.region_a, "b": world.region_b, None: None}[where]
    assert access.may_give(world.users[who], role, region.pk if region else None) is allowed


def test_a_superuser_without_membership_manages_everyone(world) -> None:
    root = User.objects.create_superuser(username="root", password="x-Pass-12345")
    assert access.may_manage_people(root)
    assert access.may_give(root, Role.PROGRAM_ADMIN, None)
    assert access.people_visible(root).count() == User.objects.count()


@pytest.mark.parametrize(
    ("who", "error"),
    [("focal", PermissionDenied), ("viewer", PermissionDenied), ("outsider", Http404)],
)
def test_people_pages_refuse_who_manages_nobody(world, who, error) -> None:
    assert not access.may_manage_people(world.users[who])
    with pytest.raises(error):
        access.people_visible(world.users[who])
    with pytest.raises(error):
        access.invitations_visible(world.users[who])


def test_an_inactive_coordinator_manages_nobody(world) -> None:
    coordinator = User.objects.get(username="coordinator")
    coordinator.is_active = False
    assert not access.may_manage_people(coordinator)


def test_a_coordinator_of_two_regions_sees_the_people_of_both(world) -> None:
    coordinator = world.users["coordinator"]
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, region=world.region_b)
    person = User.objects.create_user(username="b-person")
    Membership.objects.create(user=person, role=Role.VIEWER, region=world.region_b)
    coordinator = User.objects.get(pk=coordinator.pk)  # grants are read again
    assert access.person_or_404(coordinator, person.pk) == person
    assert set(access.regions_for_people(coordinator)) == {world.region_a, world.region_b}


def test_a_person_listed_once_whatever_their_number_of_memberships(world) -> None:
    viewer = world.users["viewer"]
    Membership.objects.create(
        user=viewer, role=Role.FOCAL_POINT, region=world.region_a, sector=world.sector
    )
    listed = queries.people_list(world.users["coordinator"])
    assert [p.username for p in listed].count("viewer") == 1
    row = next(p for p in listed if p.username == "viewer")
    assert {m.role for m in row.shown_memberships} == {Role.VIEWER, Role.FOCAL_POINT}


def test_inactive_people_come_last(world) -> None:
    world.users["admin"].is_active = False
    world.users["admin"].save()
    listed = queries.people_list(world.users["coordinator"])  # admin not in region A
    assert "admin" not in [p.username for p in listed]
    root = User.objects.create_superuser(username="root")
    listed = queries.people_list(root)
    assert listed[-1].username == "admin"


def test_open_invitations_show_expiry_and_skip_closed_ones(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from amparo.accounts.invitations import invitation_revoke
    from amparo.accounts.models import Invitation

    admin = world.users["admin"]
    kept = invitation_create(
        by=admin,
        email="a@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_a)],
        link_for=str,
    )
    gone = invitation_create(
        by=admin,
        email="b@example.org",
        memberships=[MembershipSpec(Role.VIEWER, world.region_a)],
        link_for=str,
    )
    invitation_revoke(by=admin, invitation=gone)
    Invitation.objects.filter(pk=kept.pk).update(expires_at=timezone.now() - timedelta(1))
    rows = queries.open_invitations(world.users["coordinator"])
    assert [(r.invitation.pk, r.expired) for r in rows] == [(kept.pk, True)]
    assert [m.region for m in rows[0].memberships] == [world.region_a]


def test_deactivating_ends_only_that_persons_sessions(world) -> None:
    world.client("coordinator").get("/")
    world.client("viewer").get("/")
    assert Session.objects.count() == 2
    person_deactivate(by=world.users["admin"], person=world.users["coordinator"])
    remaining = [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()]
    assert remaining == [str(world.users["viewer"].pk)]


def test_only_a_superuser_acts_on_a_superusers_sign_in(world) -> None:
    root = User.objects.create_superuser(username="root", password="x-Pass-12345")
    with pytest.raises(PermissionDenied):
        person_deactivate(by=world.users["admin"], person=root)
    with pytest.raises(PermissionDenied):
        second_factor_reset(by=world.users["admin"], person=root, reason="lost")
    other_root = User.objects.create_superuser(username="root2")
    person_deactivate(by=other_root, person=root)
    assert not User.objects.get(pk=root.pk).is_active


def test_an_address_too_long_for_a_username_is_refused(world) -> None:
    with pytest.raises(ValidationError, match="too long"):
        invitation_create(
            by=world.users["admin"],
            email="a" * 140 + "@example.org",
            memberships=[MembershipSpec(Role.VIEWER, None)],
            link_for=str,
        )


def test_the_menu_flag_follows_who_manages_people(world, rf) -> None:
    from amparo.context_processors import site

    for who, shown in (("admin", True), ("coordinator", True), ("focal", False)):
        request = rf.get("/")
        request.user = User.objects.get(username=who)
        assert site(request)["menu_people"] is shown, who


REGION_IDS = st.integers(1, 4)
# Grants in the shapes memberships may have (``models.MEMBERSHIP_SHAPE``).
GRANT = st.one_of(
    st.just(access.Grant(Role.PROGRAM_ADMIN, None, None)),
    st.builds(access.Grant, st.just(Role.COORDINATOR), REGION_IDS, st.none()),
    st.builds(access.Grant, st.just(Role.FOCAL_POINT), REGION_IDS, st.integers(1, 3)),
    st.builds(access.Grant, st.just(Role.VIEWER), st.one_of(st.none(), REGION_IDS), st.none()),
)
GRANTS = st.lists(GRANT, max_size=4)


@given(
    held=GRANTS,
    role=st.sampled_from(list(Role)),
    region_id=st.one_of(st.none(), REGION_IDS),
)
def test_only_admins_or_the_regions_coordinators_give_roles(held, role, region_id) -> None:
    """Whatever memberships a person holds: they give a role only as a program admin, or
    as a coordinator of that very region giving a focal-point or viewer role."""
    user = User(username="someone")
    user._amparo_grants = tuple(held)
    admin = any(g.role == Role.PROGRAM_ADMIN for g in held)
    coordinates_it = any(g.role == Role.COORDINATOR and g.region_id == region_id for g in held)
    expected = admin or (
        region_id is not None and role in (Role.FOCAL_POINT, Role.VIEWER) and coordinates_it
    )
    assert access.may_give(user, role, region_id) is expected
    assert access.may_manage_people(user) is any(
        g.role in (Role.PROGRAM_ADMIN, Role.COORDINATOR) for g in held
    )
