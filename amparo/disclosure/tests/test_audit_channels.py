"""Channels that are easy to miss: a ratio printed next to its parts, the points of a long
chart, the length of a list whose number is hidden. Each is hidden by the outputs, read by
the audit, and found by the audit when an output gives it away."""

from __future__ import annotations

from datetime import date

from amparo.accounts.models import Membership, Role, User
from amparo.disclosure import checks
from amparo.disclosure.gather import Gathered, Ratio, printed_half
from amparo.disclosure.gather.cells import obs_key
from amparo.disclosure.gather.reader import reader_for
from amparo.indicators.models import Indicator, Observation

JAN, FEB, MAR = date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)
# Children protected out of children identified: January's 3 is small, March's 6 is the
# cheapest complement, February's 30 of 50 (60 %) is shown.
PROTECTED = {JAN: 3, FEB: 30, MAR: 6}
IDENTIFIED = {JAN: 20, FEB: 50, MAR: 40}


def _indicator(code: str, **changes) -> Indicator:
    values = {
        "code": code,
        "name_es": f"Indicador {code}",
        "name_en": f"Indicator {code}",
        "level": "output",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "frequency": "monthly",
        "is_key": True,
    }
    values.update(changes)
    return Indicator.objects.create(**values)


def _ratio_world(world, numerators: dict[date, int], denominators: dict[date, int]) -> None:
    """Children protected (``IND-P``) out of children identified (``IND-V``) in Loreto, and
    the percentage of the two (``IND-PCT``)."""
    top, bottom = _indicator("IND-P"), _indicator("IND-V")
    _indicator("IND-PCT", unit="percent", aggregation="ratio", numerator=top, denominator=bottom)
    for indicator, values in ((top, numerators), (bottom, denominators)):
        for month, value in values.items():
            Observation.objects.create(
                indicator=indicator, region=world.region_a, period=month, value=value
            )
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)


def _hide_no_ratio(monkeypatch) -> None:
    """A broken output: a ratio's point and card are shown whatever its parts are."""
    from amparo.indicators import queries

    real = queries.combined_hidden

    def combined_hidden(release, cells, *, program_cell=None):
        cells = list(cells)
        if len({cell[1] for cell in cells}) > 1:  # a ratio's numerator and denominator
            return False
        return real(release, cells, program_cell=program_cell)

    monkeypatch.setattr(queries, "combined_hidden", combined_hidden)


# --- the relation a printed ratio is (pure) ----------------------------------------------


def test_a_ratio_with_its_denominator_known_gives_the_numerator_back() -> None:
    top, bottom = obs_key("P", "PE-LOR", "2027-01"), obs_key("V", "PE-LOR", "2027-01")
    found = Gathered()
    found.add([Ratio((top,), (bottom,), 15.0, 0.05, 100.0, "page x")])
    low, high = found.relations
    # 3 of 20 is 15 %: both constraints hold, 4 of 20 (20 %) breaks the upper one.
    assert low.low == 0 and high.high == 0
    assert sum(c * {top: 3, bottom: 20}[cell] for cell, c in low.terms) >= 0
    assert sum(c * {top: 3, bottom: 20}[cell] for cell, c in high.terms) <= 0
    assert sum(c * {top: 4, bottom: 20}[cell] for cell, c in high.terms) > 0
    assert found.figures == 1 and found.shown == {}
    assert "ratio 15 shown at page x" in low.label


def test_half_the_last_printed_digit() -> None:
    assert printed_half("12.5") == 0.05
    assert printed_half("1,500") == 0.5
    assert printed_half("7.25") == 0.005


# --- ratios on the pages, in the downloads and in the audit ------------------------------


def test_a_ratio_is_not_shown_when_one_of_its_parts_is_hidden(
    world, django_assert_max_num_queries
) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    client = world.client("viewer")
    with django_assert_max_num_queries(40):
        page = client.get("/regions/PE-LOR/indicators/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    view = next(v for v, _svg in page.context["charts"] if v.indicator.code == "IND-PCT")
    svg = next(s for v, s in page.context["charts"] if v.indicator.code == "IND-PCT")
    assert JAN in view.hidden_periods and FEB not in view.hidden_periods
    assert "2027-01:" not in svg and "2027-02: 60" in svg
    with django_assert_max_num_queries(40):
        csv = client.get("/regions/PE-LOR/indicators.csv").content.decode("utf-8-sig")
    rows = [line.split(",") for line in csv.splitlines() if line.startswith("IND-PCT")]
    shown = {r[2]: r[3] for r in rows}
    assert shown["2027-01-01"] == "c" and shown["2027-02-01"] == "60.0"


def test_the_audit_reads_ratios_and_finds_nothing_when_they_are_hidden(world) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    # February's 60 % is read from the pages, the CSV and the PDF's content.
    places = " ".join(c.label for c in found.relations)
    assert "page /regions/PE-LOR/indicators/, chart IND-PCT" in places
    assert "CSV /regions/PE-LOR/indicators.csv" in places
    assert "PDF report" in places
    assert not any("ratio 15" in c.label for c in found.relations)  # January's is hidden
    result = checks.solve(found, label="viewer-all", k=5, known=set())
    assert result.ok and not result.skipped, checks.as_text(result)


def test_a_ratio_printed_next_to_a_hidden_part_is_found(world, monkeypatch) -> None:
    _ratio_world(world, PROTECTED, IDENTIFIED)
    _hide_no_ratio(monkeypatch)
    result = checks.check(username="viewer-all")
    leaked = {tuple(leak.key): leak for leak in result.leaks}
    jan = ("obs", "IND-P", "PE-LOR", "2027-01", "")
    assert jan in leaked, checks.as_text(result)
    assert (leaked[jan].low, leaked[jan].high) == (3, 3)
    assert any("ratio 15" in label for label in leaked[jan].relations)
    assert not result.skipped
