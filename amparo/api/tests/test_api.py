"""The JSON API: tokens, one error shape, the same visibility as the pages, bounded queries."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.accounts import access
from amparo.api.models import ApiToken
from amparo.api.services import token_create
from amparo.api.tests.conftest import bearer
from amparo.assessment import queries as assessment_queries
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.indicators.models import Indicator, Observation
from amparo.mitigation import queries as mitigation_queries
from amparo.mitigation.models import Measure
from amparo.rollout.models import Attendance, Event
from amparo.territory import queries as territory_queries
from amparo.territory.models import Organization

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]
MEMBER_ONLY = {"/api/v1/sectors", "/api/v1/indicators"}  # no region's data, but members only


@pytest.fixture
def data(world):
    call_command("load_catalog", stdout=StringIO())
    for region in (world.region_a, world.region_b):
        Organization.objects.create(name=f"Org {region.code}", kind="church", region=region)
        assessment = assessment_services.assessment_start(region=region, clone_previous=False)
        for threat in Threat.objects.filter(sector__code__in=["TUR", "EDU"])[:6]:
            Finding.objects.create(
                assessment=assessment,
                threat=threat,
                sector=threat.sector,
                inherent_likelihood=3,
                inherent_impact=3,
                evidence="secreto",
            )
            Measure.objects.create(
                region=region,
                sector=threat.sector,
                kind="policy",
                title=f"{region.code} {threat.code}",
            )
    return world


def _bearer(world, role: str, *, read_only: bool = True) -> dict[str, str]:
    return {
        "Authorization": "Bearer "
        + token_create(user=world.users[role], name="t", read_only=read_only)
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_it_answers_401_with_the_error_shape_without_credentials(db) -> None:
    response = Client().get("/api/v1/regions")
    assert response.status_code == 401
    assert response.json() == {"error": "not_authenticated", "detail": None}
    assert (
        Client().get("/api/v1/regions", headers={"Authorization": "Bearer nope"}).status_code == 401
    )


def test_the_openapi_document_and_docs_are_served(db) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/findings" in document["paths"] and "/api/v1/plans" in document["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


def test_tokens_are_shown_once_stored_hashed_and_revocable(world) -> None:
    client = world.client("coordinator")
    page = client.post(reverse("api-tokens"), {"name": "BI"}, follow=True).content.decode()
    token = re.search(r'value="(amp_[^"]+)"', page).group(1)
    stored = ApiToken.objects.get()
    assert stored.token_hash != token and token not in stored.token_hash and stored.read_only
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/v1/regions", headers=headers).json()["items"] == [
        {"code": "PE-LOR", "name": "Loreto", "capital": "Iquitos", "country": "PE"}
    ]
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert token not in client.get(reverse("api-tokens")).content.decode()
    client.post(reverse("api-token-revoke", args=[stored.pk]))
    assert Client().get("/api/v1/regions", headers=headers).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_through_the_api_exactly_what_the_pages_show(data, role) -> None:
    world = data
    client = Client(headers=_bearer(world, role))
    user = world.users[role]
    regions = list(access.regions_visible(user))
    expected_findings, expected_measures, expected_orgs = set(), set(), set()
    for region in regions:
        for assessment in region.assessments.all():
            expected_findings |= set(
                assessment_queries.findings_visible(user, assessment).values_list("pk", flat=True)
            )
        expected_measures |= set(
            mitigation_queries.measures_visible(user, region).values_list("pk", flat=True)
        )
        expected_orgs |= set(
            territory_queries.organizations_visible(user, region).values_list("pk", flat=True)
        )
    assert _ids(client.get("/api/v1/findings?limit=500")) == expected_findings
    assert _ids(client.get("/api/v1/measures?limit=500")) == expected_measures
    assert _ids(client.get("/api/v1/organizations?limit=500")) == expected_orgs
    evidence = {row["evidence"] for row in client.get("/api/v1/findings?limit=500").json()["items"]}
    if role == "viewer":
        assert evidence == {None}
    if role == "focal":
        assert {
            row["sector"] for row in client.get("/api/v1/findings?limit=500").json()["items"]
        } == {"TUR"}


def test_a_partner_pulls_its_region_pushes_values_and_is_refused_elsewhere(data) -> None:
    world = data
    reader = Client(headers=_bearer(world, "coordinator"))
    writer = Client(headers=_bearer(world, "coordinator", read_only=False))
    findings = reader.get("/api/v1/findings?region=PE-LOR&sector=TUR").json()
    assert findings["count"] > 0 and {f["region"] for f in findings["items"]} == {"PE-LOR"}
    assert reader.get("/api/v1/measures?region=PE-LOR&status=proposed").json()["count"] > 0
    elsewhere = reader.get("/api/v1/findings?region=PE-UCA")
    assert elsewhere.status_code == 404 and elsewhere.json()["error"] == "not_found"
    payload = [{"indicator": "OUT-TRAINED", "region": "PE-LOR", "period": "2027-T1", "value": "14"}]
    assert (
        reader.post("/api/v1/observations", payload, content_type="application/json").status_code
        == 403
    )
    response = writer.post("/api/v1/observations", payload, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"imported": 1}
    assert Observation.objects.get().value == 14
    other = [{"indicator": "OUT-TRAINED", "region": "PE-UCA", "period": "2027-T1", "value": "3"}]
    assert (
        writer.post("/api/v1/observations", other, content_type="application/json").status_code
        == 404
    )
    bad = [{"indicator": "CH-PASTORS", "region": "PE-LOR", "period": "2027-01", "value": "-1"}]
    response = writer.post("/api/v1/observations", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_observations"
    assert {d["reason"] for d in response.json()["detail"]} == {"computed_indicator", "negative"}
    assert Observation.objects.count() == 1
    since = reader.get("/api/v1/observations?updated_since=2000-01-01T00:00:00Z").json()
    assert since["count"] == 1


def test_a_round_filter_finds_its_rows_and_refuses_ids_beyond_64_bits(data) -> None:
    client = Client(headers=_bearer(data, "admin"))
    round_id = Finding.objects.filter(assessment__region=data.region_a).first().assessment_id
    rows = client.get(f"/api/v1/findings?round_id={round_id}&limit=500").json()["items"]
    assert rows and {row["round_id"] for row in rows} == {round_id}
    response = client.get(f"/api/v1/findings?round_id={2**63}")
    assert response.status_code == 422 and response.json()["error"]


def test_the_planner_is_for_program_admins(data) -> None:
    plan = {
        "start": "2027-01-04",
        "regions": [{"code": "PE-MDD"}],
        "stages": [{"code": "m", "days": 2}],
        "teams": [{"code": "A", "stages": ["m"]}],
    }
    coordinator = Client(headers=_bearer(data, "coordinator", read_only=False))
    assert (
        coordinator.post("/api/v1/plans", plan, content_type="application/json").status_code == 403
    )
    admin = Client(headers=_bearer(data, "admin", read_only=False))
    response = admin.post("/api/v1/plans", plan, content_type="application/json")
    assert response.status_code == 200 and response.json()["finish"] == "2027-01-06"
    bad = admin.post("/api/v1/plans", {**plan, "regions": []}, content_type="application/json")
    assert bad.status_code == 422 and "no regions" in bad.json()["detail"]


LISTS = [
    "/api/v1/regions",
    "/api/v1/sectors",
    "/api/v1/organizations",
    "/api/v1/events",
    "/api/v1/rollouts",
    "/api/v1/assessments",
    "/api/v1/findings",
    "/api/v1/measures",
    "/api/v1/indicators",
    "/api/v1/observations",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow_with_the_page_size(filled, path, role) -> None:
    world = filled
    indicator = Indicator.objects.get(code="OUT-TRAINED")
    for month in range(3, 13):
        Observation.objects.create(
            indicator=indicator, region=world.region_a, period=date(2026, month, 1), value=month
        )
    church = Organization.objects.filter(region=world.region_a, kind="church").get()
    for event in Event.objects.filter(rollout__region=world.region_a, attendance=None):
        Attendance.objects.create(event=event, organization=church, pastors=2, others=7)
    client = bearer(world, role)
    client.get(path)  # the first use of a token records it; not part of the comparison
    counts = []
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}?limit={limit}")
        assert response.status_code == (404 if role == "outsider" and path in MEMBER_ONLY else 200)
        counts.append(len(queries))
    if role == "admin":
        assert len(response.json()["items"]) > 1  # the comparison covers more than one row
    assert counts[0] == counts[1]
