"""Invitations by e-mail: create (with the memberships they carry), send again, revoke,
and accept through the link, where the person chooses a password. One transaction each.

The link holds a random token of which only the SHA-256 is stored; it works once and for
``INVITATION_LIFETIME``. Sending again makes a new token (the old link stops working)
and a new expiry. Accepting creates the account (username: the e-mail address) with the
invited memberships; a program admin then sets up the second factor at the first sign-in,
like every program admin without one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.models import Invitation, InvitedMembership, Membership, User
from amparo.accounts.people import MembershipSpec, membership_check

INVITATION_LIFETIME = timedelta(hours=72)
USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length

# Builds the absolute link for a token (the view knows the site's address).
LinkBuilder = Callable[[str], str]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def account_exists(email: str) -> bool:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def _send(invitation: Invitation, link: str) -> None:
    context = {
        "invitation": invitation,
        "link": link,
        "organization_name": settings.AMPARO_ORGANIZATION_NAME,
        "inviter": invitation.invited_by,
        "hours": int(INVITATION_LIFETIME.total_seconds() // 3600),
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    first_name: str = "",
    last_name: str = "",
    memberships: Sequence[MembershipSpec],
    link_for: LinkBuilder,
) -> Invitation:
    """Invite ``email`` with ``memberships`` (at least one, each one ``by`` may give) and
    send the link once the invitation is saved. Refused for an address that already has an
    account or an open invitation."""
    email = email.strip().lower()
    if len(email) > USERNAME_MAX_LENGTH:  # the address becomes the username
        raise ValidationError({"email": _("This address is too long to be a username.")})
    if not memberships:
        raise ValidationError(_("Give the person at least one role."))
    for spec in memberships:
        membership_check(by=by, spec=spec)
    if account_exists(email):
        raise ValidationError(
            {"email": _("This address already has an account: give it a role on its page.")}
        )
    if Invitation.objects.filter(email=email, accepted_at=None, revoked_at=None).exists():
        raise ValidationError(
            {"email": _("This address already has an open invitation: send it again instead.")}
        )
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        token_hash=token_hash,
        invited_by=by,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    InvitedMembership.objects.bulk_create(
        InvitedMembership(invitation=invitation, role=s.role, region=s.region, sector=s.sector)
        for s in memberships
    )
    link = link_for(token)
    transaction.on_commit(lambda: _send(invitation, link))
    return invitation


def may_act(by: User, memberships: Sequence[InvitedMembership]) -> bool:
    """Whether ``by`` may send again or revoke an invitation carrying ``memberships``: only
    if they could have given every one of them."""
    return all(access.may_give(by, row.role, row.region_id) for row in memberships)


def _require_may_act(by: User, invitation: Invitation) -> None:
    if not may_act(by, list(invitation.memberships.all())):
        raise PermissionDenied


def _require_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was revoked."))


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation, link_for: LinkBuilder) -> Invitation:
    """Send an open invitation again with a new link valid for ``INVITATION_LIFETIME``;
    the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_open(invitation)
    _require_may_act(by, invitation)
    token, invitation.token_hash = _new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    link = link_for(token)
    transaction.on_commit(lambda: _send(invitation, link))
    return invitation


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    """Make an open invitation's link stop working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_open(invitation)
    _require_may_act(by, invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The open, unexpired invitation the link's token belongs to, or None."""
    return (
        Invitation.objects.filter(
            token_hash=_hash(token),
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .first()
    )


def invited_user(invitation: Invitation) -> User:
    """The account the invitation will create, unsaved: the password validators compare
    the password with its username, e-mail and name."""
    return User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Create the invited person's account with ``password`` and the invited memberships.
    The link then stops working; an expired, revoked or used link is refused."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation link no longer works."))
    if account_exists(invitation.email):
        raise ValidationError(_("This address already has an account: sign in instead."))
    user = invited_user(invitation)
    user.set_password(password)
    user.save()
    for row in invitation.memberships.all():  # one by one, so each has its history
        Membership.objects.create(
            user=user, role=row.role, region_id=row.region_id, sector_id=row.sector_id
        )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user
