"""Writes of the church-track settings: teams, travel times, blackouts; the capitals'
coordinates from the country pack; yearly blackouts in the planner's input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from amparo.catalog.sync import LoadCount
from amparo.rollout import planning
from amparo.rollout.models import Blackout, BlackoutKind, PlanRun, Team, TravelTime
from amparo.rollout.settings_services import (
    blackout_delete,
    blackout_save,
    team_delete,
    team_removal_blockers,
    team_save,
    travel_times_save,
)
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Region
from amparo.territory.services import territory_catalog_load


@pytest.fixture
def region_c(db) -> Region:
    return Region.objects.create(
        code="PE-SAM", name="San Martín", capital="Moyobamba", country="PE"
    )


def _stored(regions) -> dict:
    return {
        (t.origin.code, t.destination.code): t.days
        for t in TravelTime.objects.filter(origin__in=regions).select_related(
            "origin", "destination"
        )
    }


# --- teams -------------------------------------------------------------------------------


def test_a_team_is_created_with_its_stages_home_region_and_notes(world, stages) -> None:
    team = team_save(
        code="norte",
        name="Equipo norte",
        stages=[stages["reuniones"], stages["conferencia"]],
        home_region=world.region_a,
        notes="Viaja por río.",
    )
    team.refresh_from_db()
    assert (team.code, team.home_region, team.notes) == ("norte", world.region_a, "Viaja por río.")
    assert set(team.stages.values_list("code", flat=True)) == {"reuniones", "conferencia"}


def test_a_team_keeps_its_code_when_changed(world, stages, team) -> None:
    team_save(team=team, code="other", name="Nuevo nombre", stages=[], home_region=None)
    team.refresh_from_db()
    assert (team.code, team.name, team.stages.count()) == ("A", "Nuevo nombre", 0)


def test_a_team_code_is_unique(world, team) -> None:
    with pytest.raises(ValidationError):
        team_save(code="A", name="Otro", stages=[], home_region=None)
    assert Team.objects.count() == 1


def test_an_unused_team_is_removed(world, team) -> None:
    team_delete(team=team)
    assert not Team.objects.exists()


def test_a_team_with_planned_events_is_kept_and_the_reason_given(
    world, team, rollout_a, stages
) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2027, 1, 4), status="planned")
    event.team = team
    event.save()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        team_delete(team=team)
    assert "1 planned or done event is delivered" in " ".join(error.value.messages)
    assert Team.objects.filter(pk=team.pk).exists()


def test_a_team_whose_only_events_are_cancelled_can_go(world, team, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2027, 1, 4), status="cancelled")
    event.team = team
    event.save()
    assert team_removal_blockers(team) == []
    team_delete(team=team)
    event.refresh_from_db()
    assert event.team is None


def test_a_team_in_a_kept_plan_not_yet_applied_is_kept(world, team, playbook) -> None:
    PlanRun.objects.create(
        playbook=playbook, label="con A", input={"teams": [{"code": "A"}]}, result={}
    )
    PlanRun.objects.create(
        playbook=playbook, label="otro", input={"teams": [{"code": "B"}]}, result={}
    )
    reasons = team_removal_blockers(team)
    assert len(reasons) == 1 and "con A" in reasons[0] and "otro" not in reasons[0]
    with pytest.raises(ValidationError):
        team_delete(team=team)


def test_many_kept_plans_are_named_up_to_five_and_counted(world, team, playbook) -> None:
    for n in range(7):
        PlanRun.objects.create(
            playbook=playbook, label=f"plan {n}", input={"teams": [{"code": "A"}]}, result={}
        )
    with translation.override("en"):
        (reason,) = team_removal_blockers(team)
    assert reason.count("plan ") == 5 and "and 2 more" in reason


def test_an_applied_plan_does_not_keep_a_team(world, team, playbook) -> None:
    from django.utils import timezone

    PlanRun.objects.create(
        playbook=playbook,
        input={"teams": [{"code": "A"}]},
        result={},
        applied_at=timezone.now(),
    )
    assert team_removal_blockers(team) == []


# --- travel times ------------------------------------------------------------------------


def test_travel_times_are_stored_both_ways_when_the_same(world, region_c) -> None:
    regions = [world.region_a, world.region_b, region_c]
    count = travel_times_save(
        regions=regions,
        cells={("PE-LOR", "PE-UCA"): "3", ("PE-SAM", "PE-LOR"): "2", ("PE-UCA", "PE-SAM"): ""},
        same_both_ways=True,
    )
    assert count == 4
    assert _stored(regions) == {
        ("PE-LOR", "PE-UCA"): 3,
        ("PE-UCA", "PE-LOR"): 3,
        ("PE-SAM", "PE-LOR"): 2,
        ("PE-LOR", "PE-SAM"): 2,
    }


def test_travel_times_may_differ_each_way(world) -> None:
    regions = [world.region_a, world.region_b]
    travel_times_save(
        regions=regions,
        cells={("PE-LOR", "PE-UCA"): "3", ("PE-UCA", "PE-LOR"): "5"},
        same_both_ways=False,
    )
    assert _stored(regions) == {("PE-LOR", "PE-UCA"): 3, ("PE-UCA", "PE-LOR"): 5}


def test_a_save_changes_and_removes_what_the_matrix_no_longer_has(world, region_c) -> None:
    regions = [world.region_a, world.region_b, region_c]
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=9)
    TravelTime.objects.create(origin=world.region_a, destination=region_c, days=9)
    travel_times_save(regions=regions, cells={("PE-LOR", "PE-UCA"): "4"}, same_both_ways=False)
    assert _stored(regions) == {("PE-LOR", "PE-UCA"): 4}


def test_one_bad_cell_saves_nothing_and_names_every_bad_cell(world, region_c) -> None:
    regions = [world.region_a, world.region_b, region_c]
    TravelTime.objects.create(origin=world.region_a, destination=world.region_b, days=9)
    with pytest.raises(ValidationError) as error:
        travel_times_save(
            regions=regions,
            cells={
                ("PE-LOR", "PE-UCA"): "3",
                ("PE-LOR", "PE-SAM"): "61",
                ("PE-UCA", "PE-SAM"): "x",
            },
            same_both_ways=True,
        )
    messages = error.value.messages
    assert len(messages) == 2
    assert any("Loreto → San Martín" in m for m in messages)
    assert any("Ucayali → San Martín" in m for m in messages)
    assert _stored(regions) == {("PE-LOR", "PE-UCA"): 9}


def test_a_save_leaves_other_regions_travel_alone(world, region_c) -> None:
    TravelTime.objects.create(origin=world.region_a, destination=region_c, days=7)
    travel_times_save(regions=[world.region_a, world.region_b], cells={}, same_both_ways=True)
    assert TravelTime.objects.get().days == 7


# --- blackouts ---------------------------------------------------------------------------


def test_a_blackout_is_saved_with_its_reason_and_repetition(world) -> None:
    saved = blackout_save(
        region=world.region_a,
        first_day=date(2027, 1, 15),
        last_day=date(2027, 3, 31),
        kind=BlackoutKind.RAINY_SEASON,
        reason="crecida del río",
        every_year=True,
    )
    saved.refresh_from_db()
    assert (saved.kind, saved.every_year, saved.reason) == ("rainy_season", True, "crecida del río")


def test_a_yearly_blackout_must_be_shorter_than_a_year(world) -> None:
    with pytest.raises(ValidationError) as error:
        blackout_save(
            region=world.region_a,
            first_day=date(2027, 1, 1),
            last_day=date(2028, 1, 1),
            kind=BlackoutKind.OTHER,
            every_year=True,
        )
    assert "last_day" in error.value.message_dict
    assert not Blackout.objects.exists()


def test_a_blackout_cannot_end_before_it_starts(world) -> None:
    with pytest.raises(ValidationError):
        blackout_save(
            region=world.region_a,
            first_day=date(2027, 2, 1),
            last_day=date(2027, 1, 1),
            kind=BlackoutKind.ELECTIONS,
        )


def test_a_blackout_of_another_region_is_neither_changed_nor_removed(world) -> None:
    other = Blackout.objects.create(
        region=world.region_b, first_day=date(2027, 1, 1), last_day=date(2027, 1, 2)
    )
    with pytest.raises(ValidationError):
        blackout_save(
            region=world.region_a,
            blackout=other,
            first_day=date(2027, 1, 1),
            last_day=date(2027, 1, 3),
            kind=BlackoutKind.OTHER,
        )
    with pytest.raises(ValidationError):
        blackout_delete(region=world.region_a, blackout=other)
    blackout_delete(region=world.region_b, blackout=other)
    assert not Blackout.objects.exists()


def test_the_planner_reads_yearly_blackouts_over_its_horizon(world) -> None:
    Blackout.objects.create(
        region=world.region_a,
        first_day=date(2026, 12, 20),
        last_day=date(2027, 1, 10),
        every_year=True,
    )
    Blackout.objects.create(
        region=world.region_a, first_day=date(2027, 5, 1), last_day=date(2027, 5, 2)
    )
    found = planning.blackouts_by_region([world.region_a], start=date(2027, 6, 1))
    lines = found["PE-LOR"]
    assert (date(2027, 5, 1), date(2027, 5, 2)) in lines  # one-off ones as they are
    assert (date(2027, 12, 20), date(2028, 1, 10)) in lines
    assert (date(2029, 12, 20), date(2030, 1, 10)) in lines
    assert (date(2026, 12, 20), date(2027, 1, 10)) not in lines  # before the horizon
    assert lines == sorted(lines)


# --- the capitals' coordinates -----------------------------------------------------------


def test_the_catalog_load_gives_capitals_their_coordinates_and_source(db) -> None:
    territory_catalog_load(pack="pe", count=LoadCount())
    loreto = Region.objects.get(code="PE-LOR")
    assert loreto.capital_latitude == Decimal("-3.73333")
    assert loreto.capital_point == pytest.approx((-3.73333, -73.25))
    assert "Iquitos" in loreto.coordinates_source
    assert loreto.coordinates_verified is False
    amazonas = Region.objects.get(code="PE-AMA")
    assert amazonas.capital_point == pytest.approx((-6.23, -77.87))
    assert "GeoNames" in amazonas.coordinates_source
    count = LoadCount()
    territory_catalog_load(pack="pe", count=count)
    assert not count.updated.get("regions")  # a second load changes nothing


def test_every_coordinate_in_the_packs_names_its_source_and_lies_in_the_country() -> None:
    from amparo.catalog import available_packs, read_pack_file

    for pack in available_packs():
        for entry in read_pack_file(pack, "territory")["regions"]:
            found = entry.get("capital_coordinates")
            if found is None:
                continue
            assert found["source"].strip()
            assert isinstance(found["verified"], bool)
            if pack == "pe":  # Peru lies between 0° and 18.4° S, 68.6° and 81.4° W
                assert -18.4 <= found["latitude"] <= 0
                assert -81.4 <= found["longitude"] <= -68.6


def test_a_region_has_both_coordinates_or_neither(db) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(
            code="PE-CUS", name="Cusco", capital="Cusco", country="PE", capital_latitude=-13.5
        )
