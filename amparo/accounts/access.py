"""The one place that turns a user into what they may see or change.

Views and the API ask this module; they never filter by region or role themselves.
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
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from amparo.accounts.models import Membership, Role, User
from amparo.assessment.models import Assessment, Finding
from amparo.fieldservers.models import PublishedForm
from amparo.imports.models import ImportJob, target_filter
from amparo.mitigation.models import Measure
from amparo.rollout.models import Event, RecoveryGroup, Rollout
from amparo.territory.models import Contact, Organization, Region, Sector


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


def regions_visible(user: User) -> QuerySet[Region]:
    """Every region in which the user holds any membership (all of them for program-wide ones)."""
    user_grants = grants(user)
    if any(g.region_id is None for g in user_grants):
        return Region.objects.all()
    return Region.objects.filter(pk__in={g.region_id for g in user_grants})


def regions_where(user: User, capability: Capability) -> QuerySet[Region]:
    """Every region in which the user holds ``capability`` over region-wide objects."""
    held = [g for g in grants(user) if g.covers(capability, g.region_id or 0, None)]
    if any(g.region_id is None for g in held):
        return Region.objects.all()
    return Region.objects.filter(pk__in={g.region_id for g in held})


def region_or_404(user: User, code: str) -> Region:
    """The region with ISO code ``code`` if the user may see it; 404 otherwise."""
    region = regions_visible(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def organizations_visible(user: User, region: Region) -> QuerySet[Organization]:
    require(user, Capability.VIEW, region)
    return Organization.objects.filter(region=region)


def organization_or_404(user: User, region: Region, pk: int) -> Organization:
    organization = organizations_visible(user, region).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def contact_or_404(user: User, region: Region, pk: int) -> Contact:
    """A contact of the region's organizations; only those who see details may open one."""
    require(user, Capability.VIEW_DETAIL, region)
    contact = Contact.objects.filter(organization__region=region, pk=pk).first()
    if contact is None:
        raise Http404
    return contact


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


def require_program_admin(user: User) -> None:
    """Program-level changes (playbooks, catalog, planner): 403 for anyone else."""
    if not is_program_admin(user):
        raise PermissionDenied


def require_member(user: User) -> None:
    """Program-wide pages that reveal no region's data still need some membership."""
    if not grants(user):
        raise Http404


def rollout_or_404(user: User, region: Region, pk: int) -> Rollout:
    require(user, Capability.VIEW, region)
    rollout = Rollout.objects.select_related("playbook", "region").filter(region=region, pk=pk)
    return _first_or_404(rollout)


def rollout_by_id_or_404(user: User, pk: int) -> Rollout:
    """A rollout looked up by its id alone (the API), visible exactly as on its pages."""
    region = Region.objects.filter(rollouts__pk=pk).first()
    if region is None:
        raise Http404
    return rollout_or_404(user, region, pk)


def event_or_404(user: User, region: Region, pk: int) -> Event:
    require(user, Capability.VIEW, region)
    events = Event.objects.select_related("stage", "rollout__playbook", "team").filter(
        rollout__region=region, pk=pk
    )
    return _first_or_404(events)


def event_by_id_or_404(user: User, pk: int) -> Event:
    """An event looked up by its id alone (the API), visible exactly as on its pages."""
    region = Region.objects.filter(rollouts__events__pk=pk).first()
    if region is None:
        raise Http404
    return event_or_404(user, region, pk)


def group_or_404(user: User, region: Region, pk: int) -> RecoveryGroup:
    require(user, Capability.VIEW, region)
    groups = RecoveryGroup.objects.select_related("church", "rollout", "launch_event").filter(
        rollout__region=region, pk=pk
    )
    return _first_or_404(groups)


def _first_or_404(rows: QuerySet) -> object:
    found = rows.first()
    if found is None:
        raise Http404
    return found


def may_import(user: User | None, capability: Capability, region: Region | None) -> bool:
    """Whether ``user`` may import rows that need ``capability`` into ``region``. Without a
    region (rows that name their own, as in an API request), whether they hold it in some
    region; each row is then checked against ``regions_where``."""
    if user is None:
        return False
    if region is None:
        return regions_where(user, capability).exists()
    return can(user, capability, region)


