"""What each reader may see of amparo's counts: one protection per reader, every output.

A reader is an audience: a threshold ``k`` and the regions whose details they see in full
(their cells are ``known``: never hidden, and counted as published). For each audience the
whole table of counts (every region and the program, every period and disaggregation, the
church track) is protected once per version of the data (``protect``), kept in the
database (``stored``: inline when the data is small, by the worker otherwise; until then a
*pending* release hides every count the reader does not know in full) and cached per
process, and every output (pages, charts, CSV, XLSX, PDF, API, DHIS2) asks the same
``Release`` which cells to hide. Restricting a safe publication to fewer cells stays safe,
so a page that shows part of the table hides what the release hides and nothing else.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tasks import task

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.disclosure import keys, relations, stored, track
from amparo.disclosure.model import CellKey, Table
from amparo.disclosure.models import ProtectionState
from amparo.disclosure.protect import protect
from amparo.indicators.models import Indicator, Observation, Unit
from amparo.territory.models import OrganizationKind

MARKER = "c"
PROGRAM = keys.PROGRAM


def note(k: int) -> str:
    """The note every output prints next to a hidden cell."""
    return _(
        "c: hidden to protect small counts (a count under %(k)s, or a figure that would "
        "let one be worked out)"
    ) % {"k": k}


def pending_note() -> str:
    """What an output made from a pending release says (its counts are hidden)."""
    return _(
        "Figures are being protected after a recent data change; counts are hidden until "
        "that is done (usually a few minutes). Reload later."
    )


class UnknownCells:
    """The hidden cells of a protection not worked out yet: every cell the reader does not
    know in full (the regions whose details they see, and the program's cells when they
    see every region). A worked-out protection never hides those either and hides at
    most the rest, so this hides at least what it would: it reveals nothing more.

    It answers what a set of hidden cells is asked (``in``, truth, ``|`` and ``<=`` with a
    frozenset) and refuses to be listed, so no caller can mistake it for a few cells."""

    def __init__(
        self, known_regions: frozenset[str] = frozenset(), program_known: bool = False
    ) -> None:
        self.known_regions = known_regions
        self.program_known = program_known

    def knows(self, region: str) -> bool:
        return self.program_known if region == PROGRAM else region in self.known_regions

    def __contains__(self, cell: object) -> bool:
        return not (isinstance(cell, tuple) and self.knows(track.region_of(cell)))

    def __bool__(self) -> bool:
        return True

    def __or__(self, other: object) -> UnknownCells:
        # Every cell: more than the union when the reader knows some, which is safe.
        return EVERY_CELL

    __ror__ = __or__

    def __le__(self, other: object) -> bool:
        return other is EVERY_CELL or (
            isinstance(other, UnknownCells)
            and other.known_regions <= self.known_regions
            and (other.program_known <= self.program_known)
        )

    def __ge__(self, other: object) -> bool:
        if isinstance(other, UnknownCells):
            return other <= self
        return all(cell in self for cell in other)  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownCells) and (
            (self.known_regions, self.program_known) == (other.known_regions, other.program_known)
        )

    def __hash__(self) -> int:
        return hash((self.known_regions, self.program_known))

    def __iter__(self):
        raise TypeError("every unknown cell is hidden: there is no list of them")

    def __repr__(self) -> str:
        return f"UnknownCells({sorted(self.known_regions)}, program={self.program_known})"


EVERY_CELL = UnknownCells()  # a reader who knows no region in full: every cell


def obs_cell(code: str, region: str, period: date, frequency: str, disaggregation: str) -> CellKey:
    return keys.obs(code, region, keys.period_label(period, frequency), disaggregation)


@dataclass(frozen=True)
class Audience:
    """Who reads: ``k`` and the regions (codes) whose cells they know in full;
    ``program_known`` when that is every region (the program's cells too)."""

    k: int
    known_regions: frozenset[str] = frozenset()
    program_known: bool = False

    def knows(self, cell: CellKey) -> bool:
        region = track.region_of(cell)
        if region == PROGRAM:
            return self.program_known
        return region in self.known_regions


def public_audience() -> Audience:
    """Donors and the public: the higher k, no one's details, whoever makes the output."""
    return Audience(settings.AMPARO_DISCLOSURE_K_PUBLIC)


def audience_for(user: User, *, public: bool = False) -> Audience:
    """The audience of ``user``: the regions whose details they see are known to them; the
    program's cells too when a program-wide grant lets them see every region's details."""
    if public:
        return public_audience()
    regions = list(access.regions_visible(user))
    known = frozenset(r.code for r in regions if access.sees_small_counts(user, r))
    program_wide = any(g.region_id is None for g in access.grants(user))
    every = program_wide and len(known) == len(regions)
    return Audience(settings.AMPARO_DISCLOSURE_K, known, every)


@dataclass(frozen=True)
class Release:
    """The protection of one audience: the cells it must not see."""

    k: int
    hidden: frozenset[CellKey] | UnknownCells
    program_cells: frozenset[CellKey] = frozenset()  # the program's cells in the table

    @property
    def pending(self) -> bool:
        """Whether the protection is still being worked out: every count the reader does
        not know in full is hidden meanwhile."""
        return isinstance(self.hidden, UnknownCells)

    @property
    def waiting(self) -> bool:
        """Pending and hiding counts from its reader (a reader who knows every region sees
        them all meanwhile): outputs then say why."""
        return isinstance(self.hidden, UnknownCells) and not self.hidden.program_known

    def hides(self, cell: CellKey) -> bool:
        return cell in self.hidden

    def hides_any(self, cells: Iterable[CellKey]) -> bool:
        return any(c in self.hidden for c in cells)

    def shown(self, cell: CellKey, value: object) -> object:
        """``value``, or the marker when the cell is hidden."""
        return MARKER if cell in self.hidden else value

    def observation_hidden(self, observation: Observation) -> bool:
        """Whether an observation's value is hidden (only counts ever are)."""
        indicator = observation.indicator
        if indicator.unit != Unit.COUNT:
            return False
        return (
            obs_cell(
                indicator.code,
                observation.region.code,
                observation.period,
                indicator.frequency,
                observation.disaggregation,
            )
            in self.hidden
        )

    @property
    def note(self) -> str:
        return note(self.k)

    @property
    def output_note(self) -> str:
        """The note a file (CSV, workbook, PDF) prints: it cannot show the page's notice."""
        return f"{self.note}. {pending_note()}" if self.waiting else self.note


def audience_key(audience: Audience) -> str:
    return stored.audience_key(audience.k, audience.known_regions, audience.program_known)


def release_for(audience: Audience) -> Release:
    """The audience's protection at the current data version: cached in the process, else
    stored in the database, else worked out now when the data is small. Larger data is
    left to the worker (``protect_audience``) and meanwhile the release is pending: it
    hides every count but the reader's own (``UnknownCells``), which reveals nothing. Never
    an older version's protection."""
    version, size = data_state()
    key = audience_key(audience)
    cache_key = f"disclosure:v2:{version}:{key}"
    found = cache.get(cache_key)
    if found is None:
        found = stored.protection_load(version=version, key=key)
        if found is None and not stored.data_small(size):
            # A reader who knows every region is hidden nothing they could see by the
            # protection either: the worker's minutes are kept for the others.
            if not audience.program_known:
                protection_request(audience, version=version)
                _audience_used(audience, key)
            return Release(audience.k, UnknownCells(audience.known_regions, audience.program_known))
        if found is None:
            found = protection_compute(audience, version=version)
        _audience_used(audience, key)
        cache.set(cache_key, found, 24 * 3600)
    return Release(audience.k, found.hidden, found.program_cells)


def _audience_used(audience: Audience, key: str) -> None:
    stored.audience_used(
        key=key,
        k=audience.k,
        known_regions=audience.known_regions,
        program_known=audience.program_known,
    )


def protection_compute(audience: Audience, *, version: str) -> stored.Protection:
    """Work out the audience's protection over the whole table and store it under
    ``version``, read before the table: data changed meanwhile has a newer version, which
    this protection is never used for."""
    started = time.monotonic()
    table = counts_table(audience)
    program = frozenset(c for c in table.values if track.region_of(c) == PROGRAM)
    protection = stored.Protection(protect_cells(table, k=audience.k), program)
    stored.protection_store(
        version=version,
        key=audience_key(audience),
        k=audience.k,
        protection=protection,
        duration=time.monotonic() - started,
    )
    return protection


@task()
def protect_audience(k: int, known_regions: list[str], program_known: bool) -> int:
    """The worker's task (here, not in ``tasks``: the release queues it, and ``tasks``
    reaches the release through the audit): store one audience's protection at the current
    data version; returns how many cells it hides."""
    audience = Audience(k, frozenset(known_regions), program_known)
    return len(protect_audience_now(audience).hidden)


def protection_request(audience: Audience, *, version: str) -> bool:
    """Ask the worker for the audience's protection at ``version`` unless it is already
    stored or asked for (by any process: the claim is a database row). True if queued."""
    if not stored.protection_claim(version=version, key=audience_key(audience), k=audience.k):
        return False
    protect_audience.enqueue(audience.k, sorted(audience.known_regions), audience.program_known)
    return True


def protect_audience_now(audience: Audience) -> stored.Protection:
    """The worker's side: store the audience's protection at the current data version
    (nothing to do when it is stored already)."""
    version = data_version()
    key = audience_key(audience)
    found = stored.protection_load(version=version, key=key)
    if found is not None:
        return found
    stored.protection_mark(version=version, key=key, k=audience.k, state=ProtectionState.RUNNING)
    try:
        return protection_compute(audience, version=version)
    except Exception:
        stored.protection_mark(version=version, key=key, k=audience.k, state=ProtectionState.FAILED)
        raise


def protect_now(user: User) -> None:
    """Store the protections of ``user``'s outputs (their own, and the donor version's
    public one), working out those missing now: for the audit, which reads the outputs
    and must not read them pending."""
    for audience in (audience_for(user), public_audience()):
        protect_audience_now(audience)


def audiences_to_protect() -> list[Audience]:
    """The public audience and those pages asked for lately (at the current thresholds),
    but those who know every region (their pending release hides nothing they see)."""
    ks = {settings.AMPARO_DISCLOSURE_K, settings.AMPARO_DISCLOSURE_K_PUBLIC}
    found = {public_audience()}
    for use in stored.audiences_in_use():
        if use.k in ks and not use.program_known:
            found.add(Audience(use.k, frozenset(use.known_regions), use.program_known))
    return sorted(found, key=lambda a: (a.k, a.program_known, sorted(a.known_regions)))


def protections_queue() -> int:
    """After a change to counted data: ask the worker for the protections of the audiences
    in use, so that pages rarely find theirs missing. Small data is protected inline by
    the first page that asks, so nothing is queued then. Returns how many were queued."""
    version, size = data_state()
    if stored.data_small(size):
        return 0
    return sum(protection_request(a, version=version) for a in audiences_to_protect())


def after_counted_change() -> None:
    """Called on every save or deletion of counted data: once per transaction, after it
    commits, the worker is asked for the protections of the audiences in use (a bulk
    import saves many rows in one transaction and queues once). Outside a transaction
    each save is its own and queues at once."""
    if any(func is _queue_after_commit for _sids, func, *_rest in connection.run_on_commit):
        return
    # Robust: the change is committed whatever happens here, and a page that finds its
    # protection missing asks for it again, so a failure is logged, not raised.
    transaction.on_commit(_queue_after_commit, robust=True)


def counted_changed(**_kwargs: object) -> None:
    """Receiver of the counted models' ``post_save`` and ``post_delete``."""
    after_counted_change()


def _queue_after_commit() -> None:
    protections_queue()


def release_of(user: User, *, public: bool = False) -> Release:
    return release_for(audience_for(user, public=public))


def report_release(user: User, *, donor: bool) -> Release:
    """The release of a report ``user`` makes: their own, or for donors and the public the
    public one (the higher k). A donor version also hides what the maker's own outputs hide:
    a reader can obtain both, and two protections with different complements could together
    give a cell away; hiding more than a safe release never reveals anything."""
    own = release_of(user)
    if not donor:
        return own
    public = release_for(public_audience())
    if own.hidden <= public.hidden:
        return public
    # With either pending, the union is every cell (``UnknownCells``): pending too.
    return Release(public.k, public.hidden | own.hidden, public.program_cells)


def report_release_ready(user: User, *, donor: bool) -> bool:
    """Whether ``report_release(user, donor=donor)`` would not be pending, without working
    anything out: its protections are stored, or the data is small enough to protect when
    asked. A report made while pending is not handed out again once they are ready."""
    version, size = data_state()
    if stored.data_small(size):
        return True
    audiences = [audience_for(user)] + ([public_audience()] if donor else [])
    return all(stored.protection_done(version=version, key=audience_key(a)) for a in audiences)


def request_release(request: HttpRequest) -> Release:
    """The release of the request's user, worked out once per request."""
    found = getattr(request, "_amparo_release", None)
    if found is None:
        found = release_of(request.user)
        request._amparo_release = found  # type: ignore[attr-defined]
    return found


def data_version() -> str:
    """Changes whenever a counted row is added, removed or changed: counts, latest change
    and sums of the source tables, in one query (a bulk ``update()`` leaves ``updated_at``
    as it was, the sums catch it)."""
    return data_state()[0]


def data_state() -> tuple[str, int]:
    """``data_version`` and the size of the protection's work (observations plus
    attendance rows, ``stored.data_small``), from the same query. Attendance rows and
    group reports have no time of change: their history's latest record marks every edit
    (a sum alone misses one that moves people between columns). Organizations and stages
    count through which are churches and leader trainings (``track_facts``)."""
    from amparo.rollout.models import (
        Attendance,
        Event,
        GroupReport,
        RecoveryGroup,
        Stage,
        StageKind,
    )
    from amparo.territory.models import Organization

    def table(model: type) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def ids_of(kind: str) -> str:
        return f"SUM(CASE WHEN kind = '{kind}' THEN id ELSE 0 END)"

    measures = [
        (Observation, "COUNT(*)"),
        (Observation, "MAX(updated_at)"),
        (Observation, "SUM(value)"),
        (Event, "COUNT(*)"),
        (Event, "MAX(updated_at)"),
        (RecoveryGroup, "COUNT(*)"),
        (RecoveryGroup, "MAX(updated_at)"),
        (Attendance, "COUNT(*)"),
        (Attendance, "MAX(id)"),
        (Attendance, "SUM(pastors + 3 * leaders + 7 * others)"),
        (Attendance.history.model, "MAX(history_id)"),
        (GroupReport, "COUNT(*)"),
        (GroupReport, "SUM(meetings_held + 3 * total_attendance)"),
        (GroupReport.history.model, "MAX(history_id)"),
        (Organization, ids_of(OrganizationKind.CHURCH)),
        (Stage, ids_of(StageKind.LEADER_TRAINING)),
        (Indicator, "COUNT(*)"),
        (Indicator, "SUM(LENGTH(code || unit || aggregation || frequency || computed_from))"),
    ]
    # One round trip: a row of scalar subqueries (table names come from the models).
    columns = [f"(SELECT {expr} FROM {table(model)})" for model, expr in measures]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        rows = cursor.fetchall()
    size = (rows[0][0] or 0) + (rows[0][7] or 0)  # observations and attendance rows
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:20], size


