"""The tile-grid map's layout, for any set of capitals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.catalog import read_pack_file
from amparo.territory import tilemap

coordinate = st.tuples(
    st.floats(min_value=-60, max_value=15, allow_nan=False),
    st.floats(min_value=-90, max_value=-30, allow_nan=False),
)
capitals = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-", min_size=1, max_size=6),
    coordinate,
    max_size=40,
)


@given(capitals)
def test_every_region_gets_one_tile_and_no_two_share_one(points) -> None:
    tiles = tilemap.tile_grid(points)
    assert sorted(t.code for t in tiles) == sorted(points)
    assert len({(t.row, t.col) for t in tiles}) == len(tiles)
    assert all(t.row >= 0 and t.col >= 0 for t in tiles)


@given(capitals)
def test_west_stays_west_and_north_stays_north(points) -> None:
    tiles = {t.code: t for t in tilemap.tile_grid(points)}
    for a, (lat_a, lon_a) in points.items():
        for b, (lat_b, lon_b) in points.items():
            if lon_a < lon_b:
                assert tiles[a].col <= tiles[b].col
            if lat_a > lat_b:
                assert tiles[a].row <= tiles[b].row


@given(capitals)
def test_the_grid_is_no_wider_or_taller_than_one_tile_per_region(points) -> None:
    tiles = tilemap.tile_grid(points)
    width, height = tilemap.size(tiles)
    step = tilemap.TILE + tilemap.GAP
    assert width <= max(len(points) * step - tilemap.GAP, 0)
    assert height <= max(len(points) * step - tilemap.GAP, 0)
    assert all(t.x + tilemap.TILE <= width and t.y + tilemap.TILE <= height for t in tiles)


def test_a_small_set_fits_a_small_square() -> None:
    # Five regions on a diagonal fit a 3 by 3 grid at most.
    points = {f"R{i}": (-float(i), -80.0 + i) for i in range(5)}
    tiles = tilemap.tile_grid(points)
    assert max(t.row for t in tiles) <= 4 and max(t.col for t in tiles) <= 4
    assert [t.code for t in tiles] == ["R0", "R1", "R2", "R3", "R4"]


def test_no_capitals_give_an_empty_map() -> None:
    assert tilemap.tile_grid({}) == []
    assert tilemap.size([]) == (0, 0)


def pack_capitals() -> dict[str, tuple[float, float]]:
    regions = read_pack_file("pe", "territory")["regions"]
    return {
        r["code"]: (r["capital_coordinates"]["latitude"], r["capital_coordinates"]["longitude"])
        for r in regions
        if "capital_coordinates" in r
    }


def test_the_peru_pack_places_every_region_of_its_territory() -> None:
    codes = {r["code"] for r in read_pack_file("pe", "territory")["regions"]}
    capitals = pack_capitals()
    assert set(capitals) == codes
    tiles = {t.code: t for t in tilemap.tile_grid(capitals)}
    # Loreto (Iquitos) is the northernmost; Madre de Dios the south-east corner.
    assert tiles["PE-LOR"].row == 0
    assert tiles["PE-MDD"].row == max(t.row for t in tiles.values())
    assert tiles["PE-MDD"].col == max(t.col for t in tiles.values())
    assert tiles["PE-AMA"].col == 0
