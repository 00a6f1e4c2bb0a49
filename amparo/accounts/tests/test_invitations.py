"""Invitations: who may invite whom, the link (one use, 72 hours, only its hash stored),
sending again, revoking, and the account created on accepting."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from amparo.accounts.invitations import (
    INVITATION_LIFETIME,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
)
from amparo.accounts.models import Invitation, Membership, Role, User
from amparo.accounts.people import MembershipSpec

PASSWORD = "Otra-Clave-2026!"


@pytest.fixture(autouse=True)
def _english():
    # Messages are matched in English; the pages' Spanish is tested with the pages.
    with translation.override("en"):
        yield


def _link(token: str) -> str:
    return f"https://amparo.example/accounts/invitation/{token}/"


def _token_from_mail(message) -> str:
    return re.search(r"/accounts/invitation/([^/]+)/", message.body).group(1)


def _invite(by, *specs, email="ana@example.org", **kwargs):
    return invitation_create(by=by, email=email, memberships=list(specs), link_for=_link, **kwargs)


@pytest.fixture
def sent(world, django_capture_on_commit_callbacks):
    """An admin's invitation of a coordinator for region B, its e-mail and its token."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(
            world.users["admin"],
            MembershipSpec(Role.COORDINATOR, world.region_b),
            first_name="Ana",
            last_name="Ríos",
        )
    return invitation, mail.outbox[-1], _token_from_mail(mail.outbox[-1])


def test_it_mails_a_link_and_stores_only_the_tokens_hash(world, sent) -> None:
    invitation, message, token = sent
    assert message.to == ["ana@example.org"]
    assert _link(token) in message.body
    assert "ana@example.org" in message.body  # the username to sign in with
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.expires_at - invitation.sent_at == timedelta(hours=72)
    assert timedelta(hours=72) == INVITATION_LIFETIME
    assert [(m.role, m.region) for m in invitation.memberships.all()] == [
        (Role.COORDINATOR, world.region_b)
    ]