def counts_table(audience: Audience) -> Table:
    """Every count amparo publishes, with the relations between them: the observations
    (``relations.build``: months and years, regions and the program, groups of people)
    and the church track (``track.track_table``)."""
    built = relations.build(observation_rows(), indicator_shapes())
    values: dict[CellKey, float] = dict(built.table.values)
    track_values, track_constraints = track.track_table(track_facts(), computed_codes())
    values.update(track_values)
    known = frozenset(c for c in values if audience.knows(c))
    return Table(
        values,
        (*built.table.constraints, *track_constraints),
        weights={**relations.default_weights(track_values), **built.table.weights},
        known=known - built.table.derived,
        derived=built.table.derived,
    )


def computed_codes() -> dict[str, str]:
    return dict(
        Indicator.objects.exclude(computed_from="")
        .filter(unit=Unit.COUNT)
        .values_list("computed_from", "code")
    )


def indicator_shapes() -> dict[str, relations.Shape]:
    """The typed indicators and what amparo does with their values (computed ones are the
    church track's, ``track``)."""
    return {
        code: relations.Shape(aggregation, unit, frequency)
        for code, aggregation, unit, frequency in Indicator.objects.filter(
            computed_from=""
        ).values_list("code", "aggregation", "unit", "frequency")
    }


