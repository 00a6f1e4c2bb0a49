"""Every change to what users edit is recorded: who, when, before and after; shown on the
object's page to those who may see its details, and in a change log for program admins."""

from __future__ import annotations

from django.urls import reverse

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat


def _finding(world):
    threat = Threat.objects.create(code="TUR-01", sector=world.sector, title_es="t", title_en="t")
    assessment = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    return assessment, threat


def test_a_change_made_on_a_page_is_recorded_with_its_author_and_values(world) -> None:
    assessment, threat = _finding(world)
    client = world.client("focal")
    client.post(
        reverse("finding-create", args=["PE-LOR", assessment.pk]),
        {"threat": threat.pk, "inherent_likelihood": 3, "inherent_impact": 3, "confidence": "low"},
    )
    finding = Finding.objects.get()
    client.post(
        reverse("finding-edit", args=["PE-LOR", assessment.pk, finding.pk]),
        {
            "threat": threat.pk,
            "inherent_likelihood": 5,
            "inherent_impact": 3,
            "confidence": "high",
            "version": finding.version,
        },
    )
    records = list(finding.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user.username for r in records} == {"focal"}
    page = client.get(
        reverse("finding-detail", args=["PE-LOR", assessment.pk, finding.pk])
    ).content.decode()
    assert "<del>3</del> → <ins>5</ins>" in page and "focal" in page
    assert page.count('id="history-log-heading"') == 1
    assert "<del>" not in page.split("</title>")[0]
    viewer = world.client("viewer").get(
        reverse("finding-detail", args=["PE-LOR", assessment.pk, finding.pk])
    )
    assert "<del>3</del>" not in viewer.content.decode()


def test_program_admins_read_the_change_log_with_filters(world) -> None:
    assessment, threat = _finding(world)
    world.client("coordinator").post(
        reverse("finding-create", args=["PE-LOR", assessment.pk]),
        {"threat": threat.pk, "inherent_likelihood": 2, "inherent_impact": 2, "confidence": "low"},
    )
    admin = world.client("admin")
    page = admin.get(
        reverse("change-log") + "?model=assessment.finding&user=coordinator"
    ).content.decode()
    assert "coordinator" in page and "TUR-01" in page
    assert "TUR-01" not in admin.get(reverse("change-log") + "?user=viewer").content.decode()
    assert world.client("coordinator").get(reverse("change-log")).status_code == 403


def test_measure_and_event_pages_keep_their_history_out_of_the_title(world) -> None:
    from datetime import date

    from amparo.catalog.sync import LoadCount
    from amparo.mitigation.models import Measure
    from amparo.rollout import services as rollout_services
    from amparo.rollout.models import Event, Playbook, Rollout

    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza"
    )
    rollout_services.playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    event = Event.objects.create(
        rollout=rollout,
        stage=playbook.stages.first(),
        starts_on=date(2025, 1, 6),
        ends_on=date(2025, 1, 7),
    )
    client = world.client("coordinator")
    for url in (
        reverse("measure-detail", args=["PE-LOR", measure.pk]),
        reverse("event-detail", args=["PE-LOR", event.pk]),
    ):
        page = client.get(url).content.decode()
        assert page.count('id="history-log-heading"') == 1, url
        title = page.split("<title>")[1].split("</title>")[0]
        assert "<" not in title and "history" not in title, url
