"""iCalendar text for a list of events (RFC 5545), readable by ordinary calendar apps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from amparo.rollout.models import Event, EventStatus


def events_ics(events: Iterable[Event], *, title: str, domain: str) -> bytes:
    """All-day entries, one per event; DTEND is the day after the last day, as RFC 5545
    wants for dates. UIDs are stable so that calendar apps update rather than duplicate."""
    calendar = Calendar()
    calendar.add("prodid", "-//amparo//church track//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{domain}")
        entry.add("dtstamp", event.updated_at)
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", event.ends_on + timedelta(days=1))
        entry.add("summary", f"{event.stage.name} · {event.rollout.region.name}")
        entry.add("location", ", ".join(p for p in (event.venue, event.city) if p))
        entry.add("status", "CONFIRMED" if event.status == EventStatus.DONE else "TENTATIVE")
        if event.team:
            entry.add("description", event.team.name)
        calendar.add_component(entry)
    return calendar.to_ical()
