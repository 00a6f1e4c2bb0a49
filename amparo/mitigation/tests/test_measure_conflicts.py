"""Two people edit the same measure, or one edits while another moves its status."""

from __future__ import annotations

from django.urls import reverse

from amparo.assessment.tests.test_finding_conflicts import loaded_version
from amparo.mitigation import services
from amparo.mitigation.models import Measure
from amparo.tests.queries import post_queries


def _data(measure, version, **values) -> dict:
    return {
        "sector": measure.sector_id,
        "kind": "policy",
        "title": measure.title,
        "lowers_likelihood": 0,
        "lowers_impact": 0,
        "version": version,
        **values,
    }


def test_a_stale_measure_edit_shows_both_versions_and_keeps_the_first(world, measure_a) -> None:
    url = reverse("measure-edit", args=["PE-LOR", measure_a.pk])
    coordinator, focal = world.client("coordinator"), world.client("focal")
    first, second = loaded_version(coordinator.get(url)), loaded_version(focal.get(url))
    assert coordinator.post(url, _data(measure_a, first, due_on="2026-06-30")).status_code == 302
    response = focal.post(url, _data(measure_a, second, title="Ordenanza municipal"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "2026-06-30" in page and "Ordenanza municipal" in page and "Ordenanza regional" in page
    assert page.count('class="differs"') == 2  # title and due date
    measure_a.refresh_from_db()
    assert (measure_a.title, str(measure_a.due_on), measure_a.version) == (
        "Ordenanza regional",
        "2026-06-30",
        2,
    )


def test_a_status_move_meanwhile_makes_the_form_stale_without_field_differences(
    world, measure_a
) -> None:
    url = reverse("measure-edit", args=["PE-LOR", measure_a.pk])
    focal = world.client("focal")
    version = loaded_version(focal.get(url))
    services.measure_move(measure=measure_a, to="drafting", by=world.users["coordinator"])
    response = focal.post(url, _data(measure_a, version))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="differs"' not in page and 'name="version" value="2"' in page
    assert focal.post(url, _data(measure_a, 2, description="Con la fiscalía")).status_code == 302
    measure_a.refresh_from_db()
    assert (measure_a.status, measure_a.description, measure_a.version) == (
        "drafting",
        "Con la fiscalía",
        3,
    )


def test_the_measure_conflict_page_costs_the_same_with_more_linked_rows(world, measure_a) -> None:
    url = reverse("measure-edit", args=["PE-LOR", measure_a.pk])
    coordinator, focal = world.client("coordinator"), world.client("focal")
    coordinator.post(url, _data(measure_a, 1, title="a"))
    small = post_queries(focal, url, _data(measure_a, 1, title="b"), 409)
    for n in range(2, 8):
        coordinator.post(url, _data(measure_a, n, title=f"a{n}"))
        Measure.objects.create(region=world.region_a, sector=world.sector, kind="program", title=n)
    assert post_queries(focal, url, _data(measure_a, 1, title="b"), 409) == small
