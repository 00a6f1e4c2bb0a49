"""Writes on people's access: memberships given, changed and taken away; a person
deactivated or reactivated; a lost second factor reset. One transaction each.

Two rules hold whoever acts: the program keeps at least one active program admin, and
nobody locks themselves out (takes away their own admin membership, deactivates
themselves or resets their own second factor). Who may act on which membership is
``access.may_give``; the services check it again so no caller can skip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import access
from amparo.accounts.models import AccessChange, Membership, Role, User
from amparo.api.models import ApiToken
from amparo.territory.models import Region, Sector


@dataclass(frozen=True)
class MembershipSpec:
    """A membership to give: a role over a region (None: every region), maybe a sector."""

    role: str
    region: Region | None = None
    sector: Sector | None = None


def membership_check(*, by: User, spec: MembershipSpec) -> None:
    """Refuse a membership ``by`` may not give, or of a shape no membership may have, with
    a message for the form."""
    if not access.may_give(by, spec.role, spec.region.pk if spec.region else None):
        raise ValidationError(_("You may not give this role in this region."))
    region, sector = spec.region, spec.sector
    if sector is not None and region is not None and sector.country != region.country:
        raise ValidationError({"sector": _("This sector belongs to another country.")})
    Membership(role=spec.role, region=spec.region, sector=spec.sector).validate_constraints(
        exclude={"user"}
    )


def _active_admin_ids() -> set[int]:
    """Active people holding a program admin membership, their rows locked until the end of
    the transaction so two removals cannot each leave the other as the last one."""
    rows = Membership.objects.select_for_update().filter(
        role=Role.PROGRAM_ADMIN, user__is_active=True
    )
    return set(rows.values_list("user_id", flat=True))


def _keep_an_admin(*, by: User, person: User) -> None:
    """Refuse when ``person`` losing admin rights would lock ``by`` out or leave the program
    without an active program admin."""
    admins = _active_admin_ids()
    if person.pk not in admins:
        return
    if person.pk == by.pk:
        raise ValidationError(
            _("You cannot take away your own admin rights: ask another program admin.")
        )
    if admins == {person.pk}:
        raise ValidationError(
            _("%(name)s is the last active program admin: make someone else admin first.")
            % {"name": person}
        )


def _refuse_duplicate(person: User, spec: MembershipSpec, *, other_than: int | None = None) -> None:
    same = Membership.objects.filter(
        user=person, role=spec.role, region=spec.region, sector=spec.sector
    ).exclude(pk=other_than)
    if same.exists():
        raise ValidationError(_("This person already has this role."))


@transaction.atomic
def membership_add(*, by: User, person: User, spec: MembershipSpec) -> Membership:
    """Give ``person`` a membership, if ``by`` may give it and the person lacks it."""
    membership_check(by=by, spec=spec)
    _refuse_duplicate(person, spec)
    return Membership.objects.create(
        user=person, role=spec.role, region=spec.region, sector=spec.sector
    )


@transaction.atomic
def membership_change(*, by: User, membership: Membership, spec: MembershipSpec) -> Membership:
    """Change a membership's role, region or sector; ``by`` must be allowed both the old
    membership and the new one."""
    if not access.may_give(by, membership.role, membership.region_id):
        raise ValidationError(_("You may not change this membership."))
    membership_check(by=by, spec=spec)
    _refuse_duplicate(membership.user, spec, other_than=membership.pk)
    # A person holds at most one admin membership (a unique constraint): changing it away
    # takes their admin rights.
    if membership.role == Role.PROGRAM_ADMIN and spec.role != Role.PROGRAM_ADMIN:
        _keep_an_admin(by=by, person=membership.user)
    membership.role, membership.region, membership.sector = spec.role, spec.region, spec.sector
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    """Take a membership away, unless that would leave no active program admin or take
    ``by``'s own admin rights."""
    if not access.may_give(by, membership.role, membership.region_id):
        raise ValidationError(_("You may not change this membership."))
    if membership.role == Role.PROGRAM_ADMIN:
        _keep_an_admin(by=by, person=membership.user)
    membership.delete()


def _require_admin(by: User, person: User) -> None:
    """Program admins act on people's sign-in; on a superuser's (the emergency accounts)
    only another superuser does."""
    if not access.is_program_admin(by) or (person.is_superuser and not by.is_superuser):
        raise PermissionDenied


def _end_sessions(person: User) -> int:
    """Delete the person's open sessions (database sessions), so that reactivating them later
    does not bring an old session back. How many were ended."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def person_deactivate(*, by: User, person: User, reason: str = "") -> AccessChange:
    """Stop ``person`` from signing in: at once, their sessions end and their API tokens are
    revoked. Never oneself, never the last active program admin."""
    _require_admin(by, person)
    if person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if not person.is_active:
        raise ValidationError(_("This person is already inactive."))
    _keep_an_admin(by=by, person=person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=person).delete()
    _end_sessions(person)
    return AccessChange.objects.create(
        person=person, kind=AccessChange.Kind.DEACTIVATED, reason=reason.strip(), changed_by=by
    )


@transaction.atomic
def person_reactivate(*, by: User, person: User, reason: str = "") -> AccessChange:
    """Let an inactive person sign in again with their password (and second factor)."""
    _require_admin(by, person)
    if person.is_active:
        raise ValidationError(_("This person is already active."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    return AccessChange.objects.create(
        person=person, kind=AccessChange.Kind.REACTIVATED, reason=reason.strip(), changed_by=by
    )


@transaction.atomic
def second_factor_reset(*, by: User, person: User, reason: str) -> AccessChange:
    """Remove a person's authenticator app and recovery codes (a lost phone) so that they
    set up a new one at their next sign-in, whatever their role; their open sessions end,
    so that sign-in comes with their password. Only for someone else, with a reason,
    which the change log keeps."""
    _require_admin(by, person)
    if person.pk == by.pk:
        raise ValidationError(
            _("You cannot reset your own second factor: ask another program admin.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, for the change log.")})
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    person.must_set_up_second_factor = True
    person.save(update_fields=["must_set_up_second_factor"])
    _end_sessions(person)
    return AccessChange.objects.create(
        person=person,
        kind=AccessChange.Kind.SECOND_FACTOR_RESET,
        reason=reason.strip(),
        changed_by=by,
    )
