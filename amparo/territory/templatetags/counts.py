"""``{{ n|people_count:see_small }}``: a count of people, suppressed below 5 for viewers."""

from __future__ import annotations

from decimal import Decimal

from django import template

from amparo.suppression import suppress

register = template.Library()


@register.filter
def people_count(count: int | float | Decimal | None, see_small: bool) -> int | str | None:
    """The count as a whole number, or ``<5`` for viewers when it is between 1 and 4."""
    if count is None:
        return None
    whole = round(float(count))
    return whole if see_small else suppress(whole)
