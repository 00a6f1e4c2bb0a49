"""``amparo disclosure-audit``: readers, what it gathers, what it finds and how it says so."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.accounts.models import Membership, Role, User
from amparo.charts import line_chart
from amparo.dhis2.models import Dhis2Code
from amparo.disclosure import checks
from amparo.disclosure.gather import Figure, Gathered
from amparo.disclosure.gather.cells import obs_key
from amparo.disclosure.gather.reader import SYNTHETIC, ReaderError, reader_for
from amparo.indicators.models import Indicator, Observation


def _indicator(code: str = "IND-K", **changes) -> Indicator:
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
        "disaggregations": ["sex"],
    }
    values.update(changes)
    return Indicator.objects.create(**values)


def _values(indicator: Indicator, rows: list[tuple[object, date, str, int]]) -> None:
    Observation.objects.bulk_create(
        Observation(indicator=indicator, region=r, period=p, disaggregation=d, value=v)
        for r, p, d, v in rows
    )


def _audit(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("disclosure_audit", *args, stdout=out, stderr=err)
    except SystemExit as leaving:
        return int(leaving.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _viewer_of_all(world) -> User:
    user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.VIEWER)
    return user


JAN, FEB = date(2027, 1, 1), date(2027, 2, 1)


def test_a_synthetic_reader_is_never_kept(world) -> None:
    with reader_for(role="viewer", region="PE-LOR") as reader:
        assert reader.user.memberships.get().role == Role.VIEWER
        assert reader.k == 5 and not reader.donor
    assert not User.objects.filter(username=SYNTHETIC).exists()
    with reader_for(donor=True) as reader:
        assert reader.donor and reader.k == 11
    assert not User.objects.filter(username=SYNTHETIC).exists()


def test_k_follows_the_settings(world, settings) -> None:
    settings.AMPARO_DISCLOSURE_K = 7
    settings.AMPARO_DISCLOSURE_K_PUBLIC = 13
    with reader_for(username="viewer") as reader:
        assert reader.k == 7
    with reader_for(donor=True) as reader:
        assert reader.k == 13


@pytest.mark.parametrize(
    "reader",
    [{"username": "nobody"}, {"role": "king"}, {"role": "viewer", "region": "XX-NOPE"}],
)
def test_a_wrong_reader_is_refused(world, reader) -> None:
    with pytest.raises(ReaderError), reader_for(**reader):
        pass


def test_the_command_refuses_a_wrong_reader_with_status_2(world) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("disclosure_audit", "--user", "nobody", stdout=StringIO())
    assert raised.value.returncode == 2


def test_gather_reads_every_output_as_the_reader_gets_it(world) -> None:
    indicator = _indicator()
    a, b = world.region_a, world.region_b
    _values(
        indicator,
        [
            (a, JAN, "", 40), (a, JAN, "sex=f", 18), (a, JAN, "sex=m", 22), (b, JAN, "", 30),
            (a, FEB, "", 35), (b, FEB, "", 50),
        ],
    )  # fmt: skip
    _viewer_of_all(world)
    for kind, key, code in [
        ("data_element", "IND-K", "DE-K"), ("org_unit", "PE-LOR", "OU-LOR"),
        ("category_option_combo", "", "COC-ALL"), ("category_option_combo", "sex=f", "COC-F"),
    ]:  # fmt: skip
        Dhis2Code.objects.create(kind=kind, key=key, code=code)
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    assert found.skipped == {}
    assert set(found.outputs) == {
        "api-observations",
        "api-events",
        "program-overview",
        "event-pages",
        "group-lists",
        "indicators-csv",
        "dhis2-export",
        "dashboards",
        "report-xlsx",
        "report-pdf",
    }
    jan = obs_key("IND-K", "PE-LOR", "2027-01")
    assert found.shown[jan] == 40
    places = " ".join(found.where[jan])
    for output in ("API /api/v1/observations", "CSV /regions/PE-LOR/indicators.csv", "XLSX"):
        assert output in places
    assert "page /regions/PE-LOR/dashboard/, chart IND-K" in places
    assert "DHIS2 /regions/PE-LOR/indicators/dhis2/?period=2027" in places
    girls = " ".join(found.where[obs_key("IND-K", "PE-LOR", "2027-01", "sex=f")])
    assert "DHIS2" in girls
    assert found.shown[obs_key("IND-K", "PE-LOR", "2027-01", "sex=f")] == 18
    assert found.shown[obs_key("IND-K", "*", "2027-02")] == 85  # the program dashboard
    assert found.hidden == set()
    assert found.figures > len(found.shown)
    # A small count is shown by no output, and some output marks it hidden.
    changed = Observation.objects.get(region=a, period=FEB)
    changed.value = 3
    changed.save()  # as an edit does: the data's version changes
    with reader_for(username="viewer-all") as reader:
        found = checks.gather(reader)
    feb = obs_key("IND-K", "PE-LOR", "2027-02")
    assert feb in found.hidden and feb not in found.shown


def test_a_coordinator_sees_their_region_in_full(world) -> None:
    indicator = _indicator()
    _values(indicator, [(world.region_a, JAN, "", 3)])
    code, out, _err = _audit("--user", "coordinator", "--quiet")
    assert code == 0, out
    assert "no leak found" in out
    with reader_for(username="coordinator") as reader:
        assert checks.known_regions(reader) == {"PE-LOR"}
    with reader_for(username="viewer") as reader:
        assert checks.known_regions(reader) == set()


def test_the_audit_finds_nothing_on_protected_outputs(world) -> None:
    indicator = _indicator()
    a, b = world.region_a, world.region_b
    _values(
        indicator,
        [
            (a, JAN, "", 12),
            (a, JAN, "sex=f", 2),
            (a, JAN, "sex=m", 10),
            (b, JAN, "", 30),
            (a, FEB, "", 3),
            (b, FEB, "", 50),
            (b, FEB, "sex=f", 1),
            (b, FEB, "sex=m", 49),
        ],
    )
    _viewer_of_all(world)
    for reader in (["--user", "viewer-all"], ["--role", "viewer"], ["--donor"]):
        code, out, err = _audit(*reader)
        assert code == 0, out
        assert "no leak found" in out
        assert "disclosure audit: solving" in err


def _publish_program_totals_unprotected(monkeypatch) -> None:
    """The program dashboard draws each indicator's program series from all the values,
    small ones included, as if it had no protection."""
    from amparo.indicators.views import dashboards

    real = dashboards.render

    def render(request, template, context, *args, **kwargs):
        if context.get("region") is None and "charts" in context:
            charts = []
            for indicator in Indicator.objects.filter(is_key=True):
                months: dict[date, float] = {}
                for o in Observation.objects.filter(indicator=indicator, disaggregation=""):
                    months[o.period] = months.get(o.period, 0) + float(o.value)
                view = SimpleNamespace(indicator=indicator, current=None, period=None)
                charts.append((view, line_chart(sorted(months.items()), title=indicator.code)))
            context = {**context, "charts": charts}
        return real(request, template, context, *args, **kwargs)

    monkeypatch.setattr(dashboards, "render", render)


def test_an_unprotected_total_is_found_with_status_1(world, monkeypatch) -> None:
    indicator = _indicator()
    # February: 3 in Loreto and nothing in Ucayali, so the program's February is 3 too.
    _values(indicator, [(world.region_a, JAN, "", 40), (world.region_a, FEB, "", 3)])
    _viewer_of_all(world)
    assert _audit("--user", "viewer-all", "--quiet")[0] == 0
    _publish_program_totals_unprotected(monkeypatch)
    code, out, _err = _audit("--user", "viewer-all", "--quiet")
    assert code == 1
    assert "LEAK: IND-K · program · 2027-02 · total = 3" in out
    assert "page /dashboard/, chart IND-K" in out
    code, out, _err = _audit("--user", "viewer-all", "--format", "json", "--quiet")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    leaked = {tuple(leak["key"]) for leak in data["leaks"]}
    assert ("obs", "IND-K", "*", "2027-02", "") in leaked


def test_a_hidden_part_given_back_by_a_total_and_its_sister_is_pinned(world) -> None:
    indicator = _indicator()
    a = world.region_a
    _values(indicator, [(a, JAN, "", 12), (a, JAN, "sex=f", 2), (a, JAN, "sex=m", 10)])
    total, f, m = (obs_key("IND-K", "PE-LOR", "2027-01", s) for s in ("", "sex=f", "sex=m"))
    found = Gathered()
    found.add([Figure(total, 12, "CSV row 2"), Figure(m, 10, "API item 3"), Figure(f, None, "x")])
    result = checks.solve(found.finish(), label="test", k=5, known=set())
    leaks = {tuple(leak.key): leak for leak in result.leaks}
    assert (leaks[f].low, leaks[f].high, leaks[f].pinned) == (2, 2, True)
    # and so are the year's and the program's girls, which are the same 2
    assert {key[4] for key in leaks} == {"sex=f"}
    assert any("CSV row 2" in place for place in leaks[f].published)
    assert any("API item 3" in place for place in leaks[f].published)
    assert leaks[f].relations  # the relations that did it, by name
    # Both parts hidden: 0..12 each, nothing learnt.
    found = Gathered()
    found.add([Figure(total, 12, "CSV row 2"), Figure(m, None, "x"), Figure(f, None, "x")])
    assert checks.solve(found.finish(), label="test", k=5, known=set()).ok


def test_the_json_format_is_for_scripts(world) -> None:
    _viewer_of_all(world)
    code, out, err = _audit("--user", "viewer-all", "--format", "json", "--quiet")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["ok"] is True and data["leaks"] == [] and data["k"] == 5
    assert data["reader"] == "viewer-all"
    assert "api-observations" in data["outputs"]


def test_help_lists_the_outputs() -> None:
    from amparo.disclosure.management.commands.disclosure_audit import Command

    text = Command().create_parser("amparo", "disclosure_audit").format_help()
    for output in ("api-observations", "indicators-csv", "dhis2-export", "report-pdf"):
        assert output in text


def test_a_role_in_a_region_is_audited_and_progress_goes_to_stderr(world) -> None:
    indicator = _indicator()
    _values(indicator, [(world.region_a, JAN, "", 40), (world.region_b, JAN, "", 2)])
    code, out, err = _audit("--role", "viewer", "--region", "pe-lor")
    assert code == 0, out
    assert out.startswith("reader: viewer PE-LOR (k = 5)")
    assert "disclosure audit: 1/10 api-observations" in err
    assert "disclosure audit: 10/10 report-pdf" in err
    assert "no leak found" in out and "disclosure audit" not in out
    assert not User.objects.filter(username=SYNTHETIC).exists()
    with pytest.raises(CommandError) as raised:
        call_command("disclosure_audit", "--role", "viewer", "--region", "XX", stdout=StringIO())
    assert raised.value.returncode == 2


def test_an_output_that_fails_is_reported_not_skipped_silently(world, monkeypatch) -> None:
    from amparo.disclosure.gather import outputs

    def broken(_ctx):
        raise outputs.OutputError("/regions/PE-LOR/indicators.csv answered 500")
        yield  # pragma: no cover - a generator

    monkeypatch.setitem(outputs.READER_OUTPUTS, "indicators-csv", broken)
    _viewer_of_all(world)
    code, out, _err = _audit("--user", "viewer-all", "--quiet")
    assert code == 1
    assert "NOT COVERED: output indicators-csv failed: OutputError: /regions/PE-LOR" in out
