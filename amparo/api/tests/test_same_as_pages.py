"""Each role sees through the API exactly the rows the pages show it, list by list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.api.tests.conftest import API_ROLES, bearer


def _api_rows(client, resource: str) -> list[dict]:
    response = client.get(f"/api/v1/{resource}?limit=500")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return body["items"]


def _context(client, name: str, *args: object) -> dict:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return response.context


def _what_the_pages_show(page) -> dict[str, set]:
    """The rows of every list, read from the pages a person opens: the home page map's regions,
    then for each region its organizations and rollouts, each rollout's board of events,
    its rounds and their findings, its measures and its indicators with their values."""
    shown: dict[str, set] = {key: set() for key in ("regions", "organizations", "rollouts")}
    shown |= {key: set() for key in ("events", "assessments", "findings", "measures")}
    shown |= {"indicators": set(), "observations": set()}
    program_map = _context(page, "home")["map"]  # every region the reader sees, on the map
    for tile in program_map.tiles if program_map else []:
        code = tile.region.code
        shown["regions"].add(code)
        region = _context(page, "region-detail", code)
        shown["organizations"] |= {o.pk for o in region["organizations"]}
        for rollout in region["rollouts"]:
            shown["rollouts"].add(rollout.pk)
            board = _context(page, "rollout-board", code, rollout.pk)["board"]
            shown["events"] |= {e.pk for row in board.rows for e in row.events}
        for round_ in _context(page, "round-list", code)["rounds"]:
            shown["assessments"].add(round_.pk)
            rows = _context(page, "finding-list", code, round_.pk)["rows"]
            shown["findings"] |= {finding.pk for finding, *_ in rows}
        shown["measures"] |= {m.pk for m in _context(page, "measure-list", code)["measures"]}
        for view, _chart in _context(page, "region-indicators", code)["charts"]:
            shown["indicators"].add(view.indicator.code)
            if view.indicator.typed:
                shown["observations"] |= {(view.indicator.code, code, d) for d, _v in view.series}
    return shown


@pytest.mark.parametrize("role", API_ROLES)
def test_each_role_sees_through_the_api_the_rows_its_pages_show(filled, role) -> None:
    world = filled
    shown = _what_the_pages_show(world.client(role))
    api = bearer(world, role)
    assert {r["code"] for r in _api_rows(api, "regions")} == shown["regions"]
    for resource in ("organizations", "rollouts", "events", "assessments", "findings"):
        assert {r["id"] for r in _api_rows(api, resource)} == shown[resource], resource
    assert {r["id"] for r in _api_rows(api, "measures")} == shown["measures"]
    observations = {
        (r["indicator"], r["region"], r["period"])
        for r in _api_rows(api, "observations")
        if r["disaggregation"] == "" and r["indicator"] in {"OUT-TRAINED", "INT-REFERRAL-DAYS"}
    }
    assert observations == {(i, c, d.isoformat()) for i, c, d in shown["observations"]}
    threats_page = world.client(role).get(reverse("threat-list"))
    if role == "outsider":
        # No membership: no region's page, no catalog page, and the same through the API.
        assert shown["regions"] == set() and threats_page.status_code == 404
        assert api.get("/api/v1/sectors").status_code == 404
        assert api.get("/api/v1/indicators").status_code == 404
        return
    sectors = {s.code for s in threats_page.context["sectors"]}
    assert {r["code"] for r in _api_rows(api, "sectors")} == sectors
    assert {r["code"] for r in _api_rows(api, "indicators")} == shown["indicators"]
    # The comparison is about something: every member sees rows of every kind.
    assert all(shown[key] for key in shown), {k: len(v) for k, v in shown.items()}
