"""The one place that turns a user into what they may see or change.

Views and the API ask this module (directly, or through an app's ``queries.py`` lookups
built on it); they never filter by region or role themselves.
A user without access to an object gets 404 (its existence is not revealed); a user who
may see it but not change it gets 403.

Roles are not permission lists: each role has a set of capabilities, and a membership
grants those capabilities over its region (or every region) and, for focal points, one
sector.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from amparo.accounts.models import Invitation, Membership, Role, User

# A region (``territory.Region``) as access sees it: the scope a membership points at. Access
# reaches the model through ``Membership.region`` and imports no domain app; each app's
# ``queries.py`` builds its own ``*_visible`` / ``*_or_404`` lookups on the functions here.
Region = Model


class Capability(enum.Enum):
    VIEW = "view"  # levels, counts, names of organizations
    VIEW_DETAIL = "view_detail"  # evidence text, status notes, who did what, contacts
    CHANGE_SECTOR = "change_sector"  # data that belongs to one sector
    CHANGE_REGION = "change_region"  # region-wide data: organizations, contacts, events
    MANAGE_PROGRAM = "manage_program"  # playbooks, catalog, planner


READ_CAPABILITIES = frozenset({Capability.VIEW, Capability.VIEW_DETAIL})

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PROGRAM_ADMIN: frozenset(Capability),
    Role.COORDINATOR: frozenset(
        {
            Capability.VIEW,
            Capability.VIEW_DETAIL,
            Capability.CHANGE_SECTOR,
            Capability.CHANGE_REGION,
        }
    ),
    Role.FOCAL_POINT: frozenset(
        {Capability.VIEW, Capability.VIEW_DETAIL, Capability.CHANGE_SECTOR}
    ),
    Role.VIEWER: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Grant:
    """One membership reduced to plain values."""

    role: str
    region_id: int | None  # None: every region
    sector_id: int | None  # None: every sector of the region

    def covers(self, capability: Capability, region_id: int, sector_id: int | None) -> bool:
        if capability not in ROLE_CAPABILITIES[self.role]:
            return False
        if self.region_id is not None and self.region_id != region_id:
            return False
        if self.sector_id is None or self.sector_id == sector_id:
            return True
        # A focal point reads region-wide objects (sector_id None) but changes none.
        return sector_id is None and capability in READ_CAPABILITIES


def grants(user: User) -> tuple[Grant, ...]:
    """The user's grants, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_amparo_grants", None)
    if cached is not None:
        return cached
    found = tuple(
        Grant(role, region_id, sector_id)
        for role, region_id, sector_id in Membership.objects.filter(user=user).values_list(
            "role", "region_id", "sector_id"
        )
    )
    if user.is_superuser:
        found = (Grant(Role.PROGRAM_ADMIN, None, None), *found)
    user._amparo_grants = found
    return found


def server_operator() -> User:
    """A reader with program-wide rights for work started on the server itself (``amparo
    report`` on the command line: whoever runs it reads the whole database anyway). Never
    saved and never signed in."""
    user = User(username="amparo-command-line", is_active=True)
    user._amparo_grants = (Grant(Role.PROGRAM_ADMIN, None, None),)
    return user


def can(user: User, capability: Capability, region: Region, sector_id: int | None = None) -> bool:
    """Whether ``user`` has ``capability`` over ``region`` (and ``sector_id`` if given)."""
    return any(g.covers(capability, region.pk, sector_id) for g in grants(user))


def require(
    user: User, capability: Capability, region: Region, sector_id: int | None = None
) -> None:
    """Raise 404 when the region is invisible to the user, 403 when only the action is denied."""
    if not can(user, Capability.VIEW, region, sector_id):
        raise Http404
    if not can(user, capability, region, sector_id):
        raise PermissionDenied


def is_program_admin(user: User) -> bool:
    return any(Capability.MANAGE_PROGRAM in ROLE_CAPABILITIES[g.role] for g in grants(user))


