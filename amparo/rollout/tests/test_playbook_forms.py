"""Playbook and stage forms as a program admin uses them: codes and positions that clash,
choices limited to the playbook, removing a stage, and what other members read."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.rollout.models import Playbook, Stage
from amparo.rollout.tests.conftest import make_event


def _stage_post(**changes) -> dict:
    data = {
        "order": 5,
        "code": "seguimiento",
        "kind": "other",
        "name_es": "Seguimiento",
        "name_en": "Follow-up",
        "typical_days": 1,
        "min_gap_days": 0,
    }
    data.update(changes)
    return data


# --- playbooks ---------------------------------------------------------------------------


def test_an_admin_creates_a_playbook_and_reads_it(world) -> None:
    response = world.client("admin").post(
        reverse("playbook-create"),
        {"code": "escuelas", "name_es": "Escuelas", "name_en": "Schools",
         "description_es": "Réplica en colegios", "description_en": ""},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain == [(reverse("playbook-detail", args=["escuelas"]), 302)]
    assert "Guía de réplica guardada." in response.text
    assert "Réplica en colegios" in response.text
    assert Playbook.objects.get(code="escuelas").name_en == "Schools"


def test_a_playbook_code_is_used_once(world, playbook) -> None:
    response = world.client("admin").post(
        reverse("playbook-create"), {"code": "iglesias", "name_es": "Otra", "name_en": "Other"}
    )
    assert response.status_code == 422
    assert Playbook.objects.filter(code="iglesias").get().name_es != "Otra"


def test_renaming_a_playbook_keeps_its_stages(world, playbook) -> None:
    response = world.client("admin").post(
        reverse("playbook-edit", args=["iglesias"]),
        {"code": "iglesias", "name_es": "Iglesias 2027", "name_en": "Churches 2027"},
    )
    assert response.status_code == 302
    playbook.refresh_from_db()
    assert playbook.name_es == "Iglesias 2027"
    assert playbook.stages.count() == 4


def test_the_list_shows_each_stage_with_its_length(world, playbook) -> None:
    page = world.client("viewer").get(reverse("playbook-list")).text
    assert "(3 días)" in page and "(1 día)" in page
    assert reverse("playbook-create") not in page
    assert reverse("playbook-create") in world.client("admin").get(reverse("playbook-list")).text


def test_people_without_a_membership_see_no_playbook(world, playbook) -> None:
    assert world.client("outsider").get(reverse("playbook-list")).status_code == 404


def test_an_unknown_playbook_is_not_found(world, playbook) -> None:
    client = world.client("admin")
    assert client.get(reverse("playbook-detail", args=["nada"])).status_code == 404
    assert client.get(reverse("stage-create", args=["nada"])).status_code == 404


# --- stages ------------------------------------------------------------------------------


def test_a_new_stage_is_offered_the_next_position(world, playbook) -> None:
    form = world.client("admin").get(reverse("stage-create", args=["iglesias"])).context["form"]
    assert form.initial["order"] == 5


def test_a_stage_code_is_used_once_per_playbook(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-create", args=["iglesias"]), _stage_post(code="conferencia")
    )
    assert response.status_code == 422
    assert "Esta guía de réplica ya tiene una etapa con ese código." in response.text
    assert playbook.stages.count() == 4


def test_the_same_stage_code_may_serve_another_playbook(world, playbook, stages) -> None:
    Playbook.objects.create(code="escuelas", name_es="Escuelas", name_en="Schools")
    response = world.client("admin").post(
        reverse("stage-create", args=["escuelas"]), _stage_post(code="conferencia", order=1)
    )
    assert response.status_code == 302
    assert Stage.objects.filter(code="conferencia").count() == 2


def test_two_stages_cannot_share_a_position(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-create", args=["iglesias"]), _stage_post(order=2)
    )
    assert response.status_code == 422
    assert "Otra etapa ya ocupa esta posición." in response.text


def test_a_stage_keeps_its_own_code_and_position_when_edited(world, playbook, stages) -> None:
    stage = stages["lanzamiento"]
    response = world.client("admin").post(
        reverse("stage-edit", args=["iglesias", stage.pk]),
        _stage_post(code="lanzamiento", order=4, kind="citywide_launch", typical_days=2,
                    prerequisites=[stages["capacitacion"].pk]),
        follow=True,
    )  # fmt: skip
    assert "Etapa guardada." in response.text
    stage.refresh_from_db()
    assert (stage.typical_days, stage.name_es) == (2, "Seguimiento")


def test_a_stage_cannot_last_less_than_a_day(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-create", args=["iglesias"]), _stage_post(typical_days=0)
    )
    assert response.status_code == 422
    assert not playbook.stages.filter(code="seguimiento").exists()


def test_a_stage_of_another_playbook_is_no_prerequisite(world, playbook, stages) -> None:
    other = Playbook.objects.create(code="escuelas", name_es="Escuelas", name_en="Schools")
    foreign = Stage.objects.create(playbook=other, code="x", order=1, kind="other",
                                   name_es="X", name_en="X")  # fmt: skip
    client = world.client("admin")
    form = client.get(reverse("stage-create", args=["iglesias"])).text
    assert f'value="{foreign.pk}"' not in form.split('name="prerequisites"', 1)[-1]
    response = client.post(
        reverse("stage-create", args=["iglesias"]), _stage_post(prerequisites=[foreign.pk])
    )
    assert response.status_code == 422
    assert not playbook.stages.filter(code="seguimiento").exists()


def test_a_stage_is_not_offered_as_its_own_prerequisite(world, playbook, stages) -> None:
    stage = stages["conferencia"]
    page = world.client("admin").get(reverse("stage-edit", args=["iglesias", stage.pk]))
    offered = set(page.context["form"].fields["prerequisites"].queryset)
    assert stage not in offered
    assert offered == {s for s in stages.values() if s != stage}


def test_moving_a_stage_after_its_dependent_names_the_dependent(world, playbook, stages) -> None:
    conference = stages["conferencia"]
    Stage.objects.filter(pk=stages["lanzamiento"].pk).update(order=9)
    response = world.client("admin").post(
        reverse("stage-edit", args=["iglesias", conference.pk]),
        _stage_post(code="conferencia", order=4, kind="pastors_conference",
                    prerequisites=[stages["reuniones"].pk]),
    )  # fmt: skip
    assert response.status_code == 422
    assert "depende de esta etapa y quedaría antes de ella." in response.text
    conference.refresh_from_db()
    assert conference.order == 2


# --- removing a stage --------------------------------------------------------------------


def test_removing_a_stage_says_so(world, playbook, stages) -> None:
    response = world.client("admin").post(
        reverse("stage-delete", args=["iglesias", stages["lanzamiento"].pk]), follow=True
    )
    assert "Etapa eliminada." in response.text
    assert playbook.stages.count() == 3


def test_a_stage_with_events_stays_and_the_admin_is_told_why(world, rollout_a, stages) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="cancelled")
    response = world.client("admin").post(
        reverse("stage-delete", args=["iglesias", stages["reuniones"].pk]), follow=True
    )
    assert "Esta etapa tiene eventos y no se puede eliminar." in response.text
    assert Stage.objects.filter(pk=stages["reuniones"].pk).exists()


def test_a_stage_is_removed_only_through_its_own_playbook(world, playbook, stages) -> None:
    Playbook.objects.create(code="escuelas", name_es="Escuelas", name_en="Schools")
    url = reverse("stage-delete", args=["escuelas", stages["lanzamiento"].pk])
    assert world.client("admin").post(url).status_code == 404
    assert Stage.objects.filter(pk=stages["lanzamiento"].pk).exists()


@pytest.mark.parametrize("role", ["coordinator", "focal", "viewer"])
def test_only_program_admins_remove_stages(world, playbook, stages, role) -> None:
    url = reverse("stage-delete", args=["iglesias", stages["lanzamiento"].pk])
    assert world.client(role).post(url).status_code == 403
    assert playbook.stages.count() == 4


def test_removing_needs_a_post(world, playbook, stages) -> None:
    url = reverse("stage-delete", args=["iglesias", stages["lanzamiento"].pk])
    assert world.client("admin").get(url).status_code == 405
    assert playbook.stages.count() == 4


def test_the_playbook_page_costs_the_same_with_more_stages(
    world, playbook, stages, django_assert_max_num_queries
) -> None:
    client = world.client("admin")
    url = reverse("playbook-detail", args=["iglesias"])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(5, 11):
        stage = Stage.objects.create(playbook=playbook, code=f"extra{n}", order=n, kind="other",
                                     name_es=f"Extra {n}", name_en=f"Extra {n}")  # fmt: skip
        stage.prerequisites.set([stages["lanzamiento"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).text
    assert "Extra 10" in page
