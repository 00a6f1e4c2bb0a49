from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from icalendar import Calendar

from amparo.rollout.models import CalendarFeed
from amparo.rollout.tests.conftest import make_event


def _create_link(client) -> str:
    page = client.post(reverse("calendar-create")).text
    return re.search(r'value="http://testserver(/calendar/[^"]+/events\.ics)"', page).group(1)


def test_a_feed_lists_the_events_the_user_may_see(world, rollout_a, rollout_b, stages) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 3, 10))
    make_event(rollout_b, stages["reuniones"], date(2025, 4, 14))
    url = _create_link(world.client("coordinator"))
    response = world.client(None).get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["location"]) for e in entries] == ["Iquitos"]
    entry = entries[0]
    assert entry.decoded("dtstart") == date(2025, 3, 10)
    assert entry.decoded("dtend") == date(2025, 3, 12)  # two days, end exclusive
    assert "Loreto" in str(entry["summary"])


def test_a_region_feed_refuses_a_region_the_user_cannot_see(world, rollout_a) -> None:
    url = _create_link(world.client("coordinator"))
    assert world.client(None).get(url.replace("events.ics", "PE-LOR.ics")).status_code == 200
    assert world.client(None).get(url.replace("events.ics", "PE-UCA.ics")).status_code == 404


def test_a_revoked_or_unknown_token_gets_nothing(world, rollout_a) -> None:
    client = world.client("coordinator")
    url = _create_link(client)
    feed = CalendarFeed.objects.get()
    assert len(feed.token_hash) == 64 and feed.token_hash not in url  # only the hash is kept
    client.post(reverse("calendar-revoke", args=[feed.pk]))
    assert world.client(None).get(url).status_code == 404
    assert world.client(None).get("/calendar/not-a-token/events.ics").status_code == 404


def test_nobody_revokes_another_persons_link(world) -> None:
    _create_link(world.client("coordinator"))
    feed = CalendarFeed.objects.get()
    world.client("viewer").post(reverse("calendar-revoke", args=[feed.pk]))
    assert CalendarFeed.objects.filter(pk=feed.pk).exists()


def test_a_deactivated_user_link_stops_working(world) -> None:
    url = _create_link(world.client("coordinator"))
    world.users["coordinator"].is_active = False
    world.users["coordinator"].save()
    assert world.client(None).get(url).status_code == 404