def observation_rows() -> list[relations.Row]:
    return [
        relations.Row(code, region, period, disaggregation, float(value))
        for code, region, period, disaggregation, value in Observation.objects.filter(
            indicator__unit=Unit.COUNT, indicator__computed_from=""
        ).values_list("indicator__code", "region__code", "period", "disaggregation", "value")
    ]


def protect_cells(table: Table, *, k: int) -> frozenset[CellKey]:
    """The cells to hide from a reader of ``table`` (the engine's ``protect``)."""
    return protect(table, k=k)


def track_facts() -> track.TrackFacts:
    """The church track's counts, in four queries."""
    from amparo.rollout.models import (
        Attendance,
        EventStatus,
        GroupReport,
        GroupStatus,
        RecoveryGroup,
        StageKind,
    )

    attendance = tuple(
        track.AttendanceRow(
            region,
            event_id,
            organization_id,
            (pastors, leaders, others),
            ends_on.replace(day=1) if status == EventStatus.DONE and kind == training else None,
            org_kind == OrganizationKind.CHURCH,
        )
        for training in [StageKind.LEADER_TRAINING]
        for (
            region,
            event_id,
            organization_id,
            pastors,
            leaders,
            others,
            ends_on,
            status,
            kind,
            org_kind,
        ) in Attendance.objects.values_list(
            "event__rollout__region__code",
            "event",
            "organization",
            "pastors",
            "leaders",
            "others",
            "event__ends_on",
            "event__status",
            "event__stage__kind",
            "organization__kind",
        )
    )
    launched = tuple(
        (region, on.replace(day=1))
        for region, on in RecoveryGroup.objects.values_list("rollout__region__code", "launched_on")
    )
    active_now = tuple(
        RecoveryGroup.objects.filter(status=GroupStatus.ACTIVE)
        .values("rollout__region__code")
        .annotate(n=Count("pk"))
        .values_list("rollout__region__code", "n")
    )
    active_by_month = tuple(
        (r["group__rollout__region__code"], _as_date(r["m"]), r["n"])
        for r in GroupReport.objects.filter(meetings_held__gt=0)
        .annotate(m=TruncMonth("month"))
        .values("group__rollout__region__code", "m")
        .annotate(n=Count("group", distinct=True))
    )
    return track.TrackFacts(attendance, launched, active_now, active_by_month)


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[return-value]


