from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from amparo.catalog.sync import LoadCount
from amparo.rollout import services
from amparo.rollout.models import Stage


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


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_the_playbook_page_shows_descriptions_in_the_readers_language(world, playbook) -> None:
    url = reverse("playbook-detail", args=["iglesias"])
    english = _english(world.client("viewer")).get(url).text
    assert "The sequence the program repeats in each region" in english
    assert "A training conference for up to 50 pastors" in english
    assert "Conferencia de capacitación para hasta 50 pastores" not in english
    spanish = world.client("viewer").get(url).text
    assert "Conferencia de capacitación para hasta 50 pastores" in spanish
    assert "A training conference" not in spanish


def test_an_english_reader_sees_the_spanish_text_until_one_is_written(
    world, playbook, stages
) -> None:
    Stage.objects.filter(pk=stages["capacitacion"].pk).update(description_en="")
    url = reverse("playbook-detail", args=["iglesias"])
    english = _english(world.client("viewer")).get(url).text
    assert "Conferencia de capacitación para hasta 50 pastores" in english


def test_an_admin_writes_both_descriptions(world, playbook, stages) -> None:
    client = world.client("admin")
    edit = reverse("playbook-edit", args=["iglesias"])
    assert 'name="description_en"' in client.get(edit).text
    response = client.post(edit, {
        "code": "iglesias", "name_es": "Iglesias", "name_en": "Churches",
        "description_es": "Con las iglesias", "description_en": "With the churches",
    })  # fmt: skip
    assert response.status_code == 302
    playbook.refresh_from_db()
    assert (playbook.description_es, playbook.description_en) == (
        "Con las iglesias",
        "With the churches",
    )
    response = client.post(reverse("stage-edit", args=["iglesias", stages["reuniones"].pk]), {
        "order": 1, "code": "reuniones", "kind": "partnership_meeting", "name_es": "R",
        "name_en": "R", "typical_days": 2, "min_gap_days": 0,
        "description_es": "Primeras reuniones", "description_en": "First meetings",
    })  # fmt: skip
    assert response.status_code == 302
    stage = Stage.objects.get(pk=stages["reuniones"].pk)
    assert (stage.description_es, stage.description_en) == ("Primeras reuniones", "First meetings")


def test_reloading_the_catalog_adds_english_only_where_nobody_wrote_any(playbook, stages) -> None:
    Stage.objects.filter(pk=stages["reuniones"].pk).update(description_en="")
    Stage.objects.filter(pk=stages["conferencia"].pk).update(description_en="Our own words")
    Stage.objects.filter(pk=stages["capacitacion"].pk).update(
        description_es="Nuestro texto", description_en=""
    )
    count = LoadCount()
    services.playbook_catalog_load(pack="pe", count=count)
    assert (count.created, count.updated) == ({}, {"stages": 1})
    english = dict(Stage.objects.values_list("code", "description_en"))
    assert english["reuniones"].startswith("Meetings with the pastors' fraternity")
    assert english["conferencia"] == "Our own words"
    assert english["capacitacion"] == ""