class ImportRights(Protocol):
    """What access needs of a kind of import (``amparo.imports.kinds.ImportKind``)."""

    name: str
    capability: Capability


def import_job_or_404(
    user: User, region: Region, kind: ImportRights, pk: object, target: Model | None = None
) -> ImportJob:
    """A job of ``kind`` into ``region`` (and ``target``): 404 for those who may not see
    the region, 403 for those who see it but may not import this kind there, whoever
    uploaded the job."""
    require(user, kind.capability, region)
    jobs = ImportJob.objects.select_related("created_by", "region").filter(
        kind=kind.name, region=region, pk=pk
    )
    if target is not None:
        jobs = jobs.filter(**target_filter(target))
    return _first_or_404(jobs)


def published_form_or_404(
    user: User, region: Region, assessment: Assessment, pk: int, capability: Capability
) -> PublishedForm:
    """A form of ``assessment`` published on a field server: 404 outside the region, 403
    without ``capability`` there (the field-answer imports' own)."""
    require(user, capability, region)
    return _first_or_404(
        PublishedForm.objects.select_related("connection").filter(assessment=assessment, pk=pk)
    )


def sectors_visible(user: User, region: Region) -> QuerySet[Sector]:
    """Sectors of the region's country whose sector-bound rows the user may read."""
    return Sector.objects.filter(country=region.country).filter(
        sector_filter(user, region, field="pk")
    )


def assessment_or_404(user: User, region: Region, pk: int) -> Assessment:
    require(user, Capability.VIEW, region)
    rounds = Assessment.objects.select_related("matrix", "region", "previous").filter(
        region=region, pk=pk
    )
    return _first_or_404(rounds)


def findings_visible(user: User, assessment: Assessment) -> QuerySet[Finding]:
    """The round's findings in the sectors the user may read (a focal point: their own)."""
    require(user, Capability.VIEW, assessment.region)
    return assessment.findings.filter(sector_filter(user, assessment.region)).select_related(
        "threat", "sector"
    )


def finding_or_404(user: User, assessment: Assessment, pk: int) -> Finding:
    return _first_or_404(findings_visible(user, assessment).filter(pk=pk))


def finding_by_id_or_404(user: User, pk: int) -> Finding:
    """A finding looked up by its id alone (the API): visible exactly as on its round's
    pages, 404 otherwise."""
    assessment = (
        Assessment.objects.select_related("matrix", "region").filter(findings__pk=pk).first()
    )
    if assessment is None:
        raise Http404
    return finding_or_404(user, assessment, pk)


def sectors_changeable(user: User, region: Region) -> QuerySet[Sector]:
    """Sectors whose rows in ``region`` the user may change (all for coordinators)."""
    visible = sectors_visible(user, region)
    allowed = [s.pk for s in visible if can(user, Capability.CHANGE_SECTOR, region, s.pk)]
    return Sector.objects.filter(pk__in=allowed)


def measures_visible(user: User, region: Region) -> QuerySet[Measure]:
    """The region's measures in the sectors the user may read."""
    require(user, Capability.VIEW, region)
    return Measure.objects.filter(region=region).filter(sector_filter(user, region))


def measure_or_404(user: User, region: Region, pk: int) -> Measure:
    return _first_or_404(
        measures_visible(user, region)
        .select_related("sector", "organization", "responsible", "owner", "control", "region")
        .filter(pk=pk)
    )


def measure_by_id_or_404(user: User, pk: int) -> Measure:
    """A measure looked up by its id alone (the API), visible exactly as on its pages."""
    region = Region.objects.filter(measures__pk=pk).first()
    if region is None:
        raise Http404
    return measure_or_404(user, region, pk)


def measures_followed(user: User) -> QuerySet[Measure]:
    """Measures the user follows up, limited to what their memberships still let them read."""
    return Measure.objects.filter(owner=user).filter(sector_scope(user, regions_visible(user)))


def people_who_can_change(region: Region, sector: Sector | int | None = None) -> QuerySet[User]:
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
