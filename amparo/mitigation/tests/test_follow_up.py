"""Who may follow up a measure, and who is reminded of it: only people whose memberships
let them change (choices) or at least open (reminders) the measure."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import Membership, Role
from amparo.mitigation import services
from amparo.mitigation.models import Measure


def _owner_choices(client, url) -> set[str]:
    form = client.get(url).context["form"]
    return {u.username for u in form.fields["owner"].queryset}


def test_the_follow_up_choices_are_people_who_may_change_the_measure(world, measure_a) -> None:
    Membership.objects.create(
        user=world.users["coordinator"], role=Role.VIEWER, region=world.region_b
    )
    education = Measure.objects.create(
        region=world.region_a, sector=world.other_sector, kind="program", title="Programa EDU"
    )
    client = world.client("coordinator")
    tourism_choices = _owner_choices(client, reverse("measure-edit", args=["PE-LOR", measure_a.pk]))
    education_choices = _owner_choices(
        client, reverse("measure-edit", args=["PE-LOR", education.pk])
    )
    assert tourism_choices == {"admin", "coordinator", "focal"}
    assert education_choices == {"admin", "coordinator"}


def test_a_new_measure_refuses_a_follow_up_person_of_another_sector(world) -> None:
    response = world.client("coordinator").post(
        reverse("measure-create", args=["PE-LOR"]),
        {
            "sector": world.other_sector.pk,
            "kind": "program",
            "title": "Programa EDU",
            "owner": world.users["focal"].pk,
            "lowers_likelihood": 0,
            "lowers_impact": 0,
        },
    )
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors
    assert (
        "Elija a alguien que pueda cambiar las medidas de este sector" in response.content.decode()
    )
    assert not Measure.objects.filter(title="Programa EDU").exists()


def test_an_outsider_cannot_be_made_follow_up_person(world) -> None:
    response = world.client("coordinator").post(
        reverse("measure-create", args=["PE-LOR"]),
        {
            "sector": world.sector.pk,
            "kind": "policy",
            "title": "Ordenanza",
            "owner": world.users["outsider"].pk,
            "lowers_likelihood": 0,
            "lowers_impact": 0,
        },
    )
    assert response.status_code == 422
    assert not Measure.objects.exists()


def _due_measure(world, owner, sector, title: str) -> Measure:
    return Measure.objects.create(
        region=world.region_a,
        sector=sector,
        kind="policy",
        title=title,
        owner=owner,
        due_on=timezone.localdate() - timedelta(days=1),
    )


def test_reminders_cover_only_measures_the_person_may_open(world) -> None:
    focal, coordinator = world.users["focal"], world.users["coordinator"]
    _due_measure(world, focal, world.sector, "Turismo vencida")
    _due_measure(world, focal, world.other_sector, "Educación vencida")
    _due_measure(world, coordinator, world.other_sector, "Del coordinador")
    found = {
        r.user.username: [m.title for m in r.overdue]
        for r in services.reminders(today=timezone.localdate(), within_days=7)
    }
    assert found == {"focal": ["Turismo vencida"], "coordinator": ["Del coordinador"]}


def test_someone_who_lost_their_membership_gets_no_reminder(world) -> None:
    coordinator = world.users["coordinator"]
    _due_measure(world, coordinator, world.sector, "Vencida")
    Membership.objects.filter(user=coordinator).delete()
    assert services.reminders(today=timezone.localdate(), within_days=7) == []


def _reminder_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        services.reminders(today=timezone.localdate(), within_days=7)
    return len(queries)


def test_reminders_read_the_measures_once_and_each_persons_memberships_once(world) -> None:
    focal, coordinator, admin = (world.users[n] for n in ("focal", "coordinator", "admin"))
    for n in range(3):
        _due_measure(world, focal, world.sector, f"Turismo {n}")
    assert _reminder_queries() == 1 + 1
    for n in range(3):
        _due_measure(world, coordinator, world.other_sector, f"Educación {n}")
        _due_measure(world, admin, world.sector, f"Del administrador {n}")
    assert _reminder_queries() == 1 + 3