def attendance_hidden(
    release: Release, region: str, event_id: int, rows: list
) -> Callable[[int | None, int], bool]:
    """For ``attendance_table.shown_table``: whether row ``i``'s cell of a column (``i``
    None: the column's total) of an event's attendance is hidden. ``rows`` are the
    event's ``Attendance`` rows in the table's order."""

    def hidden(i: int | None, column: int) -> bool:
        organization = "" if i is None else rows[i].organization_id
        return track.event_cell(region, event_id, track.COLUMNS[column], organization) in (
            release.hidden
        )

    return hidden


def groups_shown(release: Release, region: str) -> bool:
    """Whether ``region``'s list of recovery groups may be shown to the reader of
    ``release``: not when a count its items give away is hidden (``track.groups_shown``)."""
    if not release.hidden:
        return True
    if isinstance(release.hidden, UnknownCells):  # pending: the known regions' are shown
        return release.hidden.knows(region)
    codes = computed_codes()
    group_codes = {codes[w] for w in track.GROUP_LINES if w in codes}
    return track.groups_shown(region, release.hidden, group_codes)


def event_training_month(event) -> date | None:
    """The month whose churches represented an event counts towards: the month a done
    leader training ends (as ``track_facts`` reads it); None for any other event."""
    from amparo.rollout.models import EventStatus, StageKind

    if event.status == EventStatus.DONE and event.stage.kind == StageKind.LEADER_TRAINING:
        return event.ends_on.replace(day=1)
    return None