def two_factor_required(user: User) -> bool:
    """Whether the user must sign in with a second factor: program admins (and superusers,
    who count as such) see and change everything, so a password alone is not enough.
    Everyone else may turn it on."""
    return is_program_admin(user)


def history_visible(user: User, region: Region | None = None, sector_id: int | None = None) -> bool:
    """Whether an object's change history is shown to the user: to those who may see the
    details of its region (and sector); for program-wide objects (``region`` None: the
    playbooks, the catalog, the matrices), to those who may see details in some region.
    Viewers never see it, since old values may include evidence text or contact details."""
    if region is not None:
        return can(user, Capability.VIEW_DETAIL, region, sector_id)
    return any(Capability.VIEW_DETAIL in ROLE_CAPABILITIES[g.role] for g in grants(user))


def sees_small_counts(user: User, regions: Region | Iterable[Region]) -> bool:
    """Whether ``user`` sees small counts of people (and the figures that would give one
    back) in ``regions`` (one region, or every one of several; no regions: True). Those who
    may see a region's details do; for others such counts are hidden by their release
    (``amparo.disclosure.release``) on pages, in lists, the API and reports alike."""
    if isinstance(regions, Model):
        regions = (regions,)
    return all(can(user, Capability.VIEW_DETAIL, region) for region in regions)


def _regions() -> QuerySet[Region]:
    """Every region: the model ``Membership.region`` points at."""
    return Membership._meta.get_field("region").related_model.objects.all()


def regions_visible(user: User) -> QuerySet[Region]:
    """Every region in which the user holds any membership (all of them for program-wide ones)."""
    user_grants = grants(user)
    if any(g.region_id is None for g in user_grants):
        return _regions()
    return _regions().filter(pk__in={g.region_id for g in user_grants})


def regions_where(user: User, capability: Capability) -> QuerySet[Region]:
    """Every region in which the user holds ``capability`` over region-wide objects."""
    held = [g for g in grants(user) if g.covers(capability, g.region_id or 0, None)]
    if any(g.region_id is None for g in held):
        return _regions()
    return _regions().filter(pk__in={g.region_id for g in held})


def region_or_404(user: User, code: str) -> Region:
    """The region with ISO code ``code`` if the user may see it; 404 otherwise."""
    region = regions_visible(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def sector_filter(user: User, region: Region, field: str = "sector") -> Q:
    """A filter for sector-bound rows of ``region`` that the user may read."""
    user_grants = [g for g in grants(user) if g.region_id in (None, region.pk)]
    if any(g.sector_id is None for g in user_grants):
        return Q()
    sectors = {g.sector_id for g in user_grants}
    return Q(**{f"{field}__in": sectors}) if sectors else Q(pk__in=[])


def sector_scope(
    user: User | None,
    regions: Iterable[Region],
    *,
    region_field: str = "region",
    sector_field: str = "sector",
) -> Q:
    """A filter for sector-bound rows of ``regions`` that ``user`` may read: in each region,
    the rows of the sectors the user's grants there cover (``sector_filter``). Regions the
    user holds no grant in yield no rows; no regions yield no rows. ``user`` None (a
    program-wide computation with no reader) filters nothing. Reads only the user's cached
    grants."""
    if user is None:
        return Q()
    allowed = Q(pk__in=[])
    for region in regions:
        allowed |= Q(**{region_field: region}) & sector_filter(user, region, field=sector_field)
    return allowed


def first_or_404(rows: QuerySet) -> Model:
    """The first of ``rows`` (already scoped by the functions here); 404 when there is none.
    The apps' ``*_or_404`` lookups end with it."""
    found = rows.first()
    if found is None:
        raise Http404
    return found


def require_program_admin(user: User) -> None:
    """Program-level changes (playbooks, catalog, planner): 403 for anyone else."""
    if not is_program_admin(user):
        raise PermissionDenied


def settings_regions(user: User) -> QuerySet[Region]:
    """The regions whose church-track settings (teams based there, travel times, blackout
    periods) the user may read: every region for program admins, their own for regional
    coordinators. 404 without any membership, 403 for members who are neither; only
    program admins change them (``require_program_admin``)."""
    if not grants(user):
        raise Http404
    if is_program_admin(user):
        return _regions()
    held = {g.region_id for g in grants(user) if g.role == Role.COORDINATOR}
    if not held:
        raise PermissionDenied
    return _regions().filter(pk__in=held)


def settings_readable(user: User) -> bool:
    """Whether the church-track settings are shown to the user (``settings_regions``)."""
    return is_program_admin(user) or any(g.role == Role.COORDINATOR for g in grants(user))


def require_member(user: User) -> None:
    """Program-wide pages that reveal no region's data still need some membership."""
    if not grants(user):
        raise Http404


def may_import(user: User | None, capability: Capability, region: Region | None) -> bool:
    """Whether ``user`` may import rows that need ``capability`` into ``region``. Without a
    region (rows that name their own, as in an API request), whether they hold it in some
    region; each row is then checked against ``regions_where``."""
    if user is None:
        return False
    if region is None:
        return regions_where(user, capability).exists()
    return can(user, capability, region)


def people_who_can_change(region: Region, sector: Model | int | None = None) -> QuerySet[User]:
    """Active users who can follow up work in ``region``: those with a non-viewer membership
    of this region or of every region (superusers count as program admins). For a
    sector-bound object, pass its ``sector``: a focal point of another sector is left out.

    A viewer membership elsewhere does not remove anyone; only the covering membership
    counts."""
    covering = Membership.objects.filter(Q(region=region) | Q(region__isnull=True)).exclude(
        role=Role.VIEWER
    )
    if sector is not None:
        covering = covering.filter(Q(sector__isnull=True) | Q(sector=sector))
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=covering.values("user")) | Q(is_superuser=True))
        .order_by("username")
    )


