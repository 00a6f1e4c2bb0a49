"""Hypothesis strategies: small tables like amparo's, with many small cells."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import strategies as st

from amparo.disclosure import keys
from amparo.disclosure.relations import Row, Shape, build

DIMENSIONS = {"sex": ["f", "m"], "age": ["a", "b", "c"], "form": ["x", "y"]}
SMALL_HEAVY = st.sampled_from([0, 0, 1, 1, 2, 3, 4, 5, 7, 12])


@st.composite
def observation_rows(
    draw, *, max_regions: int = 2, max_months: int = 2, dims: tuple[str, ...] | None = None
) -> list[Row]:
    """Rows of one indicator: the finest groups of 2 or 3 dimensions (``dims``, default
    drawn), every marginal total of them, sometimes a total larger than its parts (people
    of unknown group)."""
    dims = dims or draw(st.sampled_from([("sex", "age"), ("age", "form"), ("sex", "age", "form")]))
    regions = draw(st.integers(1, max_regions))
    months = draw(st.lists(st.integers(1, 14), min_size=1, max_size=max_months, unique=True))
    rows = []
    for region in range(regions):
        for month in months:
            period = date(2026 + (month - 1) // 12, (month - 1) % 12 + 1, 1)
            finest = {}
            for combination in itertools.product(*(DIMENSIONS[d] for d in dims)):
                finest[tuple(zip(dims, combination, strict=True))] = draw(SMALL_HEAVY)
            for size in range(len(dims) + 1):
                for subset in itertools.combinations(dims, size):
                    totals: dict[str, int] = {}
                    for group, value in finest.items():
                        part = keys.disaggregation([(d, v) for d, v in group if d in subset])
                        totals[part] = totals.get(part, 0) + value
                    for part, value in totals.items():
                        unknown = draw(st.sampled_from([0, 0, 0, 1, 2])) if size == 0 else 0
                        rows.append(Row("IND", f"R{region}", period, part, value + unknown))
    return rows


@st.composite
def tables(
    draw,
    *,
    max_regions: int = 2,
    max_months: int = 2,
    aggregation: str | None = None,
    dims: tuple[str, ...] | None = None,
):
    rows = draw(observation_rows(max_regions=max_regions, max_months=max_months, dims=dims))
    method = aggregation or draw(st.sampled_from(["sum", "sum", "last"]))
    return build(rows, {"IND": Shape(aggregation=method)}).table


def published_of(table, hidden) -> dict:
    return {
        cell: value
        for cell, value in table.values.items()
        if cell not in hidden and cell not in table.derived
    }
