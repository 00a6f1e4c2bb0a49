"""``{{ n|people_count:see_small }}``: a count of people, suppressed below 5 for viewers."""

from __future__ import annotations

from django import template

from amparo.suppression import suppress

register = template.Library()


@register.filter
def people_count(count: int | None, see_small: bool) -> int | str | None:
    return count if see_small else suppress(count)
