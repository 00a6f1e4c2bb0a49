"""Personal tokens as credentials (read-only ones never write, a deactivated person's stop
working, use is noted without a write per request) and the territory lists they read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amparo.api.models import ApiToken
from amparo.api.services import token_create
from amparo.indicators.models import Indicator, Observation
from amparo.territory.models import Organization


def _client(world, role: str, *, read_only: bool = True) -> Client:
    token = token_create(user=world.users[role], name="t", read_only=read_only)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def trained(world) -> Indicator:
    return Indicator.objects.create(
        code="TRAINED", name_es="Capacitados", name_en="Trained", level="output", unit="count",
        direction="higher", aggregation="sum", frequency="quarterly",
    )  # fmt: skip


PUSH = [{"indicator": "TRAINED", "region": "PE-LOR", "period": "2027-T1", "value": "14"}]


# --- tokens ------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_never_writes(world, trained) -> None:
    client = _client(world, "coordinator")
    assert client.get("/api/v1/regions").status_code == 200
    response = client.post("/api/v1/observations", PUSH, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert not Observation.objects.exists()


def test_a_writing_token_writes_only_what_its_owner_may(world, trained) -> None:
    response = _client(world, "viewer", read_only=False).post(
        "/api/v1/observations", PUSH, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Observation.objects.exists()
    response = _client(world, "coordinator", read_only=False).post(
        "/api/v1/observations", PUSH, content_type="application/json"
    )
    assert response.json() == {"imported": 1}


def test_a_deactivated_persons_token_stops_working(world) -> None:
    client = _client(world, "coordinator")
    assert client.get("/api/v1/regions").status_code == 200
    world.users["coordinator"].is_active = False
    world.users["coordinator"].save()
    response = client.get("/api/v1/regions")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize(
    "header", ["Bearer amp_not-a-token", "Bearer ", "Token amp_x", "amp_x", "Basic eDp5"]
)
def test_anything_but_a_known_bearer_token_is_refused(world, header) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/regions")
    assert response.status_code == 401


def test_use_is_noted_at_most_once_a_minute(world) -> None:
    client = _client(world, "viewer")
    client.get("/api/v1/regions")
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/regions")
    assert ApiToken.objects.get().last_used_at == first
    earlier = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.update(last_used_at=earlier)
    client.get("/api/v1/regions")
    assert ApiToken.objects.get().last_used_at > earlier


def test_a_token_keeps_only_its_prefix_and_a_hash(world) -> None:
    token = token_create(user=world.users["viewer"], name="n" * 300, read_only=True)
    stored = ApiToken.objects.get()
    assert token.startswith("amp_") and stored.prefix == token[:8]
    assert len(stored.name) == 100
    assert token[8:] not in stored.token_hash and len(stored.token_hash) == 64


def test_two_tokens_of_one_person_are_told_apart(world) -> None:
    first = token_create(user=world.users["viewer"], name="a", read_only=True)
    second = token_create(user=world.users["viewer"], name="b", read_only=True)
    assert first != second
    assert ApiToken.objects.count() == 2


# --- territory ---------------------------------------------------------------------------


@pytest.fixture
def organizations(world) -> dict[str, Organization]:
    rows = {
        "tur": Organization.objects.create(name="DIRCETUR", kind="sector_office",
                                           region=world.region_a, sector=world.sector),
        "edu": Organization.objects.create(name="UGEL", kind="sector_office",
                                           region=world.region_a, sector=world.other_sector),
        "b": Organization.objects.create(name="Iglesia B", kind="church", region=world.region_b),
    }  # fmt: skip
    return rows


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["items"]}


def test_organizations_are_listed_by_region_and_sector(world, organizations) -> None:
    admin = _client(world, "admin")
    assert _names(admin.get("/api/v1/organizations")) == {"DIRCETUR", "UGEL", "Iglesia B"}
    assert _names(admin.get("/api/v1/organizations?region=PE-UCA")) == {"Iglesia B"}
    assert _names(admin.get("/api/v1/organizations?sector=EDU")) == {"UGEL"}
    assert _names(admin.get("/api/v1/organizations?region=PE-UCA&sector=EDU")) == set()


def test_a_coordinator_lists_their_region_only_and_is_told_404_elsewhere(
    world, organizations
) -> None:
    client = _client(world, "coordinator")
    assert _names(client.get("/api/v1/organizations")) == {"DIRCETUR", "UGEL"}
    response = client.get("/api/v1/organizations?region=PE-UCA")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert client.get("/api/v1/organizations?region=PE-XXX").status_code == 404


def test_updated_since_keeps_the_rows_changed_since_then(world, organizations) -> None:
    client = _client(world, "admin")
    long_ago = timezone.now() - timedelta(days=30)
    Organization.objects.exclude(pk=organizations["edu"].pk).update(updated_at=long_ago)
    moment = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert _names(client.get(f"/api/v1/organizations?updated_since={moment}Z")) == {"UGEL"}
    # An instant with an offset means the same moment.
    offset = (
        (timezone.now() - timedelta(days=1))
        .astimezone(timezone.get_fixed_timezone(-300))
        .isoformat()
    )
    response = client.get("/api/v1/organizations", {"updated_since": offset})
    assert _names(response) == {"UGEL"}


def test_regions_and_sectors_are_for_members(world) -> None:
    viewer = _client(world, "viewer")
    assert [r["code"] for r in viewer.get("/api/v1/regions").json()["items"]] == ["PE-LOR"]
    codes = [s["code"] for s in viewer.get("/api/v1/sectors").json()["items"]]
    assert codes == ["EDU", "TUR"]
    outsider = _client(world, "outsider")
    assert outsider.get("/api/v1/regions").json()["items"] == []
    assert outsider.get("/api/v1/sectors").status_code == 404


def test_the_organization_list_costs_the_same_at_any_size(
    world, organizations, django_assert_max_num_queries
) -> None:
    client = _client(world, "admin")
    client.get("/api/v1/organizations?limit=100")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/organizations?limit=100")
    for n in range(15):
        Organization.objects.create(name=f"Org {n}", kind="ngo", region=world.region_a,
                                    sector=world.sector)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/organizations?limit=100")
    assert response.json()["count"] == 18
