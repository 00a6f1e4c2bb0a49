"""The church-track settings pages: what each role sees and may do, the matrix editor's
buttons, the month calendar, the planner's summary, both languages, bounded queries."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from amparo.rollout.models import Blackout, Team, TravelTime
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Region
from amparo.tests.queries import page_queries, post_queries


@pytest.fixture
def coordinates(world) -> None:
    Region.objects.filter(pk=world.region_a.pk).update(
        capital_latitude=Decimal("-3.73333"), capital_longitude=Decimal("-73.25")
    )
    Region.objects.filter(pk=world.region_b.pk).update(
        capital_latitude=Decimal("-8.38333"), capital_longitude=Decimal("-74.55")
    )


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def _matrix(codes=("PE-LOR", "PE-UCA"), **values) -> dict:
    data = {f"d-{a}-{b}": "" for a in codes for b in codes if a != b}
    data.update({k.replace("__", "-").replace("_", "-"): v for k, v in values.items()})
    return data


# --- menu and overview -------------------------------------------------------------------


@pytest.mark.parametrize("role,shown", [("admin", True), ("coordinator", True), ("viewer", False)])
def test_the_menu_links_the_settings_for_admins_and_coordinators(world, role, shown) -> None:
    page = world.client(role).get(reverse("home")).content.decode()
    assert (reverse("track-settings") in page) is shown


def test_the_overview_links_every_settings_page(world) -> None:
    page = world.client("admin").get(reverse("track-settings")).content.decode()
    for url in (reverse("team-list"), reverse("travel-times"), reverse("planner")):
        assert url in page
    assert reverse("blackout-calendar", args=["PE-UCA"]) in page


def test_a_coordinator_overview_lists_only_their_region(world) -> None:
    page = world.client("coordinator").get(reverse("track-settings")).content.decode()
    assert reverse("blackout-calendar", args=["PE-LOR"]) in page
    assert reverse("blackout-calendar", args=["PE-UCA"]) not in page
    assert reverse("planner") not in page


# --- teams -------------------------------------------------------------------------------


def test_an_admin_adds_a_team_from_the_page(world, stages) -> None:
    client = world.client("admin")
    response = client.post(
        reverse("team-create"),
        {
            "code": "norte",
            "name": "Equipo norte",
            "stages": [stages["reuniones"].pk],
            "home_region": world.region_a.pk,
            "notes": "Dos pastores",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(code="norte")
    assert team.home_region == world.region_a
    page = client.get(reverse("team-list")).content.decode()
    assert "Equipo norte" in page and "Dos pastores" in page


def test_a_team_form_with_errors_answers_422(world) -> None:
    response = world.client("admin").post(reverse("team-create"), {"code": "", "name": ""})
    assert response.status_code == 422
    assert not Team.objects.exists()


def test_editing_a_team_keeps_its_code(world, team, stages) -> None:
    response = world.client("admin").post(
        reverse("team-edit", args=[team.pk]),
        {"code": "changed", "name": "Equipo A2", "stages": [stages["conferencia"].pk], "notes": ""},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.code, team.name) == ("A", "Equipo A2")


def test_a_coordinator_sees_only_the_teams_based_in_their_region(world) -> None:
    Team.objects.create(code="n", name="Equipo Loreto", home_region=world.region_a)
    Team.objects.create(code="s", name="Equipo Ucayali", home_region=world.region_b)
    page = world.client("coordinator").get(reverse("team-list")).content.decode()
    assert "Equipo Loreto" in page and "Equipo Ucayali" not in page
    assert reverse("team-create") not in page


def test_removing_a_used_team_is_refused_with_the_reason(world, team, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2027, 1, 4), status="planned")
    event.team = team
    event.save()
    client = world.client("admin")
    page = client.get(reverse("team-delete", args=[team.pk])).content.decode()
    assert "cannot be removed" in page or "no se puede" in page
    response = client.post(reverse("team-delete", args=[team.pk]))
    assert response.status_code == 200
    assert Team.objects.filter(pk=team.pk).exists()


def test_removing_an_unused_team(world, team) -> None:
    response = world.client("admin").post(reverse("team-delete", args=[team.pk]))
    assert response.status_code == 302
    assert not Team.objects.exists()


def test_a_coordinator_cannot_change_teams(world, team) -> None:
    client = world.client("coordinator")
    assert client.post(reverse("team-create"), {"code": "x", "name": "x"}).status_code == 403
    assert client.post(reverse("team-delete", args=[team.pk])).status_code == 403
    assert Team.objects.count() == 1


def test_team_list_queries_do_not_grow_with_teams(
    world, stages, django_assert_max_num_queries
) -> None:
    client = world.client("admin")
    url = reverse("team-list")
    Team.objects.create(code="t0", name="t0", home_region=world.region_a)
    small = page_queries(client, url)
    for n in range(1, 8):
        team = Team.objects.create(code=f"t{n}", name=f"t{n}", home_region=world.region_b)
        team.stages.set(list(stages.values()))
    assert page_queries(client, url) == small
    with django_assert_max_num_queries(10):
        client.get(url)


# --- travel times ------------------------------------------------------------------------


def test_the_matrix_shows_missing_pairs_and_suggestions(world, coordinates) -> None:
    page = world.client("admin").get(reverse("travel-times")).content.decode()
    assert "Loreto ↔ Ucayali" in page
    assert 'value="use:PE-LOR:PE-UCA"' in page and "≈3" in page


def test_a_region_without_coordinates_has_no_suggestion(world) -> None:
    page = world.client("admin").get(reverse("travel-times")).content.decode()
    assert "use:PE-LOR:PE-UCA" not in page
    assert "sin sugerencia" in page


def test_saving_the_matrix_stores_both_ways(world) -> None:
    client = world.client("admin")
    data = _matrix(**{"d__PE-LOR__PE-UCA": "4"}) | {"same_both_ways": "on", "action": "save"}
    response = client.post(reverse("travel-times"), data)
    assert response.status_code == 302
    assert sorted(TravelTime.objects.values_list("days", flat=True)) == [4, 4]
    page = client.get(reverse("travel-times")).content.decode()
    assert "↔" not in page.split("<form")[0]  # nothing missing any more


def test_a_bad_cell_saves_nothing_and_is_shown_on_its_cell(world) -> None:
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=2)
    data = _matrix(**{"d__PE-LOR__PE-UCA": "70", "d__PE-UCA__PE-LOR": ""}) | {"action": "save"}
    response = world.client("admin").post(reverse("travel-times"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'value="70"' in page
    assert TravelTime.objects.get().days == 2


def test_unticking_same_both_ways_keeps_each_direction(world) -> None:
    data = _matrix(**{"d__PE-LOR__PE-UCA": "3", "d__PE-UCA__PE-LOR": "5"}) | {"action": "save"}
    assert world.client("admin").post(reverse("travel-times"), data).status_code == 302
    stored = dict(TravelTime.objects.values_list("origin__code", "days"))
    assert stored == {"PE-LOR": 3, "PE-UCA": 5}
    page = world.client("admin").get(reverse("travel-times")).content.decode()
    assert 'name="same_both_ways" checked' not in page  # stored asymmetric: shown unticked


def test_pasting_a_block_fills_the_grid_without_saving(world) -> None:
    data = _matrix() | {
        "same_both_ways": "on",
        "action": "paste",
        "paste": "\tLoreto\tUcayali\nLoreto\t0\t6\nUcayali\t6\t0",
    }
    response = world.client("admin").post(reverse("travel-times"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="d-PE-LOR-PE-UCA" id="d-PE-LOR-PE-UCA" value="6"' in page
    assert not TravelTime.objects.exists()


def test_a_pasted_block_with_bad_cells_shows_them(world) -> None:
    data = _matrix() | {"action": "paste", "paste": "0\tdos\n2\t0"}
    page = world.client("admin").post(reverse("travel-times"), data).content.decode()
    assert 'aria-invalid="true"' in page and "dos" in page
    assert not TravelTime.objects.exists()


def test_suggestions_fill_the_empty_cells_or_one_cell(world, coordinates) -> None:
    client = world.client("admin")
    data = _matrix() | {"same_both_ways": "on", "action": "suggest"}
    page = client.post(reverse("travel-times"), data).content.decode()
    assert 'id="d-PE-LOR-PE-UCA" value="3"' in page
    data = _matrix(**{"d__PE-UCA__PE-LOR": "9"}) | {"action": "use:PE-LOR:PE-UCA"}
    page = client.post(reverse("travel-times"), data).content.decode()
    assert 'id="d-PE-LOR-PE-UCA" value="3"' in page
    assert 'id="d-PE-UCA-PE-LOR" value="9"' in page  # other cells as typed
    assert not TravelTime.objects.exists()


def test_a_coordinator_reads_their_row_and_cannot_save(world) -> None:
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=5)
    client = world.client("coordinator")
    page = client.get(reverse("travel-times")).content.decode()
    assert 'name="d-PE-LOR-PE-UCA"' not in page
    assert re.search(r"<td[^>]*>\s*5\s", page)
    assert "Ucayali</th>" in page  # the column, not a row: their region's row only
    assert page.count('<th scope="row">') == 1
    data = _matrix(**{"d__PE-LOR__PE-UCA": "1"}) | {"action": "save"}
    assert client.post(reverse("travel-times"), data).status_code == 403
    assert TravelTime.objects.get().days == 5


def test_matrix_queries_do_not_grow_with_regions(world, django_assert_max_num_queries) -> None:
    client = world.client("admin")
    url = reverse("travel-times")
    small = page_queries(client, url)
    for n in range(6):
        region = Region.objects.create(code=f"PE-X{n}", name=f"X{n}", capital="c", country="PE")
        TravelTime.objects.create(origin=world.region_a, destination=region, days=n)
    assert page_queries(client, url) == small
    data = _matrix() | {"action": "save"}
    assert post_queries(client, url, data, 302) <= small + 12


# --- blackouts ---------------------------------------------------------------------------


def test_an_admin_adds_a_yearly_blackout_and_sees_it_on_the_calendar(world) -> None:
    client = world.client("admin")
    response = client.post(
        reverse("blackout-create", args=["PE-LOR"]),
        {
            "first_day": "2027-01-15",
            "last_day": "2027-03-31",
            "kind": "rainy_season",
            "reason": "creciente",
            "every_year": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?month=2027-01")
    page = client.get(reverse("blackout-calendar", args=["PE-LOR"]) + "?month=2029-02")
    text = page.content.decode()
    assert "Temporada de lluvias" in text
    assert text.count('class=" blackout"') == 28  # every day of February 2029


def test_a_blackout_form_with_errors_answers_422(world) -> None:
    response = world.client("admin").post(
        reverse("blackout-create", args=["PE-LOR"]),
        {"first_day": "2027-03-01", "last_day": "2027-02-01", "kind": "other"},
    )
    assert response.status_code == 422
    assert not Blackout.objects.exists()


def test_a_blackout_is_edited_and_removed(world) -> None:
    blackout = Blackout.objects.create(
        region=world.region_a, first_day=date(2027, 4, 1), last_day=date(2027, 4, 3)
    )
    client = world.client("admin")
    response = client.post(
        reverse("blackout-edit", args=["PE-LOR", blackout.pk]),
        {"first_day": "2027-04-01", "last_day": "2027-04-05", "kind": "elections"},
    )
    assert response.status_code == 302
    blackout.refresh_from_db()
    assert (blackout.last_day, blackout.kind) == (date(2027, 4, 5), "elections")
    client.post(reverse("blackout-delete", args=["PE-LOR", blackout.pk]))
    assert not Blackout.objects.exists()


def test_a_blackout_of_another_region_is_not_found_through_this_one(world) -> None:
    blackout = Blackout.objects.create(
        region=world.region_b, first_day=date(2027, 4, 1), last_day=date(2027, 4, 3)
    )
    client = world.client("admin")
    assert client.get(reverse("blackout-edit", args=["PE-LOR", blackout.pk])).status_code == 404
    assert client.post(reverse("blackout-delete", args=["PE-LOR", blackout.pk])).status_code == 404


def test_a_coordinator_reads_the_calendar_without_changing_it(world) -> None:
    Blackout.objects.create(
        region=world.region_a,
        first_day=date(2027, 4, 1),
        last_day=date(2027, 4, 3),
        kind="elections",
    )
    client = world.client("coordinator")
    page = client.get(reverse("blackout-calendar", args=["PE-LOR"]) + "?month=2027-04")
    assert page.status_code == 200 and "Elecciones" in page.content.decode()
    assert reverse("blackout-create", args=["PE-LOR"]) not in page.content.decode()


def test_a_bad_month_shows_the_current_one(world) -> None:
    response = world.client("admin").get(reverse("blackout-calendar", args=["PE-LOR"]) + "?month=x")
    assert response.status_code == 200


def test_the_calendar_is_a_table_with_weekday_headers_and_month_links(world) -> None:
    page = (
        world.client("admin")
        .get(reverse("blackout-calendar", args=["PE-LOR"]) + "?month=2027-01")
        .content.decode()
    )
    assert "<caption>" in page and page.count('<th scope="col">') == 7
    assert "?month=2026-12" in page and "?month=2027-02" in page


def test_calendar_queries_do_not_grow_with_blackouts(world, django_assert_max_num_queries) -> None:
    client = world.client("admin")
    url = reverse("blackout-calendar", args=["PE-LOR"]) + "?month=2027-02"
    small = page_queries(client, url)
    for n in range(1, 10):
        Blackout.objects.create(
            region=world.region_a,
            first_day=date(2027, 2, n),
            last_day=date(2027, 2, n + 1),
            every_year=n % 2 == 0,
        )
    assert page_queries(client, url) == small
    with django_assert_max_num_queries(10):
        client.get(url)


# --- the planner's page and English ------------------------------------------------------


def test_the_planner_shows_what_it_uses_and_links_to_it(world, playbook, team) -> None:
    Blackout.objects.create(
        region=world.region_a,
        first_day=date(2026, 1, 15),
        last_day=date(2026, 3, 31),
        every_year=True,
    )
    page = world.client("admin").get(reverse("planner")).content.decode()
    assert reverse("team-list") in page and reverse("travel-times") in page
    assert reverse("blackout-calendar", args=["PE-LOR"]) in page
    assert "Loreto ↔ Ucayali" in page  # the missing travel pair
    assert "1 equipo" in page
    today = date.today()
    assert f"PE-LOR {today.year + 1}-01-15 {today.year + 1}-03-31" in page


def test_planner_page_queries_do_not_grow_with_settings(world, playbook) -> None:
    client = world.client("admin")
    url = reverse("planner")
    small = page_queries(client, url)
    for n in range(5):
        Team.objects.create(code=f"t{n}", name=f"t{n}")
        Blackout.objects.create(
            region=world.region_b, first_day=date(2027, 5, n + 1), last_day=date(2027, 5, n + 1)
        )
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=2)
    assert page_queries(client, url) <= small + 1  # the team checkboxes list a few more


@pytest.mark.parametrize(
    "name,args,text",
    [
        ("track-settings", [], "Church-track settings"),
        ("team-list", [], "Delivery teams"),
        ("travel-times", [], "Travel times between regions"),
        ("blackout-calendar", ["PE-LOR"], "Blackout periods in Loreto"),
        ("blackout-create", ["PE-LOR"], "New blackout period"),
        ("team-create", [], "New team"),
    ],
)
def test_pages_in_english(world, name, args, text) -> None:
    client = world.client("admin")
    _english(client)
    assert text in client.get(reverse(name, args=args)).content.decode()


@pytest.mark.parametrize(
    "name,args,text",
    [
        ("track-settings", [], "Ajustes de la ruta de iglesias"),
        ("team-list", [], "Equipos"),
        ("travel-times", [], "Tiempos de viaje entre regiones"),
        ("blackout-calendar", ["PE-LOR"], "Periodos bloqueados en Loreto"),
    ],
)
def test_pages_in_spanish(world, name, args, text) -> None:
    assert text in world.client("admin").get(reverse(name, args=args)).content.decode()


def test_blackouts_of_regions_left_out_of_a_run_do_not_stop_it(world, playbook, team) -> None:
    """The planner pre-fills the blackouts of every region; planning only some of them
    uses theirs and leaves the others out, while an unknown code is still refused."""
    from amparo.rollout.forms import PlannerForm

    team.stages.set(playbook.stages.all())
    data = {
        "playbook": playbook.pk,
        "start": "2027-01-04",
        "regions": [world.region_a.pk],
        "teams": [team.pk],
        "extra_teams": 0,
        "blackouts": "PE-LOR 2027-02-01 2027-02-03\nPE-UCA 2027-03-01 2027-03-05",
        "time_limit_s": 2,
        "delay_min": 0,
        "delay_mode": 1,
        "delay_max": 2,
    }
    form = PlannerForm(data, regions=Region.objects.all())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["blackout_map"] == {"PE-LOR": [(date(2027, 2, 1), date(2027, 2, 3))]}
    form = PlannerForm(
        data | {"blackouts": "PE-XYZ 2027-02-01 2027-02-03"}, regions=Region.objects.all()
    )
    assert not form.is_valid() and "blackouts" in form.errors
