"""``{{ n|people_count:see_small }}``: a count of people as a reader may see it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings

from amparo.disclosure.release import MARKER

register = template.Library()


@register.filter
def people_count(count: int | float | Decimal | str | None, see_small: bool) -> int | str | None:
    """The count as a whole number, or the marker ``c`` for those who may not see small
    counts when it is from 1 to k-1 (counts no other figure adds up, such as a group's
    monthly attendance; counts that take part in totals are hidden by the reader's
    release, ``amparo.disclosure.release``, and arrive here as the marker already)."""
    if count is None or count == MARKER:
        return count
    whole = round(float(count))
    if see_small or not 0 < whole < settings.AMPARO_DISCLOSURE_K:
        return whole
    return MARKER
