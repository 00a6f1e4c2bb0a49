"""Reads for the people pages, each in a fixed number of queries whatever the number of
people: who they are, their memberships, two-factor status, last sign-in; open
invitations; one person's access changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import access
from amparo.accounts.models import AccessChange, Invitation, InvitedMembership, Membership, User

PEOPLE_LIMIT = 500
CHANGES_LIMIT = 20


def _memberships_shown(viewer: User) -> QuerySet[Membership]:
    """A coordinator sees only the memberships of their own region; a program admin all."""
    rows = Membership.objects.select_related("region", "sector").order_by("role", "region__name")
    if not access.is_program_admin(viewer):
        rows = rows.filter(region__in=access.regions_for_people(viewer))
    return rows


def _with_access(people: QuerySet[User], viewer: User) -> QuerySet[User]:
    return people.annotate(
        two_factor_on=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related(
        Prefetch("memberships", queryset=_memberships_shown(viewer), to_attr="shown_memberships")
    )


def people_list(viewer: User, *, search: str = "", status: str = "") -> list[User]:
    """The people ``viewer`` manages (``access.people_visible``), by name, each with
    ``shown_memberships`` and ``two_factor_on``; ``search`` matches name, username or
    e-mail, ``status`` is "active", "inactive" or empty for both. Three queries."""
    people = access.people_visible(viewer)
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(username__icontains=search)
            | Q(email__icontains=search)
        )
    if status in ("active", "inactive"):
        people = people.filter(is_active=status == "active")
    ordered = people.order_by("-is_active", "first_name", "last_name", "username")
    return list(_with_access(ordered, viewer)[:PEOPLE_LIMIT])


def person_detail(viewer: User, pk: int) -> User:
    """One person the viewer manages, as in ``people_list`` (404 otherwise)."""
    person = access.person_or_404(viewer, pk)
    return _with_access(User.objects.filter(pk=person.pk), viewer).get()


def access_changes(person: User) -> list[AccessChange]:
    """The person's last deactivations, reactivations and second-factor resets."""
    return list(person.access_changes.select_related("changed_by")[:CHANGES_LIMIT])


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    memberships: list[InvitedMembership]
    expired: bool
    may_act: bool  # send again, revoke: only who could have given every membership


def open_invitations(viewer: User) -> list[InvitationRow]:
    """Invitations not yet accepted or revoked that ``viewer`` manages, newest first, with
    the memberships they carry and whether the link has expired (send it again). Two
    queries."""
    rows = (
        access.invitations_visible(viewer)
        .filter(accepted_at=None, revoked_at=None)
        .select_related("invited_by")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=InvitedMembership.objects.select_related("region", "sector"),
            )
        )
        .order_by("-sent_at")[:PEOPLE_LIMIT]
    )
    now = timezone.now()
    found = []
    for invitation in rows:
        memberships = list(invitation.memberships.all())
        found.append(
            InvitationRow(
                invitation,
                memberships,
                invitation.expires_at <= now,
                all(access.may_give(viewer, m.role, m.region_id) for m in memberships),
            )
        )
    return found
