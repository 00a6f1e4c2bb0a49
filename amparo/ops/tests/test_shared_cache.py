"""Several app servers share throttles, lockouts and locks: the password-reset throttle
through the Redis cache named by CACHE_URL (tested against a real Redis when one answers
on 127.0.0.1:6379), sign-in lockouts and job leases through the database."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.conf import settings

from amparo.accounts import forms
from amparo.env import cache_config

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def two_servers():
    """The caches of two app servers configured with the same CACHE_URL."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache.backends.redis import RedisCache

    config = cache_config(REDIS_URL, key_prefix=f"amparo-test-{uuid.uuid4().hex}")
    servers = [RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]}) for _ in "ab"]
    used: list[str] = []
    yield servers, used
    # Only this test's keys: the Redis is shared with others, never cleared whole.
    servers[0].delete_many(used)


def test_the_password_reset_throttle_counts_across_app_servers(two_servers) -> None:
    (server_a, server_b), used = two_servers
    key = "password-reset:address:x"
    used.append(key)
    counts = []
    for server in (server_a, server_b, server_a, server_b):
        with mock.patch.object(forms, "cache", server):
            counts.append(forms._count(key))
    assert counts == [1, 2, 3, 4]  # each server sees the other's requests


def test_a_redis_cache_url_is_what_the_settings_use() -> None:
    config = cache_config(REDIS_URL)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_lockouts_live_in_the_database_shared_by_every_app_server() -> None:
    handler = getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler")
    assert handler == "axes.handlers.database.AxesDatabaseHandler"
