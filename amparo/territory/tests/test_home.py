"""The home page: what needs its reader, and where the program stands, for every role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from amparo.assessment import services as assessment_services
from amparo.assessment.tests.conftest import add_finding
from amparo.imports.models import ImportJob, JobStatus
from amparo.mitigation.models import Measure
from amparo.partnerships.models import Meeting, NextStep
from amparo.rollout.models import Rollout
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Region

TODAY = timezone.localdate()


def _step(
    world, region, owner: str, due_in: int, done: bool = False, text: str = "Enviar convenio"
):
    meeting = Meeting.objects.create(
        region=region, held_on=TODAY - timedelta(days=40), place="Iquitos", purpose="Alianza"
    )
    return NextStep.objects.create(
        meeting=meeting,
        description=text,
        owner=world.users[owner],
        due_on=TODAY + timedelta(days=due_in),
        done_on=TODAY if done else None,
    )


def _measure(world, owner: str, due_in: int, title: str, sector=None, status: str = "proposed"):
    return Measure.objects.create(
        region=world.region_a,
        sector=sector or world.sector,
        kind="policy",
        title=title,
        owner=world.users[owner],
        starts_on=TODAY - timedelta(days=60),
        due_on=TODAY + timedelta(days=due_in),
        status=status,
    )


def _home(world, role: str, language: str = "es") -> str:
    client = world.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("home")).text


def test_an_outsider_is_told_how_to_get_access(world) -> None:
    page = _home(world, "outsider")
    assert "Loreto" not in page
    assert "membresía" in page


def test_a_coordinator_of_one_region_lands_on_that_regions_work(world) -> None:
    page = _home(world, "coordinator")
    assert "<h1>Loreto</h1>" in page
    for name in ("region-partnerships", "meetings", "measure-list", "region-dashboard"):
        assert reverse(name, args=["PE-LOR"]) in page
    assert "Ucayali" not in page


def test_a_program_admin_sees_every_region_and_those_ready_to_start(world, playbook) -> None:
    Rollout.objects.create(region=world.region_a, playbook=playbook)
    page = _home(world, "admin")
    assert "<h1>Inicio</h1>" in page
    assert reverse("rollout-create", args=["PE-UCA"]) in page
    assert reverse("rollout-create", args=["PE-LOR"]) not in page
    assert "Ucayali" in page and "Loreto" in page


def test_regions_ready_to_start_are_for_program_admins_only(world) -> None:
    assert reverse("rollout-create", args=["PE-LOR"]) not in _home(world, "coordinator")


def test_it_lists_the_readers_overdue_and_upcoming_steps_only(world) -> None:
    _step(world, world.region_a, "coordinator", -3, text="Paso atrasado")
    _step(world, world.region_a, "coordinator", 10, text="Paso pronto")
    _step(world, world.region_a, "coordinator", 45, text="Paso lejano")
    _step(world, world.region_a, "coordinator", -3, done=True, text="Paso hecho")
    _step(world, world.region_a, "focal", 2, text="Paso de otra persona")
    page = _home(world, "coordinator")
    overdue, upcoming = page.split("Vence en los próximos 30 días")
    assert "Paso atrasado" in overdue and "Paso pronto" in upcoming
    for hidden in ("Paso lejano", "Paso hecho", "Paso de otra persona"):
        assert hidden not in page


def test_a_step_in_a_region_where_the_owner_is_now_a_viewer_is_left_out(world) -> None:
    _step(world, world.region_a, "viewer", 2, text="Paso del lector")
    assert "Paso del lector" not in _home(world, "viewer")


def test_it_lists_the_readers_open_measures_in_sectors_they_may_read(world) -> None:
    _measure(world, "focal", -1, "Medida atrasada")
    _measure(world, "focal", 5, "Medida pronta")
    _measure(world, "focal", 5, "Medida implementada", status="implemented")
    _measure(world, "focal", 5, "Medida de educación", sector=world.other_sector)
    page = _home(world, "focal")
    assert "Medida atrasada" in page and "Medida pronta" in page
    assert "Medida implementada" not in page
    assert "Medida de educación" not in page
    assert page.index("Medida atrasada") < page.index("Medida pronta")


def test_long_lists_are_cut_with_a_link_to_the_full_list(world) -> None:
    for n in range(12):
        _step(world, world.region_a, "coordinator", n, text=f"Paso número {n}")
    page = _home(world, "coordinator")
    assert "Paso número 7" in page and "Paso número 8" not in page
    assert reverse("my-tasks") in page.split('id="needs-you"')[1]


def test_it_lists_events_of_the_next_30_days_in_the_readers_regions(
    world, playbook, stages
) -> None:
    rollout_a = Rollout.objects.create(region=world.region_a, playbook=playbook)
    rollout_b = Rollout.objects.create(region=world.region_b, playbook=playbook)
    soon = make_event(rollout_a, stages["reuniones"], TODAY + timedelta(days=3), "planned")
    make_event(rollout_a, stages["conferencia"], TODAY + timedelta(days=50), "planned")
    make_event(rollout_a, stages["capacitacion"], TODAY + timedelta(days=4), "cancelled")
    elsewhere = make_event(rollout_b, stages["reuniones"], TODAY + timedelta(days=3), "planned")
    page = _home(world, "viewer")
    assert reverse("event-detail", args=["PE-LOR", soon.pk]) in page
    assert reverse("event-detail", args=["PE-UCA", elsewhere.pk]) not in page
    assert page.count("/events/") == 1
    assert reverse("event-detail", args=["PE-UCA", elsewhere.pk]) in _home(world, "admin")


def test_it_lists_imports_waiting_for_the_readers_confirmation(world) -> None:
    waiting = ImportJob.objects.create(
        kind="observations",
        region=world.region_a,
        original_name="valores.csv",
        created_by=world.users["coordinator"],
        status=JobStatus.READY,
        rows_valid=3,
    )
    ImportJob.objects.create(
        kind="observations",
        region=world.region_a,
        original_name="hecho.csv",
        created_by=world.users["coordinator"],
        status=JobStatus.DONE,
    )
    page = _home(world, "coordinator")
    assert reverse("indicator-import-job", args=["PE-LOR", waiting.pk]) in page
    assert "3 filas por importar" in page
    assert "hecho.csv" not in page
    assert "valores.csv" not in _home(world, "admin")  # another person's job


def test_a_field_answers_job_links_to_its_rounds_page(world, round_a) -> None:
    job = ImportJob.objects.create(
        kind="field_answers",
        region=world.region_a,
        target=round_a,
        original_name="respuestas.csv",
        created_by=world.users["coordinator"],
        status=JobStatus.READY,
    )
    page = _home(world, "coordinator")
    assert reverse("import-job", args=["PE-LOR", round_a.pk, job.pk]) in page


def test_a_job_the_reader_may_no_longer_confirm_is_left_out(world, round_a) -> None:
    # Field answers are confirmed by coordinators; a focal point's old job waits for them.
    ImportJob.objects.create(
        kind="field_answers",
        region=world.region_a,
        target=round_a,
        original_name="respuestas.csv",
        created_by=world.users["focal"],
        status=JobStatus.READY,
    )
    assert "respuestas.csv" not in _home(world, "focal")


def test_nothing_due_says_so(world) -> None:
    assert "No tiene nada pendiente en los próximos 30 días." in _home(world, "viewer")


def test_the_home_speaks_english(world) -> None:
    page = _home(world, "admin", "en")
    assert "What needs you" in page and "Where the program stands" in page
    assert "Church track: stage reached" in page


def test_the_map_shows_each_visible_region_with_a_text_alternative(world) -> None:
    page = _home(world, "admin")
    assert page.count('role="group"') == 2  # church track and government track
    table = page.split('class="map-table"')[1]
    assert "Loreto" in table and "Ucayali" in table
    assert table.count("sin iniciar") == 2 and table.count("sin evaluar") == 2
    viewer = _home(world, "viewer").split('class="map-table"')[1]
    assert "Loreto" in viewer and "Ucayali" not in viewer


def test_the_map_colours_the_stage_reached(world, playbook, stages) -> None:
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    make_event(rollout, stages["reuniones"], TODAY - timedelta(days=20))
    page = _home(world, "coordinator")
    total = len(stages)
    assert f"(1/{total})" in page
    assert "church-started" in page or "church-half" in page


def test_the_map_shows_the_highest_risk_the_reader_may_read(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(1, 1))
    add_finding(round_a, threats["EDU-01"], inherent=(5, 5))
    coordinator = _home(world, "coordinator").split('class="map-table"')[1]
    focal = _home(world, "focal").split('class="map-table"')[1]
    assert "Crítico" in coordinator and "Crítico" not in focal
    assert "Bajo" in focal


def test_a_residual_rating_replaces_the_inherent_one(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(1, 1))
    table = _home(world, "coordinator").split('class="map-table"')[1]
    assert "Bajo" in table and "Crítico" not in table


def test_the_program_page_shows_the_map(world) -> None:
    page = world.client("viewer").get(reverse("program")).text
    assert 'class="map-table"' in page and "Loreto" in page


def _bulk(world, playbook, stages, threats, n: int) -> None:
    for i in range(n):
        region = Region.objects.create(
            code=f"PE-X{i:02d}", name=f"Región {i}", capital="C", country="PE"
        )
        rollout = Rollout.objects.create(region=region, playbook=playbook)
        make_event(rollout, stages["reuniones"], TODAY + timedelta(days=i % 20), "planned")
        _step(world, region, "admin", i % 40 - 10)
        assessment = assessment_services.assessment_start(region=region, clone_previous=False)
        add_finding(assessment, threats["TUR-01"], inherent=(1 + i % 5, 2))
        ImportJob.objects.create(
            kind="observations",
            region=region,
            original_name=f"{i}.csv",
            created_by=world.users["admin"],
            status=JobStatus.READY,
        )


@pytest.mark.parametrize("n", [2, 25])
def test_the_home_takes_a_fixed_number_of_queries(
    world,
    playbook,
    stages,
    threats,
    django_assert_max_num_queries,
    n: int,
) -> None:
    _bulk(world, playbook, stages, threats, n)
    for i in range(n):
        _measure(world, "admin", i - 5, f"Medida {i}")
    client = world.client("admin")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f"Región {n - 1}" in response.text
