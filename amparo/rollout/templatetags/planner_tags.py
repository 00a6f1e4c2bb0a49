"""Small filters for the planner's pages."""

from __future__ import annotations

from datetime import date, timedelta

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)


@register.filter
def add_days(day: date, days: int) -> date:
    return day + timedelta(days=int(days))
