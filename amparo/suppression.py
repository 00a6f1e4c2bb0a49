"""Small-number suppression for what viewers see (pure).

Counts of people from 1 to 4 could point to individuals in a small town, so viewers see
"<5" instead. Zero is shown: it reveals nobody.
"""

from __future__ import annotations

THRESHOLD = 5
SUPPRESSED = "<5"


def suppress(count: int | None, *, threshold: int = THRESHOLD) -> int | str | None:
    """``count`` itself, or ``"<5"`` when it is between 1 and ``threshold - 1``."""
    if count is None or count == 0 or count >= threshold:
        return count
    return SUPPRESSED