def church_lists(release: Release) -> Callable[[str, date | None], bool]:
    """Whether an event's list of churches and fraternities (and its number of churches)
    may be shown, given the event's region and ``event_training_month``. The churches of
    a region's done leader trainings are what its churches represented count, per month
    and all time: a reader of the lists counts them. So such a list is shown only when
    neither count is hidden; other events' lists count nothing protected."""
    code = computed_codes().get("churches_represented") if release.hidden else None

    def shown(region: str, training_month: date | None) -> bool:
        if training_month is None or not release.hidden:
            return True
        cells = [track.track_cell(region, "churches_represented")]
        if code:
            cells.append(track.month_cell(code, region, training_month))
        return not release.hides_any(cells)

    return shown


def request_church_lists(request: HttpRequest) -> Callable[[str, date | None], bool]:
    """``church_lists`` of the request's user, worked out once per request."""
    found = getattr(request, "_amparo_church_lists", None)
    if found is None:
        found = church_lists(request_release(request))
        request._amparo_church_lists = found  # type: ignore[attr-defined]
    return found


def combined_hidden(
    release: Release, cells: Iterable[CellKey], *, program_cell: CellKey | None = None
) -> bool:
    """Whether a figure combined from ``cells`` (a chart point over several regions, a
    current value) must be hidden: it is shown when it is itself a cell the release shows
    (``program_cell``), or when every cell it combines is shown, since then it tells the
    reader nothing they could not add up. A pending release shows only a figure combining
    cells the reader knows (one combining none only to a reader who knows every region)."""
    cells = list(cells)
    if release.pending:
        return release.hides_any(cells) if cells else release.waiting
    if (
        program_cell is not None
        and program_cell in release.program_cells
        and program_cell not in release.hidden
    ):
        return False
    return release.hides_any(cells)


__all__ = [
    "EVERY_CELL",
    "MARKER",
    "Audience",
    "Release",
    "UnknownCells",
    "audience_for",
    "church_lists",
    "combined_hidden",
    "event_training_month",
    "groups_shown",
    "note",
    "pending_note",
    "protections_queue",
    "public_audience",
    "release_for",
    "release_of",
    "request_church_lists",
]
