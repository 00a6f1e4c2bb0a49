"""The alignment of measures with the national policy, on its pages, in the API and in the
executive summary: the same rows, only the measures the reader may read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.api.services import token_create
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Control, Measure
from amparo.policy.models import PolicyItem
from amparo.policy.queries import policy_alignment
from amparo.reports import content
from amparo.territory.models import Region, Sector


@pytest.fixture
def measures(world, starter_catalog):
    """In Loreto: a tourism measure serving S4 (implemented), an education one serving L3.1
    (drafting) and a dropped one serving OP2; in Ucayali a verified one serving OP2."""
    admin = world.users["admin"]
    tur = Control.objects.get(code="TUR-POL-01")
    edu_sector = Sector.objects.get(code="EDU")
    edu = Control.objects.filter(sector=edu_sector).first()

    def make(region, control, tags, status):
        measure = mitigation_services.measure_from_control(region=region, control=control, by=admin)
        measure.policy_items.set(PolicyItem.objects.filter(code__in=tags))
        Measure.objects.filter(pk=measure.pk).update(status=status)
        return measure

    return {
        "s4": make(world.region_a, tur, ["S4"], "implemented"),
        "l31": make(world.region_a, edu, ["L3.1"], "drafting"),
        "dropped": make(world.region_a, tur, ["OP2"], "dropped"),
        "other": make(world.region_b, tur, ["OP2"], "verified"),
    }


def _states(view) -> dict[str, str]:
    return {row.item.tag: row.state.value for row in view.rows}


def test_the_region_view_shows_what_is_covered_and_what_is_not(world, measures) -> None:
    view = policy_alignment(world.users["coordinator"], [world.region_a])
    states = _states(view)
    assert states["PNFTP:S4"] == "covered"
    assert states["PNFTP:L1.1"] == "covered"  # S4 belongs to L1.1
    assert states["PNFTP:OP1"] == "covered"
    assert states["PNFTP:L3.1"] == "in_progress"
    assert states["PNFTP:OP2"] == "not_covered"  # only a dropped measure, and Ucayali's
    assert "PNFTP:S2" not in states  # regional governments take no part in it
    assert "PNFTP:S5" not in states  # their role is not known
    assert set(states) >= {"PI:E1", "PI:E2", "PI:E3", "PNFTP:S1"}
    s4_row = next(r for r in view.rows if r.item.tag == "PNFTP:S4")
    assert s4_row.measures == [measures["s4"]]


def test_a_focal_point_sees_only_the_measures_of_their_sector(world, measures) -> None:
    states = _states(policy_alignment(world.users["focal"], [world.region_a]))
    assert states["PNFTP:L3.1"] == "not_covered"  # the education measure is not theirs
    assert states["PNFTP:S4"] == "covered"


def test_the_program_view_counts_every_region_the_user_sees(world, measures) -> None:
    regions = list(Region.objects.all())
    states = _states(policy_alignment(world.users["admin"], regions))
    assert states["PNFTP:OP2"] == "covered"  # Ucayali's verified measure


def test_the_region_page_lists_the_measures_in_both_languages(
    world, measures, django_assert_max_num_queries
) -> None:
    client = world.client("viewer")
    url = reverse("policy-alignment-region", args=["PE-LOR"])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    text = page.content.decode()
    assert "Alineamiento con la política nacional" in text
    assert "cubierto" in text and "sin cubrir" in text and "en curso" in text
    assert reverse("measure-detail", args=["PE-LOR", measures["s4"].pk]) in text
    assert reverse("measure-detail", args=["PE-UCA", measures["other"].pk]) not in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Alignment with the national policy" in english and "not covered" in english


def test_the_page_stays_within_its_queries_as_measures_grow(
    world, measures, django_assert_max_num_queries
):
    tur = Control.objects.get(code="TUR-POL-01")
    for _ in range(15):
        mitigation_services.measure_from_control(
            region=world.region_a, control=tur, by=world.users["admin"]
        )
    client = world.client("admin")
    with django_assert_max_num_queries(10):
        client.get(reverse("policy-alignment"))


def test_the_program_page_names_the_region_of_each_measure(world, measures) -> None:
    text = world.client("admin").get(reverse("policy-alignment")).content.decode()
    assert reverse("measure-detail", args=["PE-UCA", measures["other"].pk]) in text
    outsider = world.client("outsider").get(reverse("policy-alignment"))
    assert outsider.status_code == 404


def test_the_api_answers_as_the_page(world, measures) -> None:
    token = token_create(user=world.users["coordinator"], name="t", read_only=True)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    answer = client.get("/api/v1/policy-alignment", {"region": "PE-LOR"}).json()
    assert answer["regions"] == ["PE-LOR"]
    entries = {e["tag"]: e for e in answer["entries"]}
    assert entries["PNFTP:S4"]["state"] == "covered"
    assert entries["PNFTP:S4"]["provider"] == "MININTER"
    assert [m["id"] for m in entries["PNFTP:S4"]["measures"]] == [measures["s4"].pk]
    page = policy_alignment(world.users["coordinator"], [world.region_a])
    assert (answer["covered"], answer["in_progress"], answer["not_covered"]) == (
        page.covered,
        page.in_progress,
        page.not_covered,
    )
    assert client.get("/api/v1/policy-alignment", {"region": "PE-UCA"}).status_code == 404
    everything = client.get("/api/v1/policy-alignment").json()
    assert everything["regions"] == ["PE-LOR"]  # the coordinator sees Loreto only


def test_the_executive_summary_has_the_alignment_section(world, measures) -> None:
    summary = content.executive_summary(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users["coordinator"],
        donor=False,
        since=None,
    )
    assert _states(summary.alignment) == _states(
        policy_alignment(world.users["coordinator"], [world.region_a])
    )
    with translation.override("es"):
        html = render_to_string(
            "reports/executive.html", {"s": summary, "lang": "es", "organization_name": "x"}
        )
    assert "Alineamiento con la política nacional" in html
    assert "PNFTP:S4" in html and measures["s4"].title in html
    assert "PE-UCA" not in html


def test_demo_measures_come_tagged_like_their_library_entries(world, starter_catalog) -> None:
    from amparo.mitigation.demo import demo_mitigation_create

    demo_mitigation_create(coordinator=world.users["coordinator"], admin=world.users["admin"])
    for measure in Measure.objects.filter(is_demo=True).prefetch_related("policy_items"):
        assert set(measure.policy_items.all()) == set(measure.control.policy_items.all())
