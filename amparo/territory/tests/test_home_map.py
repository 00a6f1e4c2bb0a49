"""The map's states and the placing of regions the country pack does not locate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.accounts.access import regions_visible
from amparo.assessment.tests.conftest import add_finding
from amparo.territory import home, tilemap
from amparo.territory.models import Region
from amparo.territory.tests.test_tilemap import pack_capitals

ORDER = [home.CHURCH_NONE, home.CHURCH_STARTED, home.CHURCH_HALF, home.CHURCH_DONE]


@given(st.integers(0, 20), st.integers(0, 20))
def test_a_region_without_a_rollout_is_not_started_whatever_its_counts(done, total) -> None:
    assert home.church_state(done, total, started=False) == home.CHURCH_NONE


@given(st.integers(1, 20), st.data())
def test_more_stages_done_never_reads_as_less_progress(total, data) -> None:
    done = data.draw(st.integers(0, total - 1))
    before = ORDER.index(home.church_state(done, total, started=True))
    after = ORDER.index(home.church_state(done + 1, total, started=True))
    assert before <= after
    assert home.church_state(total, total, started=True) == home.CHURCH_DONE
    assert home.church_state(0, total, started=True) == home.CHURCH_STARTED


@given(st.permutations(list(pack_capitals().items())))
def test_the_layout_does_not_depend_on_the_order_regions_come_in(items) -> None:
    assert tilemap.tile_grid(dict(items)) == tilemap.tile_grid(pack_capitals())


def locate(region: Region, latitude: float, longitude: float) -> None:
    region.capital_latitude, region.capital_longitude = latitude, longitude
    region.save(update_fields=["capital_latitude", "capital_longitude"])


def test_regions_without_coordinates_go_in_a_row_below(world) -> None:
    locate(world.region_a, -3.73, -73.25)
    locate(world.region_b, -8.38, -74.55)
    for n in range(8):
        Region.objects.create(code=f"PE-Z{n}", name=f"Zona {n}", capital="C", country="PE")
    admin = world.users["admin"]
    program_map = home.program_map(admin, regions_visible(admin))
    rows = {t.region.code: t.tile.row for t in program_map.tiles}
    placed = max(rows["PE-LOR"], rows["PE-UCA"])
    assert all(rows[f"PE-Z{n}"] > placed for n in range(8))
    cells = [(t.tile.row, t.tile.col) for t in program_map.tiles]
    assert len(cells) == len(set(cells)) == 10
    width, height = program_map.width, program_map.height
    assert all(t.tile.x < width and t.tile.y < height for t in program_map.tiles)


def test_the_map_follows_the_coordinates_stored_on_the_regions(world) -> None:
    admin = world.users["admin"]
    locate(world.region_a, -3.73, -73.25)  # Loreto north of Ucayali
    locate(world.region_b, -8.38, -74.55)
    rows = {
        t.region.code: t.tile.row for t in home.program_map(admin, regions_visible(admin)).tiles
    }
    assert rows["PE-LOR"] < rows["PE-UCA"]
    locate(world.region_a, -12.0, -73.25)  # corrected: now south of Ucayali
    rows = {
        t.region.code: t.tile.row for t in home.program_map(admin, regions_visible(admin)).tiles
    }
    assert rows["PE-LOR"] > rows["PE-UCA"]


def test_the_legend_lists_only_the_levels_shown_lowest_first(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    add_finding(round_a, threats["TUR-02"], inherent=(1, 1))
    admin = world.users["admin"]
    program_map = home.program_map(admin, regions_visible(admin))
    assert [level.code for level in program_map.levels] == ["critical"]
    by_code = {t.region.code: t for t in program_map.tiles}
    assert by_code["PE-LOR"].risk.code == "critical" and by_code["PE-UCA"].risk is None
