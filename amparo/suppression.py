"""Small-number suppression for what viewers see (pure).

Counts of people from 1 to 4 could point to individuals in a small town, so viewers see
"<5" instead. Zero is shown: it reveals nobody.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

THRESHOLD = 5
SUPPRESSED = "<5"
HIDDEN_TOTAL = "—"  # a total withheld because a cell of its row is suppressed


def suppress(count: int | None, *, threshold: int = THRESHOLD) -> int | str | None:
    """``count`` itself, or ``"<5"`` when it is between 1 and ``threshold - 1``."""
    if count is None or count == 0 or count >= threshold:
        return count
    return SUPPRESSED


def suppress_with_total(
    counts: list[int], total: int | None = None, *, threshold: int = THRESHOLD
) -> tuple[list[int | str], int | str | None]:
    """Suppress small cells of a row, and its total whenever a cell is suppressed: a visible
    total minus the visible cells would give the hidden value back. A total that is itself
    small is suppressed too."""
    total = sum(counts) if total is None else total
    shown = [suppress(c, threshold=threshold) for c in counts]
    hidden = any(isinstance(v, str) for v in shown)
    return shown, (HIDDEN_TOTAL if hidden else suppress(total, threshold=threshold))


def covers_small(counts: Iterable[float], *, threshold: int = THRESHOLD) -> bool:
    """Whether one of ``counts`` (rounded to whole people) would be shown as ``"<5"``."""
    return any(isinstance(suppress(round(c), threshold=threshold), str) for c in counts)


def suppress_covering(
    total: float | None, cells: Iterable[float], *, threshold: int = THRESHOLD
) -> int | str | None:
    """A total (or a current value) as a viewer may see it: ``"<5"`` when small itself,
    withheld when it covers a suppressed cell, as ``suppress_with_total`` does for a total
    whose cells are shown elsewhere (a chart, another region's page)."""
    if total is None:
        return None
    shown = suppress(round(total), threshold=threshold)
    if isinstance(shown, str) or not covers_small(cells, threshold=threshold):
        return shown
    return HIDDEN_TOTAL


def withheld_in_group(values: Mapping[str, float], *, threshold: int = THRESHOLD) -> set[str]:
    """The values of one indicator, region and period that a reader who may not see small
    counts must not get. ``values`` maps each disaggregation (``"sex=f"``) to its count,
    ``""`` to the total. Withheld: every count from 1 to ``threshold - 1``; the total
    whenever a disaggregated count is withheld (``suppress_with_total``); and, in a
    dimension (``sex``, ``age_band``) where a single count is withheld, the smallest other
    count of it, since the region's total is shown elsewhere (its chart) and the shown
    counts of the dimension would otherwise give the hidden one back."""
    withheld = {key for key, value in values.items() if covers_small([value], threshold=threshold)}
    cells = {key: value for key, value in values.items() if key}
    if not withheld & cells.keys():
        return withheld
    withheld.add("")
    dimensions: dict[str, list[str]] = {}
    for key in cells:
        dimensions.setdefault(key.split("=", 1)[0], []).append(key)
    for keys in dimensions.values():
        hidden = [key for key in keys if key in withheld]
        shown = sorted((cells[key], key) for key in keys if key not in withheld)
        if len(hidden) == 1 and shown:
            withheld.add(shown[0][1])
    return withheld


def withheld_rows(
    rows: Iterable[tuple[Hashable, Hashable, str, float]], *, threshold: int = THRESHOLD
) -> set[Hashable]:
    """Of ``rows`` given as (id, group, disaggregation, value), with a group per indicator,
    region and period, the ids whose value is withheld by ``withheld_in_group``."""
    groups: dict[Hashable, dict[str, tuple[Hashable, float]]] = {}
    for row_id, group, disaggregation, value in rows:
        groups.setdefault(group, {})[disaggregation] = (row_id, value)
    found: set[Hashable] = set()
    for members in groups.values():
        keys = withheld_in_group({k: v for k, (_id, v) in members.items()}, threshold=threshold)
        found |= {members[key][0] for key in keys if key in members}
    return found
