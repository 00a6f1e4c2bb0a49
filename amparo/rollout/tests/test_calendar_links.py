"""Calendar links as their owner manages them, and what a calendar app reads from a feed:
one all-day entry per planned or done event, stable so that updates replace entries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

from django.urls import reverse
from icalendar import Calendar

from amparo.rollout.ical import events_ics
from amparo.rollout.models import CalendarFeed
from amparo.rollout.tests.conftest import make_event


def _links(page: str) -> list[str]:
    return re.findall(r'value="http://testserver(/calendar/[^"]+\.ics)"', page)


def test_a_new_link_is_shown_once_with_one_per_visible_region(world) -> None:
    client = world.client("coordinator")
    created = client.post(reverse("calendar-create"))
    links = _links(created.text)
    assert [url.rsplit("/", 1)[1] for url in links] == ["events.ics", "PE-LOR.ics"]
    assert "Cópielos ahora: solo se muestran esta vez." in created.text
    again = client.get(reverse("calendar-settings"))
    assert _links(again.text) == []  # the token is never shown again
    assert "nunca usado" in again.text


def test_a_program_admin_gets_a_link_for_every_region(world) -> None:
    links = _links(world.client("admin").post(reverse("calendar-create")).text)
    assert {url.rsplit("/", 1)[1] for url in links} == {"events.ics", "PE-LOR.ics", "PE-UCA.ics"}


def test_each_link_has_its_own_token_and_only_its_hash_is_kept(world) -> None:
    client = world.client("viewer")
    first = _links(client.post(reverse("calendar-create")).text)[0]
    second = _links(client.post(reverse("calendar-create")).text)[0]
    assert first != second
    hashes = set(CalendarFeed.objects.values_list("token_hash", flat=True))
    assert len(hashes) == 2
    assert not any(h in first or h in second for h in hashes)


def test_using_a_link_is_shown_on_the_settings_page(world, rollout_a) -> None:
    client = world.client("viewer")
    url = _links(client.post(reverse("calendar-create")).text)[0]
    assert CalendarFeed.objects.get().last_used_at is None
    world.client(None).get(url)
    assert CalendarFeed.objects.get().last_used_at is not None
    assert "usado por última vez" in client.get(reverse("calendar-settings")).text


def test_the_settings_page_lists_only_ones_own_links(world) -> None:
    world.client("coordinator").post(reverse("calendar-create"))
    page = world.client("viewer").get(reverse("calendar-settings")).text
    assert "Todavía no hay enlaces de calendario." in page
    assert reverse("calendar-revoke", args=[CalendarFeed.objects.get().pk]) not in page


def test_the_settings_page_in_english(world, settings) -> None:
    client = world.client("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(reverse("calendar-create")).text
    assert "Copy them now: they are shown only this once." in page
    assert "All my regions" in page


def test_links_are_made_and_revoked_with_post_only(world) -> None:
    client = world.client("viewer")
    assert client.get(reverse("calendar-create")).status_code == 405
    assert not CalendarFeed.objects.exists()
    client.post(reverse("calendar-create"))
    feed = CalendarFeed.objects.get()
    assert client.get(reverse("calendar-revoke", args=[feed.pk])).status_code == 405
    response = client.post(reverse("calendar-revoke", args=[feed.pk]), follow=True)
    assert "Enlace de calendario revocado." in response.text
    assert not CalendarFeed.objects.exists()


def test_anonymous_people_cannot_make_links(world) -> None:
    response = world.client(None).post(reverse("calendar-create"))
    assert response.status_code == 302 and not CalendarFeed.objects.exists()


def test_cancelled_events_leave_the_feed_and_done_ones_are_confirmed(
    world, rollout_a, stages
) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 3, 10))
    make_event(rollout_a, stages["conferencia"], date(2025, 4, 7), status="planned")
    make_event(rollout_a, stages["conferencia"], date(2025, 4, 1), status="cancelled")
    url = _links(world.client("viewer").post(reverse("calendar-create")).text)[0]
    entries = Calendar.from_ical(world.client(None).get(url).content).walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["status"])) for e in entries] == [
        (date(2025, 3, 10), "CONFIRMED"),
        (date(2025, 4, 7), "TENTATIVE"),
    ]


def test_the_feed_may_be_kept_by_the_browser_only(world, rollout_a) -> None:
    url = _links(world.client("viewer").post(reverse("calendar-create")).text)[0]
    response = world.client(None).get(url)
    assert response["Cache-Control"] == "private, max-age=300"


# --- the iCalendar text, without a database -------------------------------------------------


def _event(pk: int, **changes):
    values = {
        "pk": pk,
        "updated_at": datetime(2025, 1, 2, 12, 0, tzinfo=UTC),
        "starts_on": date(2025, 2, 27),
        "ends_on": date(2025, 3, 1),
        "stage": SimpleNamespace(name="Conferencia"),
        "rollout": SimpleNamespace(region=SimpleNamespace(name="Loreto")),
        "venue": "",
        "city": "Iquitos",
        "status": "planned",
        "team": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def test_an_entry_ends_the_day_after_its_last_day_even_across_months() -> None:
    body = events_ics([_event(7)], title="amparo · PE-LOR", domain="example.org")
    (entry,) = Calendar.from_ical(body).walk("VEVENT")
    assert entry.decoded("dtstart") == date(2025, 2, 27)
    assert entry.decoded("dtend") == date(2025, 3, 2)
    assert str(entry["uid"]) == "event-7@example.org"
    assert str(entry["summary"]) == "Conferencia · Loreto"
    assert "description" not in entry


def test_uids_depend_only_on_the_event_so_updates_replace_entries() -> None:
    before = Calendar.from_ical(events_ics([_event(3)], title="t", domain="d"))
    moved = _event(3, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3), status="done")
    after = Calendar.from_ical(events_ics([moved], title="t", domain="d"))
    assert [str(e["uid"]) for e in before.walk("VEVENT")] == ["event-3@d"]
    assert [str(e["uid"]) for e in after.walk("VEVENT")] == ["event-3@d"]
    assert str(after.walk("VEVENT")[0]["status"]) == "CONFIRMED"


def test_the_location_joins_venue_and_city_and_the_team_is_described() -> None:
    team = SimpleNamespace(name="Equipo A")
    body = events_ics(
        [_event(1, venue="Iglesia Central", team=team), _event(2)], title="t", domain="d"
    )
    first, second = Calendar.from_ical(body).walk("VEVENT")
    assert str(first["location"]) == "Iglesia Central, Iquitos"
    assert str(first["description"]) == "Equipo A"
    assert str(second["location"]) == "Iquitos"


def test_an_empty_feed_is_still_a_calendar_with_its_name() -> None:
    calendar = Calendar.from_ical(events_ics([], title="amparo · todas", domain="d"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["x-wr-calname"]) == "amparo · todas"
    assert str(calendar["version"]) == "2.0"
