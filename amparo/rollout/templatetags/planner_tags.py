"""``get_item``: a dictionary looked up by a key held in a variable (first written for the
planner's pages, now used across templates)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)