# People and access. Whoever may change a region's region-wide data (its coordinators, and
# program admins everywhere) manages its people; only program admins give program-wide or
# coordinator roles, and only they deactivate people or reset a second factor.
ROLES_COORDINATORS_GIVE = frozenset({Role.FOCAL_POINT, Role.VIEWER})


def may_manage_people(user: User) -> bool:
    """Whether the user manages anyone's access: program admins and coordinators."""
    return any(Capability.CHANGE_REGION in ROLE_CAPABILITIES[g.role] for g in grants(user))


def require_people_manager(user: User) -> None:
    """The people pages: 404 for those without any membership, 403 for members who manage
    nobody (focal points, viewers)."""
    require_member(user)
    if not may_manage_people(user):
        raise PermissionDenied


def may_give(user: User, role: str, region_id: int | None) -> bool:
    """Whether ``user`` may give (or take away) a membership of ``role`` over ``region_id``
    (None: every region): program admins any, coordinators focal points and viewers of
    their own region."""
    if is_program_admin(user):
        return True
    if role not in ROLES_COORDINATORS_GIVE or region_id is None:
        return False
    return any(g.covers(Capability.CHANGE_REGION, region_id, None) for g in grants(user))


def regions_for_people(user: User) -> QuerySet[Region]:
    """Regions whose people the user manages."""
    return regions_where(user, Capability.CHANGE_REGION)


def people_visible(user: User) -> QuerySet[User]:
    """People the user manages: everyone for program admins; for a coordinator, those with
    a membership in their region (and nobody else, whatever their other memberships)."""
    require_people_manager(user)
    if is_program_admin(user):
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(region__in=regions_for_people(user)).values("user")
    )


def person_or_404(user: User, pk: int) -> User:
    person = people_visible(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def invitations_visible(user: User) -> QuerySet[Invitation]:
    """Invitations the user manages: all for program admins; for a coordinator, those
    carrying a membership of their region."""
    require_people_manager(user)
    if is_program_admin(user):
        return Invitation.objects.all()
    return Invitation.objects.filter(memberships__region__in=regions_for_people(user)).distinct()


def invitation_or_404(user: User, pk: int) -> Invitation:
    invitation = invitations_visible(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation
