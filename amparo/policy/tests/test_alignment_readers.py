"""Who reads the alignment, and what the catalog load says about the national policy."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from amparo.api.services import token_create
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Control, Measure
from amparo.policy.models import PolicyItem
from amparo.reports import content
from amparo.territory.models import Region


@pytest.fixture
def tagged(world, starter_catalog) -> Measure:
    measure = mitigation_services.measure_from_control(
        region=world.region_a,
        control=Control.objects.get(code="TUR-POL-01"),
        by=world.users["admin"],
    )
    measure.policy_items.set(PolicyItem.objects.filter(code="S1"))
    Measure.objects.filter(pk=measure.pk).update(status="verified")
    return measure


@pytest.mark.parametrize(
    ("role", "region_page", "program_page"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("focal", 200, 200),
        ("viewer", 200, 200),
        ("outsider", 404, 404),
        (None, 302, 302),
    ],
)
def test_the_pages_answer_each_role(world, tagged, role, region_page, program_page) -> None:
    client = world.client(role)
    assert client.get(reverse("policy-alignment-region", args=["PE-LOR"])).status_code == (
        region_page
    )
    assert client.get(reverse("policy-alignment")).status_code == program_page
    hidden = client.get(reverse("policy-alignment-region", args=["PE-UCA"])).status_code
    assert hidden == {"admin": 200, None: 302}.get(role, 404)


def test_a_viewer_token_reads_the_same_alignment_as_the_page(world, tagged) -> None:
    token = token_create(user=world.users["viewer"], name="t", read_only=True)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    answer = api.get("/api/v1/policy-alignment").json()
    states = {e["tag"]: e["state"] for e in answer["entries"]}
    assert states["PNFTP:S1"] == "covered" and states["PNFTP:OP1"] == "covered"
    assert answer["covered"] == sum(1 for s in states.values() if s == "covered")
    outsider = token_create(user=world.users["outsider"], name="t", read_only=True)
    closed = Client(headers={"Authorization": f"Bearer {outsider}"})
    assert closed.get("/api/v1/policy-alignment").json()["entries"][0]["measures"] == []
    assert closed.get("/api/v1/policy-alignment", {"region": "PE-LOR"}).status_code == 404


def test_the_donor_version_of_the_summary_keeps_the_section(world, tagged) -> None:
    summary = content.executive_summary(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users["viewer"],
        donor=True,
        since=None,
    )
    rows = {row.item.tag: row for row in summary.alignment.rows}
    assert rows["PNFTP:S1"].measures == [tagged]
    assert summary.alignment.covered >= 3  # S1, its guideline L1.1 and objective OP1


def test_the_load_counts_the_policy_and_the_vocabularies(world) -> None:
    call_command("load_catalog", stdout=(out := StringIO()))
    summary = re.search(r"created (.+?);", out.getvalue())[1]
    created = {kind: int(n) for kind, n in re.findall(r"(\w+) (\d+)", summary)}
    assert created["policies"] == 2 and created["policy_entries"] == 13
    assert created["disaggregations"] == 4 and created["disaggregation_values"] == 11
    call_command("load_catalog", stdout=(again := StringIO()))
    assert "policy" not in again.getvalue().split("updated")[0].split("created")[-1]
