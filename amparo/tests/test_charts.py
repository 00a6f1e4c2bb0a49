"""The SVG charts of dashboards and reports, without a database: well-formed for any data,
every point inside the plot and in the order of its value, bars as long as their values,
and titles and labels written as text, never as markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 24, 28

values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
series = st.lists(
    st.tuples(st.integers(0, 2000), values), min_size=1, max_size=60, unique_by=lambda p: p[0]
).map(lambda rows: [(date(2024, 1, 1) + timedelta(days=d), v) for d, v in sorted(rows)])


def _parse(svg: str) -> ET.Element:
    """Our own output; parsing it fails when the markup is not well formed."""
    return ET.fromstring(svg)  # noqa: S314


def _circles(svg: str) -> list[tuple[float, float, str]]:
    root = _parse(svg)
    return [
        (float(c.get("cx")), float(c.get("cy")), c.find(f"{SVG}title").text)
        for c in root.iter(f"{SVG}circle")
    ]


@settings(max_examples=150, deadline=None)
@given(series, st.one_of(st.none(), values), st.one_of(st.none(), values))
def test_a_line_chart_is_well_formed_and_keeps_points_inside_the_plot(
    points, target, baseline
) -> None:
    svg = line_chart(points, title="Valores", target=target, baseline=baseline)
    root = _parse(svg)  # raises on malformed markup
    assert root.get("role") == "img" and root.get("aria-label") == "Valores"
    for cx, cy, _label in _circles(svg):
        assert LEFT - 0.05 <= cx <= WIDTH - RIGHT + 0.05
        assert TOP - 0.05 <= cy <= HEIGHT - BOTTOM + 0.05
    # Every point is a dot with its title, however long the series.
    assert len(_circles(svg)) == len(points)


@settings(max_examples=150, deadline=None)
@given(series)
def test_a_higher_value_is_drawn_higher_and_a_later_day_further_right(points) -> None:
    drawn = _circles(line_chart(points, title="t"))
    for (day_a, value_a), (x_a, y_a, _) in zip(points, drawn, strict=True):
        for (day_b, value_b), (x_b, y_b, _) in zip(points, drawn, strict=True):
            if value_a > value_b:
                assert y_a <= y_b
            if day_a > day_b:
                assert x_a >= x_b


def test_each_point_is_labelled_with_its_month_and_value() -> None:
    svg = line_chart([(date(2027, 1, 1), 3), (date(2027, 4, 1), 12.5), (date(2027, 7, 1), 1500)],
                     title="t")  # fmt: skip
    assert [label for _x, _y, label in _circles(svg)] == [
        "2027-01: 3",
        "2027-04: 12.5",
        "2027-07: 1,500",
    ]


def test_a_long_series_still_says_every_value_in_its_points_titles() -> None:
    """More than 40 points: smaller dots, but each still carries its month and value, so
    neither a screen reader nor the disclosure audit is left with the line's geometry."""
    points = [(date(2020 + m // 12, m % 12 + 1, 1), float(m % 7)) for m in range(60)]
    drawn = _circles(line_chart(points, title="t"))
    assert [label for _x, _y, label in drawn] == [
        f"{d.isoformat()[:7]}: {v:.0f}" for d, v in points
    ]
    radii = {c.get("r") for c in _parse(line_chart(points, title="t")).iter(f"{SVG}circle")}
    assert radii == {"1.2"}


def test_target_and_baseline_are_dashed_lines_and_enter_the_scale() -> None:
    svg = line_chart([(date(2027, 1, 1), 10), (date(2027, 2, 1), 20)], title="t", target=100,
                     baseline=5)  # fmt: skip
    root = _parse(svg)
    dashed = {line.get("stroke-dasharray"): line for line in root.iter(f"{SVG}line")
              if line.get("stroke-dasharray")}  # fmt: skip
    assert set(dashed) == {"6 4", "2 3"}
    # The target is the highest value, so it sits on the top grid line.
    assert float(dashed["6 4"].get("y1")) == TOP
    assert "100" in [t.text for t in root.iter(f"{SVG}text")]


def test_marks_inside_the_period_are_drawn_and_others_left_out() -> None:
    points = [(date(2027, 1, 1), 1), (date(2027, 6, 1), 2)]
    svg = line_chart(
        points,
        title="t",
        marks=[(date(2027, 3, 1), "Ordenanza <aprobada>"), (date(2028, 1, 1), "Después")],
    )
    root = _parse(svg)
    mark_titles = [
        line.find(f"{SVG}title").text
        for line in root.iter(f"{SVG}line")
        if line.find(f"{SVG}title") is not None
    ]
    assert mark_titles == ["Ordenanza <aprobada>"]
    assert "&lt;aprobada&gt;" in svg


def test_a_flat_or_single_point_series_still_draws() -> None:
    for points in ([(date(2027, 1, 1), 0)], [(date(2027, 1, 1), 7), (date(2027, 2, 1), 7)]):
        svg = line_chart(points, title="t")
        assert len(_circles(svg)) == len(points)
        assert "nan" not in svg.lower() and "inf" not in svg.lower()


def test_nothing_to_draw_gives_no_chart() -> None:
    assert line_chart([], title="t") == ""
    assert bar_chart([], title="t") == ""


def test_a_title_cannot_inject_markup() -> None:
    title = 'Niños "y" <script>alert(1)</script> & más'
    for svg in (
        line_chart([(date(2027, 1, 1), 1)], title=title),
        bar_chart([(title, 1)], title=title),
    ):
        root = _parse(svg)
        assert root.find(f"{SVG}title").text == title
        assert "<script>" not in svg
        assert not list(root.iter(f"{SVG}script"))


# Names as people write them (no control characters, which no region or indicator has).
names = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
bars = st.lists(st.tuples(names, values), min_size=1, max_size=12)


def _bar_widths(svg: str) -> list[float]:
    return [float(r.get("width")) for r in _parse(svg).iter(f"{SVG}rect")]


@settings(max_examples=150, deadline=None)
@given(bars)
def test_bars_are_as_long_as_their_values_and_the_longest_fills_the_plot(rows) -> None:
    svg = bar_chart(rows, title="t")
    widths = _bar_widths(svg)
    assert len(widths) == len(rows)
    high = max(v for _label, v in rows)
    full = 480 - 150 - 48
    for (_label, value), width in zip(rows, widths, strict=True):
        expected = full * value / high if high else 0
        assert abs(width - expected) <= 0.051
    labels = [t.text or "" for t in _parse(svg).iter(f"{SVG}text")][::2]
    assert labels == [label for label, _v in rows]


def test_bar_values_are_written_next_to_each_bar() -> None:
    svg = bar_chart([("Loreto", 12), ("Ucayali", 0.5), ("Madre de Dios", 2500)], title="t")
    texts = [t.text for t in _parse(svg).iter(f"{SVG}text")]
    assert texts == ["Loreto", "12", "Ucayali", "0.5", "Madre de Dios", "2,500"]
    assert 'viewBox="0 0 480 74"' in svg  # three rows of 22 plus the margin
