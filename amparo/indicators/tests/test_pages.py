"""Dashboards, entry grid, targets and file import, through the pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from amparo.imports.models import ImportJob
from amparo.indicators.models import Indicator, Observation, Target
from amparo.rollout.models import Attendance, Event, Playbook, RecoveryGroup, Rollout
from amparo.territory.models import Organization, Region
from amparo.tests.queries import page_queries


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())
    return {i.code: i for i in Indicator.objects.all()}


@pytest.mark.parametrize(
    ("role", "program", "region_a", "region_b", "entry"),
    [
        ("admin", 200, 200, 200, 200),
        ("coordinator", 200, 200, 404, 200),
        ("focal", 200, 200, 404, 403),
        ("viewer", 200, 200, 404, 403),
        ("outsider", 200, 404, 404, 404),
    ],
)
def test_who_sees_which_dashboard(world, catalog, role, program, region_a, region_b, entry):
    client = world.client(role)
    assert client.get(reverse("program-dashboard")).status_code == program
    assert client.get(reverse("region-dashboard", args=["PE-LOR"])).status_code == region_a
    assert client.get(reverse("region-dashboard", args=["PE-UCA"])).status_code == region_b
    assert client.get(reverse("indicator-entry", args=["PE-LOR"])).status_code == entry
    assert client.get(reverse("indicator-import", args=["PE-LOR"])).status_code == entry


def test_the_program_dashboard_shows_only_visible_regions(world, catalog) -> None:
    page = world.client("coordinator").get(reverse("program-dashboard")).content.decode()
    assert "Loreto" in page and "Ucayali" not in page


def test_the_grid_saves_a_row_of_values_at_once(world, catalog) -> None:
    trained, inspected = catalog["OUT-TRAINED"], catalog["OUT-INSPECTED"]
    url = (
        reverse("indicator-entry", args=["PE-LOR"])
        + f"?frequency={trained.frequency}&period=2027-T1"
    )
    client = world.client("coordinator")
    response = client.post(url, {f"v{trained.pk}": "12", f"v{inspected.pk}": "-3"})
    assert response.status_code == 422 and not Observation.objects.exists()
    response = client.post(url, {f"v{trained.pk}": "12", f"v{inspected.pk}": "7,5"})
    assert response.status_code == 302
    values = dict(Observation.objects.values_list("indicator__code", "value"))
    assert values == {"OUT-TRAINED": Decimal("12"), "OUT-INSPECTED": Decimal("7.5")}
    assert Observation.objects.get(indicator=trained).period == date(2027, 1, 1)
    client.post(url, {f"v{trained.pk}": "", f"v{inspected.pk}": "8"})
    assert list(Observation.objects.values_list("indicator__code", flat=True)) == ["OUT-INSPECTED"]


def test_computed_indicators_cannot_be_typed(world, catalog) -> None:
    page = (
        world.client("coordinator")
        .get(reverse("indicator-entry", args=["PE-LOR"]) + "?frequency=monthly")
        .context["rows"]
    )
    assert "CH-PASTORS" not in [indicator.code for indicator, _v, _e in page]


def test_a_file_import_previews_row_problems_then_writes_all_valid_rows(world, catalog) -> None:
    client = world.client("coordinator")
    content = (
        b"period,indicator,value,region,source\n"
        b"2027-T1,OUT-TRAINED,10,PE-LOR,DRE\n"
        b"2027-T2,OUT-TRAINED,abc,PE-LOR,\n"
        b"2027-05,CH-PASTORS,3,PE-LOR,\n"
        b"2027-T2,OUT-TRAINED,4,PE-UCA,\n"
        b"2027-T3,NOPE,4,PE-LOR,\n"
        b"2027-13,OUT-TRAINED,4,PE-LOR,\n"
    )
    response = client.post(
        reverse("indicator-import", args=["PE-LOR"]),
        {"file": SimpleUploadedFile("values.csv", content)},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("indicator-import-job", args=["PE-LOR", job.pk])
    assert (job.status, job.rows_read, job.rows_valid, job.problem_count) == ("ready", 6, 1, 5)
    assert [(row, reason) for row, _column, reason, _value in job.problems] == [
        (3, "not_a_number"),
        (4, "computed_indicator"),
        (5, "region_not_allowed"),
        (6, "unknown_indicator"),
        (7, "bad_period"),
    ]
    page = client.get(response.url).content.decode()
    assert "no es un número" in page and "Importar 1 valor" in page
    assert not Observation.objects.exists()
    client.post(reverse("indicator-import-confirm", args=["PE-LOR", job.pk]))
    assert Observation.objects.get().value == Decimal("10")
    job.refresh_from_db()
    assert (job.status, job.rows_imported, job.confirmed_by) == (
        "done",
        1,
        world.users["coordinator"],
    )
    assert not job.file  # not kept unless asked


def test_targets_are_set_per_region_and_shown_against_values(world, catalog) -> None:
    trained = catalog["OUT-TRAINED"]
    trained.is_key = True
    trained.save()
    client = world.client("coordinator")
    url = reverse("indicator-targets", args=["PE-LOR", "OUT-TRAINED"])
    assert (
        client.post(url, {"kind": "target", "period": "2027-T4", "value": "x"}).status_code == 422
    )
    client.post(url, {"kind": "baseline", "period": "2026-T4", "value": "10"})
    client.post(url, {"kind": "target", "period": "2027-T4", "value": "50"})
    assert Target.objects.count() == 2
    Observation.objects.create(
        indicator=trained, region=world.region_a, period=date(2027, 1, 1), value=20
    )
    Observation.objects.create(
        indicator=trained, region=world.region_a, period=date(2027, 10, 1), value=30
    )
    page = client.get(reverse("region-dashboard", args=["PE-LOR"])).content.decode()
    # The 2027-T4 value against the 2027-T4 target, from the latest baseline before it.
    assert "50% del camino" in page  # (30 - 10) / (50 - 10)


def _church_track(world) -> None:
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    training = playbook.stages.get(code="capacitacion")
    event = Event.objects.create(
        rollout=rollout,
        stage=training,
        status="done",
        city="Iquitos",
        starts_on=date(2026, 5, 4),
        ends_on=date(2026, 5, 6),
    )
    for n, pastors in enumerate((3, 9)):
        church = Organization.objects.create(
            name=f"Iglesia {n}", kind="church", region=world.region_a
        )
        Attendance.objects.create(event=event, organization=church, pastors=pastors)
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, launched_on=date(2026, 7, 1), meeting_day=1
        )


def test_church_track_indicators_are_computed_and_match_the_program_page(world, catalog) -> None:
    _church_track(world)
    client = world.client("coordinator")
    dashboard = client.get(reverse("region-dashboard", args=["PE-LOR"])).context
    views = {v.indicator.code: v for v, _chart in dashboard["charts"]}
    assert views["CH-PASTORS"].current == 12 and views["CH-CHURCHES"].current == 2
    assert views["CH-GROUPS-LAUNCHED"].current == 2
    program = client.get(reverse("program")).context["lines"]
    line = next(row for row in program if row.region.code == "PE-LOR")
    assert (line.pastors_trained, line.churches_represented, line.groups_launched) == (12, 2, 2)


def test_viewers_see_small_counts_suppressed(world, catalog) -> None:
    _church_track(world)
    RecoveryGroup.objects.all().delete()
    viewer = (
        world.client("viewer").get(reverse("region-dashboard", args=["PE-LOR"])).content.decode()
    )
    coordinator = (
        world.client("coordinator")
        .get(reverse("region-dashboard", args=["PE-LOR"]))
        .content.decode()
    )
    assert "oculto para proteger" in viewer and "oculto para proteger" not in coordinator
    assert "&lt;5" not in viewer  # one marker, "c", which says nothing of the value


def test_dashboards_cost_the_same_queries_at_any_size(world, catalog) -> None:
    client = world.client("admin")
    urls = [reverse("program-dashboard"), reverse("region-dashboard", args=["PE-LOR"])]
    _church_track(world)
    small = [page_queries(client, url) for url in urls]
    keys = Indicator.objects.filter(is_key=True, computed_from="").exclude(aggregation="ratio")
    rows = []
    for region in Region.objects.all():
        for indicator in keys:
            for month in range(24):
                rows.append(
                    Observation(
                        indicator=indicator,
                        region=region,
                        value=month,
                        period=date(2025, 1, 1) + timedelta(days=31 * month),
                    )
                )
    Observation.objects.bulk_create(rows, ignore_conflicts=True)
    playbook = Playbook.objects.get(code="iglesias")
    Rollout.objects.create(region=world.region_b, playbook=playbook)
    assert [page_queries(client, url) for url in urls] == small
    # 30 for the page, and the reader's protection: the data's version (1 query), and
    # after a change of the data the table it is worked out from (about 8, then cached).
    assert max(small) <= 40
