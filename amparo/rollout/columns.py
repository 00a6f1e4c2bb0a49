"""Events' and attendance rows' columns in the tables written out (the workbook), with
their counts of people as the reader may see them (``tabular.Column``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

from amparo.rollout.models import Attendance, Event
from amparo.tabular import Column

T = TypeVar("T")


def _people(counts: Callable[[T], Sequence[object]]) -> list[Column[T]]:
    """Pastors, leaders and others, as ``counts`` gives them (shown or suppressed)."""
    headers = (_("Pastors"), _("Leaders"), _("Others"))
    return [Column(header, lambda item, i=i: counts(item)[i]) for i, header in enumerate(headers)]


def events(totals: Callable[[Event], Sequence[object]]) -> list[Column[Event]]:
    """One row per event with its attendance ``totals``."""
    return [
        Column[Event](_("Region"), lambda e: e.rollout.region.name),
        Column[Event](_("Stage"), lambda e: e.stage.name),
        Column[Event](_("Status"), lambda e: e.get_status_display()),
        Column[Event](_("Starts on"), lambda e: e.starts_on),
        Column[Event](_("Ends on"), lambda e: e.ends_on),
        Column[Event](_("City"), lambda e: e.city),
        *_people(totals),
    ]


def attendance(counts: Callable[[Attendance], Sequence[object]]) -> list[Column[Attendance]]:
    """One row per church or fraternity at an event, with its ``counts``."""
    return [
        Column[Attendance](_("Region"), lambda a: a.event.rollout.region.name),
        Column[Attendance](_("Stage"), lambda a: a.event.stage.name),
        Column[Attendance](_("Starts on"), lambda a: a.event.starts_on),
        Column[Attendance](_("City"), lambda a: a.event.city),
        Column[Attendance](_("Organization"), lambda a: a.organization.name),
        *_people(counts),
    ]
