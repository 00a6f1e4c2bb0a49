"""Small-number suppression for what viewers see (pure).

Counts of people from 1 to 4 could point to individuals in a small town, so viewers see
"<5" instead. Zero is shown: it reveals nobody.
"""

from __future__ import annotations

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
