"""The workbook gives no small count back: a hidden attendance cell ("c") is not the event's
total minus the others, a hidden disaggregated count is not its total minus its sister.
A viewer's workbook hides what the viewer's pages hide (k 5); the version for donors or
the public uses k 11 whoever asks."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from amparo.indicators.models import Indicator, Observation
from amparo.reports import render
from amparo.rollout.models import Attendance
from amparo.territory.models import Organization, Region


def _book(world, *, donor: bool, role: str = "coordinator"):
    region = Region.objects.filter(pk=world.region_a.pk)
    user = world.users[role]
    return load_workbook(
        io.BytesIO(render.workbook_xlsx(region, user=user, lang="en", donor=donor))
    )


def _rows(book, title: str) -> list[list]:
    return [[c.value for c in row] for row in book[title].iter_rows(min_row=2)]


@pytest.fixture
def attended(world, loreto):
    other = Organization.objects.create(
        name="Iglesia Punchana", kind="church", region=world.region_a
    )
    Attendance.objects.create(event=loreto.event, organization=loreto.church, pastors=9, leaders=6)
    Attendance.objects.create(event=loreto.event, organization=other, pastors=3, leaders=7)
    return loreto


def test_a_viewers_workbook_hides_a_complement_next_to_a_small_cell(world, attended) -> None:
    book = _book(world, donor=False, role="viewer")
    # 12 pastors next to 9 would give the 3 back: the 9 (cheaper than the total) goes too.
    assert [row[5:] for row in _rows(book, "Attendance")] == [["c", 6, 0], ["c", 7, 0]]
    assert [row[6:] for row in _rows(book, "Events")] == [[12, 13, 0]]


def test_the_donor_workbook_uses_the_public_k_even_for_a_coordinator(world, attended) -> None:
    book = _book(world, donor=True)
    # Every count from 1 to 10 is hidden; two hidden cells under a shown total stay hidden.
    assert [row[5:] for row in _rows(book, "Attendance")] == [["c", "c", 0], ["c", "c", 0]]
    assert [row[6:] for row in _rows(book, "Events")] == [[12, 13, 0]]


def test_the_full_workbook_shows_every_count_and_total(world, attended) -> None:
    book = _book(world, donor=False)
    assert [row[5:] for row in _rows(book, "Attendance")] == [[9, 6, 0], [3, 7, 0]]
    assert [row[6:] for row in _rows(book, "Events")] == [[12, 13, 0]]


@pytest.fixture
def by_sex(world, loreto) -> Indicator:
    indicator = Indicator.objects.filter(unit="count", computed_from="").order_by("code").first()
    for disaggregation, value in (("", 8), ("sex=f", 3), ("sex=m", 5)):
        Observation.objects.create(
            indicator=indicator,
            region=world.region_a,
            period=date(2026, 1, 1),
            disaggregation=disaggregation,
            value=value,
        )
    Observation.objects.create(
        indicator=indicator, region=world.region_a, period=date(2026, 2, 1), value=8
    )
    return indicator


def _observations(book) -> dict[tuple[str, str], object]:
    return {(str(row[2])[:10], row[3] or ""): row[4] for row in _rows(book, "Observations")}


def test_the_workbook_withholds_what_would_give_a_hidden_disaggregation_back(world, by_sex) -> None:
    assert _observations(_book(world, donor=False, role="viewer")) == {
        ("2026-01-01", ""): 8,
        ("2026-01-01", "sex=f"): "c",
        ("2026-01-01", "sex=m"): "c",  # 8 - 5 would give the 3 back
        ("2026-02-01", ""): 8,
    }
    assert set(_observations(_book(world, donor=True)).values()) == {"c"}  # all under 11
    assert _observations(_book(world, donor=False)) == {
        ("2026-01-01", ""): 8,
        ("2026-01-01", "sex=f"): 3,
        ("2026-01-01", "sex=m"): 5,
        ("2026-02-01", ""): 8,
    }
