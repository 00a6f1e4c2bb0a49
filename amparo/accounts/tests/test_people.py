"""People and access, the services: memberships given, changed and taken away within the
rules; deactivation that ends sessions and API tokens at once; reactivation; a lost
second factor reset; and never the last program admin, never oneself locked out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import second_factor
from amparo.accounts.models import AccessChange, Membership, Role, User
from amparo.accounts.people import (
    MembershipSpec,
    membership_add,
    membership_change,
    membership_remove,
    person_deactivate,
    person_reactivate,
    second_factor_reset,
)
from amparo.api.models import ApiToken
from amparo.api.services import token_create
from amparo.territory.models import Sector

PASSWORD = "x-Pass-12345"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _membership(user: User) -> Membership:
    return Membership.objects.get(user=user)


def _second_admin(world) -> User:
    other = User.objects.create_user(username="admin2", password=PASSWORD)
    Membership.objects.create(user=other, role=Role.PROGRAM_ADMIN)
    return other


# Memberships


def test_an_admin_gives_any_valid_membership(world) -> None:
    viewer = world.users["viewer"]
    added = membership_add(
        by=world.users["admin"],
        person=viewer,
        spec=MembershipSpec(Role.COORDINATOR, world.region_b),
    )
    assert (added.role, added.region) == (Role.COORDINATOR, world.region_b)
    assert added.history.first().history_type == "+"


def test_a_coordinator_gives_focal_point_and_viewer_roles_in_their_region_only(world) -> None:
    coordinator, viewer = world.users["coordinator"], world.users["viewer"]
    membership_add(
        by=coordinator,
        person=viewer,
        spec=MembershipSpec(Role.FOCAL_POINT, world.region_a, world.sector),
    )
    for spec in (
        MembershipSpec(Role.VIEWER, world.region_b),
        MembershipSpec(Role.COORDINATOR, world.region_a),
        MembershipSpec(Role.PROGRAM_ADMIN),
    ):
        with pytest.raises(ValidationError, match="may not give"):
            membership_add(by=coordinator, person=viewer, spec=spec)


@pytest.mark.parametrize("who", ["focal", "viewer", "outsider"])
def test_nobody_else_gives_roles(world, who) -> None:
    with pytest.raises(ValidationError, match="may not give"):
        membership_add(
            by=world.users[who],
            person=world.users["outsider"],
            spec=MembershipSpec(Role.VIEWER, world.region_a),
        )


def test_an_invalid_shape_or_a_duplicate_is_refused_with_a_message(world) -> None:
    admin, viewer = world.users["admin"], world.users["viewer"]
    with pytest.raises(ValidationError, match="a focal point needs a region and a sector"):
        membership_add(by=admin, person=viewer, spec=MembershipSpec(Role.FOCAL_POINT, None))
    with pytest.raises(ValidationError, match="already has this role"):
        membership_add(by=admin, person=viewer, spec=MembershipSpec(Role.VIEWER, world.region_a))
    assert Membership.objects.filter(user=viewer).count() == 1
    second = membership_add(by=admin, person=viewer, spec=MembershipSpec(Role.VIEWER, None))
    with pytest.raises(ValidationError, match="already has this role"):
        membership_change(
            by=admin, membership=second, spec=MembershipSpec(Role.VIEWER, world.region_a)
        )


def test_a_sector_of_another_country_is_refused(world) -> None:
    abroad = Sector.objects.create(code="TUR-X", name_es="x", name_en="x", country="BO")
    with pytest.raises(ValidationError, match="another country"):
        membership_add(
            by=world.users["admin"],
            person=world.users["viewer"],
            spec=MembershipSpec(Role.FOCAL_POINT, world.region_a, abroad),
        )


def test_a_membership_is_changed_within_the_rules(world) -> None:
    coordinator = world.users["coordinator"]
    focal_membership = _membership(world.users["focal"])
    changed = membership_change(
        by=coordinator,
        membership=focal_membership,
        spec=MembershipSpec(Role.FOCAL_POINT, world.region_a, world.other_sector),
    )
    assert changed.sector == world.other_sector
    with pytest.raises(ValidationError, match="may not give"):
        membership_change(
            by=coordinator,
            membership=focal_membership,
            spec=MembershipSpec(Role.COORDINATOR, world.region_a),
        )
    with pytest.raises(ValidationError, match="may not change"):
        membership_change(
            by=coordinator,
            membership=_membership(coordinator),
            spec=MembershipSpec(Role.VIEWER, world.region_a),
        )
    focal_membership.refresh_from_db()
    assert focal_membership.role == Role.FOCAL_POINT


def test_a_membership_is_taken_away_by_who_may_give_it(world) -> None:
    membership_remove(by=world.users["coordinator"], membership=_membership(world.users["viewer"]))
    assert not Membership.objects.filter(user=world.users["viewer"]).exists()
    with pytest.raises(ValidationError, match="may not change"):
        membership_remove(
            by=world.users["focal"], membership=_membership(world.users["coordinator"])
        )


# The last admin and locking oneself out


def test_the_last_active_admin_keeps_their_membership(world) -> None:
    admin = world.users["admin"]
    with pytest.raises(ValidationError, match="own admin rights"):
        membership_remove(by=admin, membership=_membership(admin))
    other = _second_admin(world)
    # Another admin is there, but nobody removes their own admin rights.
    with pytest.raises(ValidationError, match="own admin rights"):
        membership_remove(by=admin, membership=_membership(admin))
    with pytest.raises(ValidationError, match="own admin rights"):
        membership_change(
            by=admin, membership=_membership(admin), spec=MembershipSpec(Role.VIEWER, None)
        )
    membership_remove(by=other, membership=_membership(admin))
    assert not Membership.objects.filter(user=admin).exists()
    with pytest.raises(ValidationError, match="own admin rights"):
        membership_remove(by=other, membership=_membership(other))


def test_an_admin_is_not_removed_when_they_are_the_last_active_one(world) -> None:
    admin = world.users["admin"]
    other = _second_admin(world)
    other.is_active = False
    other.save()
    superuser = User.objects.create_superuser(username="root", password=PASSWORD)
    with pytest.raises(ValidationError, match="last active program admin"):
        membership_remove(by=superuser, membership=_membership(admin))
    with pytest.raises(ValidationError, match="last active program admin"):
        person_deactivate(by=superuser, person=admin)
    with pytest.raises(ValidationError, match="last active program admin"):
        membership_change(
            by=superuser, membership=_membership(admin), spec=MembershipSpec(Role.VIEWER, None)
        )
    assert Membership.objects.filter(user=admin, role=Role.PROGRAM_ADMIN).exists()


def test_an_inactive_admins_membership_can_go(world) -> None:
    other = _second_admin(world)
    other.is_active = False
    other.save()
    membership_remove(by=world.users["admin"], membership=_membership(other))
    assert not Membership.objects.filter(user=other).exists()


def test_nobody_deactivates_themselves(world) -> None:
    _second_admin(world)
    with pytest.raises(ValidationError, match="cannot deactivate yourself"):
        person_deactivate(by=world.users["admin"], person=world.users["admin"])
    assert User.objects.get(username="admin").is_active


# Deactivating and reactivating


def test_deactivating_ends_sessions_and_api_tokens_at_once(world) -> None:
    coordinator = world.users["coordinator"]
    browser = world.client("coordinator")
    assert browser.get(reverse("home")).status_code == 200
    token = token_create(user=coordinator, name="BI", read_only=True)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/regions").status_code == 200

    change = person_deactivate(by=world.users["admin"], person=coordinator, reason="left")

    response = browser.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert api.get("/api/v1/regions").status_code == 401
    assert not ApiToken.objects.filter(user=coordinator).exists()
    assert not User.objects.get(pk=coordinator.pk).is_active
    assert (change.kind, change.reason, change.changed_by) == (
        AccessChange.Kind.DEACTIVATED,
        "left",
        world.users["admin"],
    )
    refused = Client().post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    assert refused.status_code == 200  # the login form again


def test_reactivating_lets_them_sign_in_again_but_not_back_into_old_sessions(world) -> None:
    coordinator = world.users["coordinator"]
    old_session = world.client("coordinator")
    assert old_session.get(reverse("home")).status_code == 200
    person_deactivate(by=world.users["admin"], person=coordinator)
    person_reactivate(by=world.users["admin"], person=coordinator)
    assert old_session.get(reverse("home")).status_code == 302
    client = Client()
    client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    kinds = list(AccessChange.objects.values_list("kind", flat=True))
    assert kinds == [AccessChange.Kind.REACTIVATED, AccessChange.Kind.DEACTIVATED]


def test_deactivating_twice_or_reactivating_an_active_person_is_refused(world) -> None:
    admin, viewer = world.users["admin"], world.users["viewer"]
    with pytest.raises(ValidationError, match="already active"):
        person_reactivate(by=admin, person=viewer)
    person_deactivate(by=admin, person=viewer)
    with pytest.raises(ValidationError, match="already inactive"):
        person_deactivate(by=admin, person=viewer)


@pytest.mark.parametrize("who", ["coordinator", "focal", "viewer"])
def test_only_program_admins_deactivate_reactivate_and_reset(world, who) -> None:
    target = world.users["outsider"]
    for action in (person_deactivate, person_reactivate):
        with pytest.raises(PermissionDenied):
            action(by=world.users[who], person=target)
    with pytest.raises(PermissionDenied):
        second_factor_reset(by=world.users[who], person=target, reason="x")


# Resetting a lost second factor


def test_a_reset_removes_the_app_and_codes_and_asks_for_a_new_one(world) -> None:
    from amparo import audit

    admin = world.users["admin"]
    other = _second_admin(world)
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    StaticDevice.objects.create(user=other, name="codes", confirmed=True)
    change = second_factor_reset(by=admin, person=other, reason="lost phone, called her")
    assert not TOTPDevice.objects.filter(user=other).exists()
    assert not StaticDevice.objects.filter(user=other).exists()
    assert User.objects.get(pk=other.pk).must_set_up_second_factor
    assert change.kind == AccessChange.Kind.SECOND_FACTOR_RESET
    logged = audit.recent_changes(model="accounts.accesschange")
    assert len(logged) == 1 and "lost phone, called her" in logged[0].what


def test_a_reset_person_must_set_up_again_whatever_their_role(world) -> None:
    """A viewer may use two-factor sign-in without having to; after a reset they must."""
    viewer = world.users["viewer"]
    TOTPDevice.objects.create(user=viewer, name="phone", confirmed=True)
    open_session = world.client("viewer")
    assert open_session.get(reverse("home")).status_code == 200
    second_factor_reset(by=world.users["admin"], person=viewer, reason="stolen phone")
    ended = open_session.get(reverse("home"))
    assert ended.status_code == 302 and ended.url.startswith(reverse("login"))
    client = Client()
    client.post(reverse("login"), {"username": "viewer", "password": PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-setup"))
    page = client.get(response.url)
    assert page.context["reset"] is True
    assert reverse("account-security") not in page.text  # no way around it


def test_setting_up_a_new_app_clears_the_reset(world) -> None:
    from amparo.accounts import services
    from amparo.conftest import totp_code

    viewer = world.users["viewer"]
    second_factor_reset(by=world.users["admin"], person=viewer, reason="new phone")
    viewer.refresh_from_db()
    assert second_factor.step_due(viewer) == second_factor.SETUP
    device = services.totp_setup_start(user=viewer)
    assert services.totp_setup_confirm(user=viewer, token=totp_code(device)).accepted
    assert not User.objects.get(pk=viewer.pk).must_set_up_second_factor


def test_nobody_resets_their_own_second_factor_and_a_reason_is_needed(world) -> None:
    admin = world.users["admin"]
    with pytest.raises(ValidationError, match="your own second factor"):
        second_factor_reset(by=admin, person=admin, reason="lost it")
    with pytest.raises(ValidationError, match="Say why"):
        second_factor_reset(by=admin, person=world.users["viewer"], reason="  ")
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not AccessChange.objects.exists()