def test_it_sends_nothing_when_the_invitation_is_refused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _invite(world.users["coordinator"], MembershipSpec(Role.COORDINATOR, world.region_a))
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_accepting_creates_the_account_with_the_invited_roles(world, sent) -> None:
    invitation, _message, token = sent
    user = invitation_accept(token=token, password=PASSWORD)
    assert user.username == "ana@example.org" and user.email == "ana@example.org"
    assert (user.first_name, user.last_name) == ("Ana", "Ríos")
    assert user.check_password(PASSWORD)
    assert list(Membership.objects.filter(user=user).values_list("role", "region")) == [
        (Role.COORDINATOR, world.region_b.pk)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user


def test_a_link_works_once(world, sent) -> None:
    _invitation, _message, token = sent
    invitation_accept(token=token, password=PASSWORD)
    assert invitation_for_token(token) is None
    with pytest.raises(ValidationError, match="no longer works"):
        invitation_accept(token=token, password="Tercera-Clave-9")
    assert User.objects.filter(username="ana@example.org").count() == 1


def test_a_link_expires_after_72_hours(world, sent) -> None:
    invitation, _message, token = sent
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert invitation_for_token(token) is None
    with pytest.raises(ValidationError):
        invitation_accept(token=token, password=PASSWORD)
    assert not User.objects.filter(username="ana@example.org").exists()


def test_a_wrong_token_finds_nothing(world, sent) -> None:
    assert invitation_for_token("not-the-token") is None


def test_sending_again_makes_a_new_link_and_the_old_one_stops(
    world, sent, django_capture_on_commit_callbacks
) -> None:
    invitation, _message, old_token = sent
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(by=world.users["admin"], invitation=invitation, link_for=_link)
    new_token = _token_from_mail(mail.outbox[-1])
    assert len(mail.outbox) == 2 and new_token != old_token
    assert invitation_for_token(old_token) is None
    assert invitation_for_token(new_token).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(hours=71)


def test_a_revoked_link_stops_working_and_cannot_be_sent_again(world, sent) -> None:
    invitation, _message, token = sent
    invitation_revoke(by=world.users["admin"], invitation=invitation)
    assert invitation_for_token(token) is None
    with pytest.raises(ValidationError, match="revoked"):
        invitation_resend(by=world.users["admin"], invitation=invitation, link_for=_link)
    with pytest.raises(ValidationError, match="revoked"):
        invitation_revoke(by=world.users["admin"], invitation=invitation)


def test_an_accepted_invitation_cannot_be_sent_again(world, sent) -> None:
    invitation, _message, token = sent
    invitation_accept(token=token, password=PASSWORD)
    with pytest.raises(ValidationError, match="accepted"):
        invitation_resend(by=world.users["admin"], invitation=invitation, link_for=_link)


def test_a_revoked_address_can_be_invited_again(world, sent) -> None:
    invitation, _message, _token = sent
    invitation_revoke(by=world.users["admin"], invitation=invitation)
    again = _invite(world.users["admin"], MembershipSpec(Role.VIEWER, None))
    assert again.pk != invitation.pk


def test_an_address_with_an_open_invitation_or_an_account_is_refused(world, sent) -> None:
    with pytest.raises(ValidationError, match="open invitation"):
        _invite(world.users["admin"], MembershipSpec(Role.VIEWER, None), email="ANA@example.org")
    world.users["viewer"].email = "viewer@example.org"
    world.users["viewer"].save()
    with pytest.raises(ValidationError, match="already has an account"):
        _invite(world.users["admin"], MembershipSpec(Role.VIEWER, None), email="viewer@example.org")
    with pytest.raises(ValidationError, match="already has an account"):
        _invite(world.users["admin"], MembershipSpec(Role.VIEWER, None), email="coordinator")


def test_an_account_made_meanwhile_stops_the_acceptance(world, sent) -> None:
    _invitation, _message, token = sent
    User.objects.create_user(username="other", email="ana@example.org")
    with pytest.raises(ValidationError, match="already has an account"):
        invitation_accept(token=token, password=PASSWORD)


def test_an_invitation_needs_a_role(world) -> None:
    with pytest.raises(ValidationError, match="at least one role"):
        _invite(world.users["admin"])


@pytest.mark.parametrize(
    ("role", "region", "sector"),
    [
        (Role.PROGRAM_ADMIN, "a", None),  # an admin covers all regions
        (Role.COORDINATOR, None, None),  # a coordinator needs a region
        (Role.FOCAL_POINT, "a", None),  # a focal point needs a sector
        (Role.VIEWER, "a", "tur"),  # a viewer has no sector
    ],
)
def test_shapes_no_membership_may_have_are_refused_with_a_message(
    world, role, region, sector
) -> None:
    spec = MembershipSpec(
        role, world.region_a if region else None, world.sector if sector else None
    )
    with pytest.raises(ValidationError) as refused:
        _invite(world.users["admin"], spec)
    assert "a coordinator needs a region" in " ".join(refused.value.messages)
    assert not Invitation.objects.exists()


def test_coordinators_invite_focal_points_and_viewers_of_their_region(world) -> None:
    coordinator = world.users["coordinator"]
    focal = _invite(
        coordinator,
        MembershipSpec(Role.FOCAL_POINT, world.region_a, world.sector),
        email="focal@example.org",
    )
    viewer = _invite(coordinator, MembershipSpec(Role.VIEWER, world.region_a))
    assert focal.invited_by == coordinator and viewer.invited_by == coordinator


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.COORDINATOR, "a"),  # only admins make coordinators
        (Role.PROGRAM_ADMIN, None),
        (Role.VIEWER, None),  # a viewer of every region
        (Role.VIEWER, "b"),  # another region
    ],
)
def test_coordinators_invite_nobody_else(world, role, where) -> None:
    region = {"a": world.region_a, "b": world.region_b, None: None}[where]
    with pytest.raises(ValidationError, match="may not give"):
        _invite(world.users["coordinator"], MembershipSpec(role, region))


@pytest.mark.parametrize("who", ["focal", "viewer", "outsider"])
def test_nobody_else_invites(world, who) -> None:
    with pytest.raises(ValidationError, match="may not give"):
        _invite(world.users[who], MembershipSpec(Role.VIEWER, world.region_a))


def test_a_coordinator_cannot_resend_or_revoke_an_admins_invitation_elsewhere(world, sent) -> None:
    invitation, _message, _token = sent  # a coordinator of region B
    with pytest.raises(PermissionDenied):
        invitation_revoke(by=world.users["coordinator"], invitation=invitation)
    with pytest.raises(PermissionDenied):
        invitation_resend(by=world.users["coordinator"], invitation=invitation, link_for=_link)


def test_the_invitation_is_in_the_change_log_without_its_token(world, sent) -> None:
    from amparo import audit

    invitation, _message, _token = sent
    changes = audit.recent_changes(model="accounts.invitation")
    assert [c.kind for c in changes] == ["created"]
    assert not hasattr(invitation.history.first(), "token_hash")
