"""Starting a rollout and reading its status board: what the region's people are told
about the next stage, what blocks it, and who may start or plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from amparo.rollout.models import Playbook, RecoveryGroup, Rollout
from amparo.rollout.tests.conftest import make_event


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- starting a rollout -------------------------------------------------------------------


def test_a_coordinator_starts_the_rollout_and_lands_on_its_board(world, playbook) -> None:
    client = world.client("coordinator")
    response = client.post(
        reverse("rollout-create", args=["PE-LOR"]),
        {"playbook": playbook.pk, "started_on": "2025-01-06", "notes": "Con la fraternidad"},
        follow=True,
    )
    rollout = Rollout.objects.get()
    assert response.redirect_chain == [(reverse("rollout-board", args=["PE-LOR", rollout.pk]), 302)]
    assert "Implementación iniciada." in response.text
    assert (rollout.region, rollout.playbook, rollout.started_on) == (
        world.region_a,
        playbook,
        date(2025, 1, 6),
    )
    assert rollout.notes == "Con la fraternidad"


def test_a_playbook_the_region_follows_is_not_offered_again(world, rollout_a, playbook) -> None:
    other = Playbook.objects.create(code="otra", name_es="Otra guía", name_en="Other guide")
    client = world.client("coordinator")
    page = client.get(reverse("rollout-create", args=["PE-LOR"])).text
    select = page.split('name="playbook"')[1].split("</select>")[0]
    assert f'value="{other.pk}"' in select and f'value="{playbook.pk}"' not in select
    response = client.post(reverse("rollout-create", args=["PE-LOR"]), {"playbook": playbook.pk})
    assert response.status_code == 422
    assert Rollout.objects.count() == 1


def test_the_same_playbook_may_start_in_another_region(world, rollout_a, playbook) -> None:
    page = world.client("admin").get(reverse("rollout-create", args=["PE-UCA"])).text
    assert f'value="{playbook.pk}"' in page.split('name="playbook"')[1].split("</select>")[0]
    response = world.client("admin").post(
        reverse("rollout-create", args=["PE-UCA"]), {"playbook": playbook.pk}
    )
    assert response.status_code == 302
    assert set(Rollout.objects.values_list("region__code", flat=True)) == {"PE-LOR", "PE-UCA"}


def test_a_missing_playbook_is_a_field_error_in_english(world, playbook, settings) -> None:
    client = _english(world.client("coordinator"), settings)
    response = client.post(reverse("rollout-create", args=["PE-LOR"]), {"notes": "x"})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "Start the rollout in Loreto" in response.text
    assert not Rollout.objects.exists()


@pytest.mark.parametrize(
    "role, code, expected",
    [
        ("focal", "PE-LOR", 403),
        ("viewer", "PE-LOR", 403),
        ("outsider", "PE-LOR", 404),
        ("coordinator", "PE-UCA", 404),
        ("coordinator", "PE-XXX", 404),
    ],
)
def test_starting_is_refused_to_those_who_cannot_change_the_region(
    world, playbook, role, code, expected
) -> None:
    url = reverse("rollout-create", args=[code])
    assert world.client(role).post(url, {"playbook": playbook.pk}).status_code == expected
    assert not Rollout.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(world, rollout_a) -> None:
    response = world.client(None).get(reverse("rollout-board", args=["PE-LOR", rollout_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the status board ---------------------------------------------------------------------


def _board(client, rollout) -> str:
    response = client.get(reverse("rollout-board", args=[rollout.region.code, rollout.pk]))
    assert response.status_code == 200
    return response.text


def test_a_new_rollout_points_to_its_first_stage(world, rollout_a) -> None:
    page = _board(world.client("viewer"), rollout_a)
    assert "Siguiente etapa: <strong>Reuniones iniciales con la fraternidad de pastores" in page
    assert "Bloqueada hasta que se realice:" in page  # the conference waits for the meetings


def test_the_board_names_what_the_next_stage_waits_for_and_its_earliest_start(
    world, rollout_a, stages
) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6))
    make_event(rollout_a, stages["conferencia"], date(2025, 2, 3), status="planned")
    page = _board(world.client("coordinator"), rollout_a)
    assert "Siguiente etapa: <strong>Conferencia" in page
    assert "Inicio posible desde el 29 de enero de 2025." in page


def test_a_finished_rollout_says_so(world, rollout_a, stages) -> None:
    days = {"reuniones": 6, "conferencia": 31, "capacitacion": 90, "lanzamiento": 150}
    for code, day in days.items():
        make_event(rollout_a, stages[code], date(2025, 1, 1) + timedelta(days=day))
    page = _board(world.client("viewer"), rollout_a)
    assert "Todas las etapas realizadas" in page
    assert "Siguiente etapa" not in page


def test_the_board_in_english(world, rollout_a, stages, settings) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6))
    page = _board(_english(world.client("viewer"), settings), rollout_a)
    assert "Next stage:" in page
    assert "Recovery groups" in page


def test_an_overridden_order_is_marked_on_the_board(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["conferencia"], date(2025, 2, 3), status="planned")
    event.override_reason = "La fraternidad ya se reunió antes del programa"
    event.override_by = world.users["admin"]
    event.save()
    assert "orden pasado por alto" in _board(world.client("viewer"), rollout_a)


def test_only_those_who_change_the_region_see_the_planning_buttons(world, rollout_a) -> None:
    plan = reverse("event-create", args=["PE-LOR", rollout_a.pk])
    group = reverse("group-create", args=["PE-LOR", rollout_a.pk])
    coordinator = _board(world.client("coordinator"), rollout_a)
    assert plan in coordinator and group in coordinator
    for role in ("focal", "viewer"):
        page = _board(world.client(role), rollout_a)
        assert plan not in page and group not in page, role


def test_cancelled_events_are_listed_but_do_not_move_the_stage(world, rollout_a, stages) -> None:
    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="cancelled")
    page = _board(world.client("viewer"), rollout_a)
    assert "Cancelado" in page
    assert "Siguiente etapa: <strong>Reuniones iniciales" in page


def test_groups_on_the_board_show_their_last_report(world, rollout_a, church_a) -> None:
    from amparo.rollout.models import GroupReport

    group = RecoveryGroup.objects.create(
        rollout=rollout_a, church=church_a, launched_on=date(2025, 5, 1), meeting_day=2
    )
    page = _board(world.client("coordinator"), rollout_a)
    assert reverse("group-detail", args=["PE-LOR", group.pk]) in page
    for month in (date(2025, 6, 1), date(2025, 8, 1), date(2025, 7, 1)):
        GroupReport.objects.create(group=group, month=month, meetings_held=4, total_attendance=20)
    assert "agosto de 2025" in _board(world.client("coordinator"), rollout_a)
    # One group is a small count: a viewer gets no list of length one.
    viewer = _board(world.client("viewer"), rollout_a)
    assert reverse("group-detail", args=["PE-LOR", group.pk]) not in viewer


def test_the_board_costs_the_same_with_more_groups(
    world, rollout_a, stages, django_assert_max_num_queries
) -> None:
    from amparo.territory.models import Organization

    client = world.client("coordinator")
    make_event(rollout_a, stages["reuniones"], date(2025, 1, 6))
    _board(client, rollout_a)
    with django_assert_max_num_queries(40) as few:
        _board(client, rollout_a)
    limit = len(few.captured_queries)  # read now: the next request resets the query log
    for n in range(6):
        church = Organization.objects.create(name=f"Iglesia {n}", kind="church",
                                             region=world.region_a)  # fmt: skip
        RecoveryGroup.objects.create(rollout=rollout_a, church=church,
                                     launched_on=date(2025, 5, 1), meeting_day=2)  # fmt: skip
    _board(client, rollout_a)  # the protection of the new data, worked out once and kept
    with django_assert_max_num_queries(limit):
        page = _board(client, rollout_a)
    assert page.count("/regions/PE-LOR/groups/") >= 6
