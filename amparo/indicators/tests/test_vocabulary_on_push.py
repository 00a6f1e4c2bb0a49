"""Values pushed through the API and imported from files follow the disaggregation
vocabularies, as values typed in a file do."""

from __future__ import annotations

from django.test import Client

from amparo.api.services import token_create
from amparo.indicators.models import Observation


def _push(world, disaggregation: str):
    token = token_create(user=world.users["coordinator"], name="t", read_only=False)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    return client.post(
        "/api/v1/observations",
        [
            {
                "indicator": "INT-DETECTED",
                "region": "PE-LOR",
                "period": "2026-01",
                "value": "6",
                "disaggregation": disaggregation,
            }
        ],
        content_type="application/json",
    )


def test_a_value_of_the_vocabulary_goes_in(world, starter_catalog) -> None:
    response = _push(world, "age_band=10-14")
    assert response.status_code == 200, response.content
    assert Observation.objects.get().disaggregation == "age_band=10-14"


def test_a_value_outside_the_vocabulary_is_refused(world, starter_catalog) -> None:
    response = _push(world, "age_band=11-13")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"item": 0, "field": "disaggregation", "reason": "bad_disaggregation"}
    ]
    assert not Observation.objects.exists()
