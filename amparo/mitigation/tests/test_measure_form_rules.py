"""The measure form's own rules through the page: dates in order, findings of the
measure's sector and of the latest round, expected effects from 0 to 4, choices limited
to the region; a refused form writes nothing and says why next to the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.assessment import services as assessment_services
from amparo.mitigation.models import Measure
from amparo.mitigation.tests.conftest import add_finding
from amparo.territory.models import Contact, Organization


def _post(world, role: str = "coordinator", **changes):
    data = {
        "sector": world.sector.pk,
        "kind": "policy",
        "title": "Ordenanza de turismo responsable",
        "lowers_likelihood": 0,
        "lowers_impact": 0,
    }
    data.update(changes)
    return world.client(role).post(reverse("measure-create", args=["PE-LOR"]), data)


def _errors(response, field: str) -> list[str]:
    assert response.status_code == 422
    assert not Measure.objects.exists()
    return response.context["form"].errors.get(field, [])


def test_a_measure_with_its_dates_in_order_is_saved(world) -> None:
    response = _post(world, starts_on="2027-01-10", due_on="2027-01-10")
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.region, measure.status) == (world.region_a, "proposed")


def test_a_due_date_before_the_start_is_refused(world) -> None:
    response = _post(world, starts_on="2027-02-01", due_on="2027-01-31")
    assert _errors(response, "due_on") == [
        "La fecha límite no puede ser anterior a la fecha de inicio."
    ]


@pytest.mark.parametrize("field", ["lowers_likelihood", "lowers_impact"])
@pytest.mark.parametrize("value, refused", [(4, False), (5, True), (9, True), (-1, True)])
def test_an_expected_effect_is_a_number_from_0_to_4(world, field, value, refused) -> None:
    response = _post(world, **{field: value})
    if refused:
        assert _errors(response, field)
    else:
        assert response.status_code == 302
        assert getattr(Measure.objects.get(), field) == value


def test_the_effect_rule_in_english(world, settings) -> None:
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("measure-create", args=["PE-LOR"]),
        {"sector": world.sector.pk, "kind": "policy", "title": "x", "lowers_likelihood": 6,
         "lowers_impact": 0},
    )  # fmt: skip
    assert "Use a number from 0 to 4." in response.text


def test_findings_must_be_of_the_measures_sector(world, round_a, threats) -> None:
    education = add_finding(round_a, threats["EDU-01"])
    response = _post(world, findings=[education.pk])
    assert _errors(response, "findings") == ["Elija hallazgos del sector de la medida."]


def test_only_findings_of_the_latest_round_are_offered(world, round_a, threats) -> None:
    older = add_finding(round_a, threats["TUR-01"])
    for step in ("in_progress", "in_review", "completed"):
        assessment_services.assessment_move(
            assessment=round_a, to=step, by=world.users["coordinator"],
            override_reason="prueba",
        )  # fmt: skip
    latest = assessment_services.assessment_start(region=world.region_a, clone_previous=True)
    current = latest.findings.get(threat=threats["TUR-01"])
    page = world.client("coordinator").get(reverse("measure-create", args=["PE-LOR"]))
    offered = set(page.context["form"].fields["findings"].queryset)
    assert current in offered and older not in offered
    assert _errors(_post(world, findings=[older.pk]), "findings")


def test_organizations_and_contacts_are_those_of_the_region(world) -> None:
    elsewhere = Organization.objects.create(name="Otra", kind="ngo", region=world.region_b)
    contact = Contact.objects.create(organization=elsewhere, name="Alguien")
    assert _errors(_post(world, organization=elsewhere.pk), "organization")
    assert _errors(_post(world, responsible=contact.pk), "responsible")


def test_a_focal_point_adds_measures_to_their_own_sector_only(world) -> None:
    assert _errors(_post(world, "focal", sector=world.other_sector.pk), "sector")
    assert _post(world, "focal").status_code == 302
    assert Measure.objects.get().sector == world.sector


@pytest.mark.parametrize("role, expected", [("viewer", 403), ("outsider", 404)])
def test_those_who_change_no_sector_add_no_measure(world, role, expected) -> None:
    assert _post(world, role).status_code == expected
    assert not Measure.objects.exists()
