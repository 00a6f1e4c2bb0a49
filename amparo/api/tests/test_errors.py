"""Every answer under /api/v1/ that is an error has the one shape and a real status code."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.api.tests.conftest import bearer
from amparo.mitigation.models import Measure


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/findings/7/extra", "/api/v1/", "/api/v1/regions/"]
)
def test_an_unknown_address_answers_404_in_the_error_shape(world, path) -> None:
    for client in (bearer(world, "admin"), Client()):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {
            "error": "not_found",
            "detail": "No hay nada en esta dirección de la API.",
        }


def test_a_wrong_method_answers_405_in_the_error_shape(world) -> None:
    client = bearer(world, "admin", read_only=False)
    response = client.delete("/api/v1/findings")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response["Allow"] and "GET" in response.json()["detail"]
    assert client.put("/api/v1/plans", {}, content_type="application/json").status_code == 405


def test_pages_outside_the_api_keep_their_html_404(world) -> None:
    response = world.client("admin").get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_the_api_answers_in_the_language_the_client_asks_for(world) -> None:
    client = bearer(world, "coordinator", read_only=False)
    english = client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert english.json()["detail"] == "There is nothing at this address of the API."
    assert english["Content-Language"] == "en"
    spanish = client.post(
        "/api/v1/observations",
        [],
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    assert spanish.json() == {
        "error": "invalid_request",
        "detail": "Envíe entre 1 y 1000 observaciones.",
    }
    english = client.post(
        "/api/v1/observations",
        [],
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.json()["detail"] == "Send between 1 and 1000 observations."
    # Without Accept-Language, Spanish, the program's first language.
    assert client.get("/api/v1/nothing-here").json()["detail"].startswith("No hay nada")


def test_a_conflict_is_explained_in_the_clients_language(filled) -> None:
    measure = Measure.objects.filter(region=filled.region_a).first()
    client = bearer(filled, "coordinator", read_only=False)
    path = f"/api/v1/measures/{measure.pk}"
    first = client.patch(path, {"version": 1, "title": "Uno"}, content_type="application/json")
    assert first.status_code == 200
    stale = {"version": 1, "title": "Dos"}
    english = client.patch(
        path, stale, content_type="application/json", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 409
    assert english.json()["detail"]["message"] == (
        "Someone else changed it since the version you sent."
    )
    spanish = client.patch(path, stale, content_type="application/json")
    assert spanish.json()["detail"]["message"] == (
        "Otra persona lo cambió después de la versión que envió."
    )
