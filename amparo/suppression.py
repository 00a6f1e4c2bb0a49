"""Small-number suppression for what viewers see (pure).

Counts of people from 1 to 4 could point to individuals in a small town, so viewers see
"<5" instead. Zero is shown: it reveals nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

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
