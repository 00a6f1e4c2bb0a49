"""More list pages download as CSV, with the page's rows and the page's access."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.urls import reverse

from amparo.indicators.models import Indicator, Observation
from amparo.mitigation.models import Measure
from amparo.partnerships.models import NextStep, Partnership


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_rounds_list_downloads_with_the_findings_the_user_may_read(world, loreto) -> None:
    url = reverse("round-list-csv", args=["PE-LOR"])
    assert url in world.client("coordinator").get(reverse("round-list", args=["PE-LOR"])).text
    coordinator = _rows(world.client("coordinator").get(url))
    assert coordinator[0][:2] == ["Ronda", "Estado"]
    assert coordinator[1][0] == "1" and coordinator[1][-1] == "2"
    assert _rows(world.client("focal").get(url))[1][-1] == "1"  # tourism only
    assert (
        world.client("coordinator").get(reverse("round-list-csv", args=["PE-UCA"])).status_code
        == 404
    )


def test_my_measures_download_only_the_ones_i_may_still_read(world, loreto) -> None:
    Measure.objects.filter(pk=loreto.tourism_measure.pk).update(owner=world.users["focal"])
    Measure.objects.filter(pk=loreto.education_measure.pk).update(owner=world.users["focal"])
    url = reverse("my-measures-csv")
    assert url in world.client("focal").get(reverse("my-measures")).text
    rows = _rows(world.client("focal").get(url))
    assert [r[3] for r in rows[1:]] == ["Ordenanza de turismo"]  # education is not theirs


def test_my_tasks_download(world, loreto) -> None:
    url = reverse("my-tasks-csv")
    assert url in world.client("coordinator").get(reverse("my-tasks")).text
    rows = _rows(world.client("coordinator").get(url))
    assert rows[1][:3] == ["Loreto", "2026-04-01", "Enviar el convenio"]
    NextStep.objects.update(done_on=date(2026, 3, 1))
    assert len(_rows(world.client("coordinator").get(url))) == 1  # the header only
    assert len(_rows(world.client("focal").get(url))) == 1  # not their step


def test_a_regions_partnerships_download(world, loreto) -> None:
    Partnership.objects.create(
        region=world.region_a,
        organization=loreto.church,
        stage="contacted",
        since=date(2026, 1, 10),
    )
    url = reverse("partnerships-csv", args=["PE-LOR"])
    assert url in world.client("viewer").get(reverse("region-partnerships", args=["PE-LOR"])).text
    rows = _rows(world.client("viewer").get(url))
    assert rows[1][0] == "Iglesia Belen" and rows[1][2] == "2026-01-10" and rows[1][4] == "no"
    assert world.client("outsider").get(url).status_code == 404


def test_a_regions_indicators_download_suppresses_small_counts_for_viewers(world, loreto) -> None:
    indicator = (
        Indicator.objects.filter(unit="count", computed_from="", aggregation="sum")
        .order_by("code")
        .first()
    )
    for month, value in ((1, 3), (2, 12)):
        Observation.objects.create(
            indicator=indicator, region=world.region_a, period=date(2026, month, 1), value=value
        )
    url = reverse("indicators-csv", args=["PE-LOR"])
    assert (
        url in world.client("coordinator").get(reverse("region-indicators", args=["PE-LOR"])).text
    )
    mine = [r for r in _rows(world.client("coordinator").get(url)) if r[0] == indicator.code]
    assert [(r[2], r[3]) for r in mine] == [("2026-01-01", "3"), ("2026-02-01", "12")]
    viewer = [r for r in _rows(world.client("viewer").get(url)) if r[0] == indicator.code]
    # January's 3 is hidden, and so is February's 12: the year's 15 would give it back.
    assert [(r[2], r[3]) for r in viewer] == [("2026-01-01", "c"), ("2026-02-01", "c")]
    assert "oculto para proteger" in world.client("viewer").get(url).content.decode("utf-8-sig")


def test_a_viewers_indicators_download_has_the_points_of_their_chart(world, loreto) -> None:
    indicator = (
        Indicator.objects.filter(unit="count", computed_from="", aggregation="sum")
        .order_by("code")
        .first()
    )
    # An estimate of 4.6 people counts as 5, as on the chart; 0.4 counts as none.
    for month, value in ((1, 3), (2, 12), (3, 4.6), (4, 0.4)):
        Observation.objects.create(
            indicator=indicator, region=world.region_a, period=date(2026, month, 1), value=value
        )
    rows = _rows(world.client("viewer").get(reverse("indicators-csv", args=["PE-LOR"])))
    viewer = {r[2]: r[3] for r in rows if r[0] == indicator.code}
    page = world.client("viewer").get(reverse("region-indicators", args=["PE-LOR"]))
    view = next(v for v, _c in page.context["charts"] if v.indicator.code == indicator.code)
    drawn = {f"{p:%Y-%m-%d}": str(round(v)) for p, v in view.shown_series}
    # The download hides exactly the points the chart does not draw, and gives the others.
    assert {p: v for p, v in viewer.items() if v != "c"} == drawn
    assert viewer["2026-01-01"] == "c" and viewer["2026-04-01"] in ("0", "c")
    assert viewer.get("2026-03-01") in ("5", "c")
