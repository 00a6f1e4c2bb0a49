"""Travel times between regions, pure: the suggestion from the straight-line distance
between two capitals, the check of a cell's value, and the reading of a block pasted from
a spreadsheet into the matrix editor. No Django apart from translated messages."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MIN_DAYS = 0
MAX_DAYS = 60
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
# Straight-line kilometres a team covers in a day of travel, river and road included:
# deliberately low, since roads and rivers wind and boats wait. Only a suggestion.
SUGGESTION_KM_PER_DAY = 250.0

Pair = tuple[str, str]


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in kilometres between two (latitude, longitude) points in
    decimal degrees (haversine formula on a sphere of the Earth's mean radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def suggested_days(km: float) -> int:
    """Days to suggest for ``km`` of straight line: one day to get going, plus a day per
    ``SUGGESTION_KM_PER_DAY`` km, rounded, and never more than ``MAX_DAYS``."""
    if km <= 0:
        return min(MAX_DAYS, 1)
    return min(MAX_DAYS, 1 + round(km / SUGGESTION_KM_PER_DAY))


def suggestion(a: tuple[float, float] | None, b: tuple[float, float] | None) -> int | None:
    """The suggested days between two capitals, or None when either has no coordinates."""
    if a is None or b is None:
        return None
    return suggested_days(great_circle_km(a, b))


def check_days(text: str) -> int:
    """A cell's value as whole days from ``MIN_DAYS`` to ``MAX_DAYS``; ``ValueError`` with a
    message for the person otherwise. A trailing ``.0`` from a spreadsheet is accepted."""
    cleaned = text.strip()
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not cleaned.isdigit() or not cleaned.isascii():
        raise ValueError(
            _("“%(value)s” is not a whole number of days from %(low)s to %(high)s.")
            % {"value": text.strip(), "low": MIN_DAYS, "high": MAX_DAYS}
        )
    days = int(cleaned)
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(
            _("%(value)s days is out of range: use %(low)s to %(high)s.")
            % {"value": days, "low": MIN_DAYS, "high": MAX_DAYS}
        )
    return days


@dataclass
class Pasted:
    """What a pasted block says: the raw text of each cell by (origin, destination) code,
    and the problems that stop it from filling the matrix."""

    cells: dict[Pair, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _split(line: str, delimiter: str) -> list[str]:
    return [cell.strip().strip('"').strip() for cell in line.split(delimiter)]


def _delimiter(lines: Sequence[str]) -> str:
    """Tab when the block has one (spreadsheets copy with tabs), else semicolon (a Spanish
    spreadsheet's CSV), else comma."""
    text = "\n".join(lines)
    if "\t" in text:
        return "\t"
    return ";" if ";" in text else ","


def _names(regions: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased codes, codes without the country prefix and names, to codes."""
    found: dict[str, str] = {}
    for code, name in regions:
        found[code.lower()] = code
        found[code.split("-", 1)[-1].lower()] = code
        found[name.strip().lower()] = code
    return found


def parse_pasted_matrix(text: str, regions: Sequence[tuple[str, str]]) -> Pasted:
    """Read a block copied from a spreadsheet: rows of cells separated by tabs, semicolons
    or commas, with or without a header row and a header column naming the regions (by
    code, such as ``PE-LOR`` or ``LOR``, or by name). Without a header, rows and columns
    follow ``regions`` ((code, name) pairs, in the order the matrix shows them).

    Cells are kept as text (``check_days`` reads them); empty cells and those on the
    diagonal are left out. A header naming no known region, or a row longer than the
    header, is a problem named in ``errors``."""
    result = Pasted()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A row of empty cells still holds its place (its delimiters); blank lines do not.
    lines = [line for line in lines if line.strip(" ")]
    if not lines:
        return result
    delimiter = _delimiter(lines)
    rows = [_split(line, delimiter) for line in lines]
    names = _names(regions)
    order = [code for code, _name in regions]
    header = rows[0]
    # A header row: every non-empty cell (after a corner cell) names a region.
    header_names = [c for c in header[1:] if c]
    has_header_row = bool(header_names) and all(c.lower() in names for c in header_names)
    body = rows[1:] if has_header_row else rows
    # A header column: the first cell of every row names a region.
    has_header_column = bool(body) and all(row[0].lower() in names for row in body)
    if has_header_row:
        corner = has_header_column or not (header[0] and header[0].lower() in names)
        heads = header[1:] if corner else header
        columns: list[str | None] = [names.get(c.lower()) for c in heads]
        for name in (c for c in heads if c and c.lower() not in names):
            result.errors.append(
                _("The header names “%(name)s”, which is not a region.") % {"name": name}
            )
    else:
        columns = list(order)
    for index, row in enumerate(body):
        line_number = index + (2 if has_header_row else 1)
        if has_header_column:
            origin = names.get(row[0].lower())
            values = row[1:]
        else:
            origin = order[index] if index < len(order) else None
            values = row
        if origin is None:
            result.errors.append(
                _("Line %(line)s: the block has more rows than there are regions.")
                % {"line": line_number}
            )
            continue
        if len(values) > len(columns):
            extra = values[len(columns) :]
            if any(extra):
                result.errors.append(
                    _("Line %(line)s has more cells than there are regions.")
                    % {"line": line_number}
                )
                continue
        for destination, cell in zip(columns, values, strict=False):
            if destination is None or not cell or destination == origin:
                continue
            result.cells[(origin, destination)] = cell
    return result


@dataclass
class MatrixCheck:
    """The days of each pair to store, or the problems per cell (then nothing is stored)."""

    days: dict[Pair, int] = field(default_factory=dict)
    errors: dict[Pair, str] = field(default_factory=dict)


def check_matrix(
    cells: Mapping[Pair, str], *, same_both_ways: bool, labels: Mapping[str, str]
) -> MatrixCheck:
    """Check every filled cell (``check_days``) and, when travel takes the same time both
    ways, complete each pair from whichever side is filled; two different values for one
    pair are a problem on both cells. ``labels``: region names for the messages."""
    result = MatrixCheck()
    for pair, text in cells.items():
        if not text.strip() or pair[0] == pair[1]:
            continue
        try:
            result.days[pair] = check_days(text)
        except ValueError as error:
            result.errors[pair] = str(error)
    if same_both_ways:
        for (a, b), days in list(result.days.items()):
            back = result.days.get((b, a))
            if back is None and (b, a) not in result.errors:
                result.days[(b, a)] = days
            elif back is not None and back != days:
                message = _(
                    "%(a)s → %(b)s is %(ab)s days but %(b)s → %(a)s is %(ba)s: make them "
                    "equal or untick “same both ways”."
                ) % {"a": labels.get(a, a), "b": labels.get(b, b), "ab": days, "ba": back}
                result.errors[(a, b)] = result.errors[(b, a)] = message
    return result


def missing_pairs(codes: Sequence[str], days: Mapping[Pair, int]) -> list[Pair]:
    """Pairs of regions (in ``codes`` order, each pair once) with no travel time either
    way: the planner counts them as no travel at all."""
    return [
        (a, b)
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if (a, b) not in days and (b, a) not in days
    ]


@dataclass
class Editor:
    """What the matrix editor shows after a button that does not save: the cells as text,
    the problems per cell, notes for the person, and the pasted text still to fix."""

    cells: dict[Pair, str]
    errors: dict[Pair, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    paste: str = ""


def editor_fill(
    action: str,
    *,
    cells: Mapping[Pair, str],
    same_both_ways: bool,
    paste: str,
    suggestions: Mapping[Pair, int],
    regions: Sequence[tuple[str, str]],
) -> Editor:
    """Apply one of the editor's filling buttons to the posted ``cells``: ``"paste"`` (the
    pasted block over the grid; its problems keep the block for fixing), ``"suggest"`` (every
    pair empty both ways gets its suggestion) or ``"use:A:B"`` (that cell's suggestion,
    and its mirror when the same both ways). Nothing is saved; the cells are checked so
    that bad ones show at once. ``regions``: (code, name) in the matrix's order."""
    labels = dict(regions)
    editor = Editor(cells=dict(cells))
    if action == "paste":
        pasted = parse_pasted_matrix(paste, regions)
        if pasted.errors:
            editor.notes, editor.paste = pasted.errors, paste
            return editor
        editor.cells.update(pasted.cells)
        editor.notes.append(
            _("%(n)s cells filled from the pasted block. Check them, then save.")
            % {"n": len(pasted.cells)}
        )
    elif action == "suggest":
        filled = 0
        for pair, days in suggestions.items():
            if not editor.cells.get(pair) and not (same_both_ways and editor.cells.get(pair[::-1])):
                editor.cells[pair] = str(days)
                filled += 1
        editor.notes.append(
            _("%(n)s empty cells filled with suggestions. Check them, then save.") % {"n": filled}
        )
    elif action.startswith("use:"):
        origin, _sep, destination = action[4:].partition(":")
        days = suggestions.get((origin, destination))
        if days is not None:
            editor.cells[(origin, destination)] = str(days)
            if same_both_ways:
                editor.cells[(destination, origin)] = str(days)
    editor.errors = check_matrix(editor.cells, same_both_ways=same_both_ways, labels=labels).errors
    return editor


def editor_refused(
    cells: Mapping[Pair, str], *, same_both_ways: bool, regions: Sequence[tuple[str, str]]
) -> Editor:
    """The editor after a refused save: every cell as typed, with its problem."""
    errors = check_matrix(cells, same_both_ways=same_both_ways, labels=dict(regions)).errors
    note = _("Nothing was saved: %(n)s cells need a change.") % {"n": len(errors)}
    return Editor(cells=dict(cells), errors=errors, notes=[note])
