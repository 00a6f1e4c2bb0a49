from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from amparo.rollout import services
from amparo.rollout.models import Stage
from amparo.territory.services import LoadCount


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are asserted in English; pages are tested in Spanish elsewhere.
    with translation.override("en"):
        yield


def test_the_default_playbook_ships_with_the_catalog(playbook) -> None:
    stages = list(playbook.stages.order_by("order"))
    assert [s.kind for s in stages] == [
        "partnership_meeting",
        "pastors_conference",
        "leader_training",
        "citywide_launch",
    ]
    training = stages[2]
    assert (training.max_pastors, training.max_churches) == (50, 50)
    assert [p.code for p in training.prerequisites.all()] == ["conferencia"]


def test_reloading_the_catalog_keeps_a_users_edits(playbook, stages) -> None:
    Stage.objects.filter(pk=stages["conferencia"].pk).update(typical_days=5)
    count = LoadCount()
    services.playbook_catalog_load(pack="pe", count=count)
    assert count.created == {}
    assert Stage.objects.get(pk=stages["conferencia"].pk).typical_days == 5


def test_an_admin_adds_a_stage_with_prerequisites(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-create", args=["iglesias"]),
        {
            "order": 5, "code": "seguimiento", "kind": "other", "name_es": "Seguimiento",
            "name_en": "Follow-up", "typical_days": 1, "min_gap_days": 60,
            "prerequisites": [stages["lanzamiento"].pk],
        },
    )  # fmt: skip
    assert response.status_code == 302
    stage = playbook.stages.get(code="seguimiento")
    assert list(stage.prerequisites.all()) == [stages["lanzamiento"]]


def test_a_prerequisite_must_come_earlier(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-edit", args=["iglesias", stages["reuniones"].pk]),
        {
            "order": 1, "code": "reuniones", "kind": "partnership_meeting", "name_es": "R",
            "name_en": "R", "typical_days": 1, "min_gap_days": 0,
            "prerequisites": [stages["lanzamiento"].pk],
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "debe ir antes" in response.text
    assert not stages["reuniones"].prerequisites.exists()


def test_a_stage_cannot_move_before_its_dependents(playbook, stages) -> None:
    with pytest.raises(ValidationError, match="would come before"):
        services.stage_save(playbook=playbook, stage=stages["reuniones"], prerequisites=[], order=9)


def test_only_program_admins_edit_playbooks(world, playbook, stages) -> None:
    for role, expected in [("coordinator", 403), ("focal", 403), ("viewer", 403)]:
        client = world.client(role)
        assert client.get(reverse("playbook-create")).status_code == expected
        assert client.get(reverse("stage-create", args=["iglesias"])).status_code == expected
        assert client.get(reverse("playbook-detail", args=["iglesias"])).status_code == 200
    outsider = world.client("outsider")
    assert outsider.get(reverse("playbook-detail", args=["iglesias"])).status_code == 404
    assert outsider.get(reverse("playbook-create")).status_code == 403


def test_a_stage_with_events_cannot_be_removed(world, rollout_a, stages) -> None:
    from datetime import date

    from amparo.rollout.tests.conftest import make_event

    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6))
    response = world.client("admin").post(
        reverse("stage-delete", args=["iglesias", stages["reuniones"].pk])
    )
    assert response.status_code == 302
    assert Stage.objects.filter(pk=stages["reuniones"].pk).exists()
    world.client("admin").post(reverse("stage-delete", args=["iglesias", stages["lanzamiento"].pk]))
    assert not Stage.objects.filter(pk=stages["lanzamiento"].pk).exists()
