"""Every answer under /api/v1/ that is an error has the one shape and a real status code."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.api.tests.conftest import bearer


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
