"""What each reader may see of amparo's counts: one protection per reader, every output.

A reader is an audience: a threshold ``k`` and the regions whose details they see in full
(their cells are ``known``: never hidden, and counted as published). For each audience the
whole table of counts (every region and the program, every period and disaggregation, the
church track, ``counted``) is protected once per version of the data (``protect``), kept
in the database (``stored``; worked out by ``worker_protection``: inline when the data is
small, by the worker otherwise; until then a *pending* release hides every count the
reader does not know in full, ``unknown_cells``) and cached per process, and every output
(pages, charts, CSV, XLSX, PDF, API, DHIS2) asks the same ``Release`` which cells to hide.
Restricting a safe publication to fewer cells stays safe, so a page that shows part of the
table hides what the release hides and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.disclosure import keys, stored, track
from amparo.disclosure.audience import Audience, audience_for, audience_key, public_audience
from amparo.disclosure.counted import computed_codes, data_state
from amparo.disclosure.model import CellKey
from amparo.disclosure.unknown_cells import EVERY_CELL, UnknownCells
from amparo.disclosure.worker_protection import (
    protection_compute,
    protection_request,
    protections_queue,
)
from amparo.indicators.models import Observation, Unit

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


def obs_cell(code: str, region: str, period: date, frequency: str, disaggregation: str) -> CellKey:
    return keys.obs(code, region, keys.period_label(period, frequency), disaggregation)


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


def request_waiting(request: HttpRequest) -> bool:
    """Whether the request's release, when its view asked for one (``request_release``),
    is waiting; works nothing out, so a request that read no counts costs nothing here."""
    found = getattr(request, "_amparo_release", None)
    return bool(found is not None and found.waiting)


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
    "request_release",
    "request_waiting",
]
