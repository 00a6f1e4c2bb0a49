"""The token page: a new token is shown once, and reloading the page creates no other."""

from __future__ import annotations

import re

from django.urls import reverse

from amparo.api.models import ApiToken


def test_creating_a_token_redirects_and_shows_it_once(world) -> None:
    client = world.client("coordinator")
    response = client.post(reverse("api-tokens"), {"name": "BI", "write": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("api-tokens")
    shown = client.get(reverse("api-tokens"))
    token = re.search(r'value="(amp_[^"]+)"', shown.content.decode()).group(1)
    assert "no-store" in shown["Cache-Control"]
    stored = ApiToken.objects.get()
    assert stored.prefix == token[:8] and not stored.read_only
    # Reloading shows neither the token again nor creates another one.
    again = client.get(reverse("api-tokens")).content.decode()
    assert token not in again and 'value="amp_' not in again
    assert ApiToken.objects.count() == 1
    assert token not in str(dict(client.session))
