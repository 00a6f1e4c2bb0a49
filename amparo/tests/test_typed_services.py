"""Services take named, typed arguments: a caller states each field it sets, a misspelt
name fails at the call, and a field left out keeps its stored value."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from amparo.assessment import services as assessment_services
from amparo.indicators import services as indicator_services
from amparo.mitigation import services as mitigation_services
from amparo.partnerships import services as partnership_services
from amparo.questionnaires import services as questionnaire_services
from amparo.rollout import services as rollout_services
from amparo.territory import services as territory_services
from amparo.territory.models import Contact, Organization

MODULES = (
    assessment_services,
    indicator_services,
    mitigation_services,
    partnership_services,
    questionnaire_services,
    rollout_services,
    territory_services,
)


def _public_functions():
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__}.{name}", function


@pytest.mark.parametrize(("name", "function"), list(_public_functions()))
def test_no_service_takes_open_ended_fields(name, function) -> None:
    kinds = {p.kind for p in inspect.signature(function).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds, name
    assert inspect.Parameter.VAR_POSITIONAL not in kinds, name


@pytest.fixture
def organization(world) -> Organization:
    return territory_services.organization_create(
        region=world.region_a, name="Iglesia Belén", kind="church", city="Iquitos"
    )


def test_an_organization_change_keeps_what_it_leaves_out(world, organization) -> None:
    territory_services.organization_update(organization=organization, notes="Visitada")
    organization.refresh_from_db()
    assert (organization.name, organization.city, organization.notes) == (
        "Iglesia Belén",
        "Iquitos",
        "Visitada",
    )
    assert organization.region == world.region_a
    with pytest.raises(TypeError):
        territory_services.organization_update(organization=organization, region=world.region_b)


def test_a_contact_change_keeps_what_it_leaves_out(organization) -> None:
    contact = territory_services.contact_create(
        organization=organization, name="Ana", email="ana@example.org"
    )
    territory_services.contact_update(contact=contact, phone="+51 999 000 111")
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.name, contact.email, contact.phone) == (
        "Ana",
        "ana@example.org",
        "+51 999 000 111",
    )
    with pytest.raises(TypeError):
        territory_services.contact_update(contact=contact, mail="x@example.org")


def test_a_playbook_change_keeps_its_other_names(world) -> None:
    playbook = rollout_services.playbook_save(
        code="escuelas", name_es="Escuelas", name_en="Schools"
    )
    rollout_services.playbook_save(playbook=playbook, name_en="School track")
    playbook.refresh_from_db()
    assert (playbook.code, playbook.name_es, playbook.name_en) == (
        "escuelas",
        "Escuelas",
        "School track",
    )


def test_a_groups_change_keeps_its_church_and_launch(world, organization) -> None:
    from amparo.rollout.models import Playbook, Rollout

    rollout = Rollout.objects.create(
        region=world.region_a, playbook=Playbook.objects.create(code="iglesias")
    )
    group = rollout_services.group_save(
        rollout=rollout, church=organization, launched_on=date(2026, 4, 1), meeting_day=2
    )
    rollout_services.group_save(rollout=rollout, group=group, trained_leaders=3)
    group.refresh_from_db()
    assert (group.church, group.launched_on, group.meeting_day, group.trained_leaders) == (
        organization,
        date(2026, 4, 1),
        2,
        3,
    )


def test_a_stage_change_keeps_its_names_and_checks_the_order(world) -> None:
    from django.core.exceptions import ValidationError

    playbook = rollout_services.playbook_save(
        code="escuelas", name_es="Escuelas", name_en="Schools"
    )
    first = rollout_services.stage_save(
        playbook=playbook, prerequisites=[], order=1, code="a", kind="pastors_conference",
        name_es="Uno", name_en="One", typical_days=1, min_gap_days=0,
    )  # fmt: skip
    second = rollout_services.stage_save(
        playbook=playbook, prerequisites=[first], order=2, code="b", kind="leader_training",
        name_es="Dos", name_en="Two", typical_days=2, min_gap_days=7,
    )  # fmt: skip
    rollout_services.stage_save(
        playbook=playbook, stage=second, prerequisites=[first], min_gap_days=14
    )
    second.refresh_from_db()
    assert (second.name_es, second.typical_days, second.min_gap_days) == ("Dos", 2, 14)
    with pytest.raises(ValidationError):
        rollout_services.stage_save(playbook=playbook, stage=first, prerequisites=[], order=3)


def test_a_threat_change_keeps_what_it_leaves_out(world) -> None:
    threat = assessment_services.threat_save(
        sector=world.sector, code="MY-01", title_es="Mi problema", title_en="My problem"
    )
    assessment_services.threat_save(threat=threat, verified=True)
    threat.refresh_from_db()
    assert (threat.code, threat.title_es, threat.verified) == ("MY-01", "Mi problema", True)
    with pytest.raises(TypeError):
        assessment_services.threat_save(threat=threat, title="x")


def test_an_indicator_change_keeps_what_it_leaves_out(world) -> None:
    admin = world.users["admin"]
    indicator = indicator_services.indicator_save(
        indicator=None, by=admin, code="MY-IND", name_es="Mío", name_en="Mine",
        level="output", unit="count", direction="higher", aggregation="sum", frequency="monthly",
    )  # fmt: skip
    indicator_services.indicator_save(indicator=indicator, by=admin, is_key=True)
    indicator.refresh_from_db()
    assert (indicator.name_es, indicator.aggregation, indicator.is_key) == ("Mío", "sum", True)
    with pytest.raises(TypeError):
        indicator_services.indicator_save(indicator=indicator, by=admin, title="x")
