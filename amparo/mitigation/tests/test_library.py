"""The control library: filtered to a finding's threat, sector and missing kinds, and an
offer to write a new measure when the library has nothing of a missing kind."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from amparo.mitigation.tests.conftest import add_finding


def _codes(page: str) -> set[str]:
    return set(re.findall(r"<strong>(TUR-P[A-Z]+-\d+)</strong>", page))


def _library(client, **params) -> str:
    return client.get(reverse("measure-library", args=["PE-LOR"]), params).content.decode()


def test_the_library_filters_by_threat_kind_and_sector(world, controls) -> None:
    client = world.client("coordinator")
    assert _codes(_library(client)) == {"TUR-POL-01", "TUR-PRO-01", "TUR-PRG-01"}
    assert _codes(_library(client, threat="TUR-02")) == {"TUR-PRO-01"}
    assert _codes(_library(client, threat="TUR-01", kind=["policy", "program"])) == {
        "TUR-POL-01",
        "TUR-PRG-01",
    }
    assert _codes(_library(client, sector="EDU")) == set()
    assert "Ningún control coincide con estos filtros." in _library(client, sector="EDU")


def test_the_finding_page_links_to_the_library_for_its_threat_and_missing_kinds(
    world, round_a, threats, controls
) -> None:
    finding = add_finding(round_a, threats["TUR-02"], inherent=(5, 5))
    page = (
        world.client("coordinator")
        .get(reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk]))
        .content.decode()
    )
    library = reverse("measure-library", args=["PE-LOR"])
    link = html.unescape(re.search(rf'href="({re.escape(library)}[^"]*)"', page).group(1))
    assert link == (
        f"{library}?sector=TUR&threat=TUR-02&finding={finding.pk}"
        "&kind=policy&kind=procedure&kind=program"
    )


def test_a_missing_kind_without_a_control_offers_a_new_measure_for_the_finding(
    world, round_a, threats, controls
) -> None:
    finding = add_finding(round_a, threats["TUR-02"], inherent=(5, 5))
    client = world.client("coordinator")
    page = _library(
        client, threat="TUR-02", finding=finding.pk, kind=["policy", "procedure", "program"]
    )
    assert _codes(page) == {"TUR-PRO-01"}
    assert "no tiene ningún control de tipo “Política” para TUR-02" in page
    assert "no tiene ningún control de tipo “Programa” para TUR-02" in page
    assert "tipo “Procedimiento”" not in page
    create = reverse("measure-create", args=["PE-LOR"])
    offers = [html.unescape(u) for u in re.findall(rf'href="({re.escape(create)}[^"]*)"', page)]
    assert len(offers) == 2
    form = client.get(offers[0]).context["form"]
    assert form["kind"].value() == "policy"
    assert int(form["sector"].value()) == world.sector.pk
    assert [int(pk) for pk in form["findings"].value()] == [finding.pk]


def test_the_library_offers_nothing_new_when_every_missing_kind_has_a_control(
    world, round_a, threats, controls
) -> None:
    page = _library(world.client("coordinator"), threat="TUR-01", kind=["policy", "program"])
    assert "no tiene ningún control" not in page
    assert reverse("measure-create", args=["PE-LOR"]) + "?" not in page


def test_the_kinds_without_a_library_entry_keep_the_usual_order() -> None:
    from amparo.mitigation.queries import kinds_without_control

    assert kinds_without_control(["program", "policy"], ["policy"]) == ["program"]
    assert kinds_without_control(["program", "procedure", "policy"], []) == [
        "policy",
        "procedure",
        "program",
    ]
    assert kinds_without_control([], ["policy"]) == []
