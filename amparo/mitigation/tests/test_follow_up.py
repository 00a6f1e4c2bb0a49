"""Who may follow up a measure, and who is reminded of it: only people whose memberships
let them change (choices) or at least open (reminders) the measure."""

from __future__ import annotations

from django.urls import reverse

from amparo.accounts.models import Membership, Role
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
