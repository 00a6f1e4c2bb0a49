"""While a protection is pending (large data, just after a change) every output hides the
counts its reader does not know in full: the API, the DHIS2 export, event pages, the
lists of groups and churches, the PDF's content; the reader's own region stays shown.
A change to counted data asks the worker once per committed transaction, never for a
rolled-back one or a change to other data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from amparo.api.tests.conftest import bearer
from amparo.disclosure import stored, worker_protection
from amparo.disclosure.release import MARKER, release_of
from amparo.disclosure.tests.test_audit_channels import _training_world
from amparo.disclosure.tests.test_release import CODE, two_groups, victims  # noqa: F401
from amparo.disclosure.tests.test_stored_release import NOTICE_ES, large, queued  # noqa: F401
from amparo.indicators.models import Observation
from amparo.territory.models import Region


def _api_values(world, role: str) -> list[tuple[object, bool]]:
    rows = bearer(world, role).get(f"/api/v1/observations?region=PE-LOR&indicator={CODE}")
    return [(r["value"], r["hidden"]) for r in rows.json()["items"]]


@pytest.mark.usefixtures("victims", "large", "queued")
def test_the_api_hides_every_count_of_a_viewer_and_none_of_a_coordinator(world) -> None:
    viewer = _api_values(world, "viewer")
    assert len(viewer) == 10 and all(v == (None, True) for v in viewer)
    coordinator = _api_values(world, "coordinator")
    assert len(coordinator) == 10 and not any(hidden for _v, hidden in coordinator)


@pytest.mark.usefixtures("victims", "large", "queued")
def test_the_dhis2_export_leaves_out_every_count_a_viewer_does_not_know(world) -> None:
    from amparo.dhis2.queries import readable_observations

    regions = [world.region_a]
    assert readable_observations(world.users["viewer"], regions, "2026") == []
    assert len(readable_observations(world.users["coordinator"], regions, "2026")) == 10


@pytest.mark.usefixtures("large", "queued")
def test_an_event_page_hides_attendance_and_churches_from_a_viewer(world) -> None:
    event = _training_world(world, churches=20)
    path = reverse("event-detail", args=["PE-LOR", event.pk])
    page = world.client("viewer").get(path)
    text = page.content.decode()
    assert page.context["churches_listed"] is False and "Iglesia 0" not in text
    assert [str(t) for t in page.context["attendance_totals"]][:2] == [MARKER, MARKER]
    assert NOTICE_ES in text
    coordinator = world.client("coordinator").get(path)
    assert "Iglesia 0" in coordinator.content.decode()
    assert [str(t) for t in coordinator.context["attendance_totals"]][:2] == ["200", "200"]


@pytest.mark.usefixtures("two_groups", "large", "queued")
def test_a_list_of_groups_is_not_shown_to_a_viewer_while_pending(world) -> None:
    from amparo.rollout.models import RecoveryGroup, Rollout

    board = reverse("rollout-board", args=["PE-LOR", Rollout.objects.get().pk])
    group = RecoveryGroup.objects.first()
    detail = reverse("group-detail", args=["PE-LOR", group.pk])
    viewer = world.client("viewer")
    assert "Iglesia 0" not in viewer.get(board).content.decode()
    assert viewer.get(detail).status_code == 404
    coordinator = world.client("coordinator")
    assert "Iglesia 0" in coordinator.get(board).content.decode()
    assert coordinator.get(detail).status_code == 200


@pytest.mark.usefixtures("two_groups", "large", "queued")
def test_the_program_page_hides_the_church_track_lines_of_a_viewer(world) -> None:
    page = world.client("viewer").get(reverse("program"))
    line = next(x for x in page.context["lines"] if x.region.code == "PE-LOR")
    assert line.groups_active == MARKER and NOTICE_ES in page.content.decode()


@pytest.mark.usefixtures("victims", "large", "queued")
def test_the_pdf_content_says_its_counts_are_being_protected(world) -> None:
    from amparo.reports.content import executive_summary

    with translation.override("en"):
        summary = executive_summary(
            Region.objects.filter(pk=world.region_a.pk),
            user=world.users["viewer"],
            donor=True,
            since=None,
        )
        html = render_to_string("reports/executive.html", {"s": summary, "lang": "en"})
    view = next(v for v, _c in summary.charts if v.indicator.code == CODE)
    assert summary.release.waiting and view.current == MARKER
    assert "Figures are being protected after a recent data change" in html


def _observation(world, value: int) -> Observation:
    from amparo.indicators.models import Indicator

    return Observation.objects.create(
        indicator=Indicator.objects.get(code=CODE),
        region=world.region_a,
        period=date(2026, 6, 1),
        value=value,
    )


@pytest.fixture
def committed(request) -> None:
    """The fixtures' rows as if committed (the test's own transaction never commits)."""
    from django.db import connection

    request.getfixturevalue("victims")
    connection.run_on_commit[:] = [
        c for c in connection.run_on_commit if c[1] is not worker_protection._queue_after_commit
    ]


@pytest.mark.usefixtures("committed", "large")
def test_a_rolled_back_change_queues_nothing_and_the_next_one_does(
    world,
    queued,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _observation(world, 7)
                raise RuntimeError("the import failed")
        except RuntimeError:
            pass
        with transaction.atomic():
            _observation(world, 8)
    assert len(callbacks) == 1 and queued == [(11, [], False)]  # the public audience


@pytest.mark.usefixtures("committed", "large")
def test_deleting_counted_rows_queues_and_other_changes_do_not(
    world,
    queued,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Region.objects.create(code="PE-X", name="X", capital="x", country="PE")
    assert callbacks == [] and queued == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Observation.objects.filter(indicator__code=CODE).first().delete()
    assert len(callbacks) == 1 and queued == [(11, [], False)]


@pytest.mark.usefixtures("victims", "large", "queued")
def test_a_viewer_who_got_a_pending_release_is_remembered_once(world) -> None:
    for _n in range(3):
        assert release_of(world.users["viewer"]).waiting
    (use,) = stored.audiences_in_use()
    assert (use.k, use.known_regions, use.program_known) == (5, [], False)
