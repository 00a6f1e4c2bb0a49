"""Bad configuration at start: the process says what is wrong in one line and exits
non-zero, without a traceback; ``amparo --version``; the shared cache's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import amparo
from amparo.cli import main
from amparo.env import EnvError, cache_config

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**base, "MEDIA_ROOT": str(tmp_path), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


CLI = "from amparo.cli import main; main(['amparo', *{args!r}])"
UNREACHABLE = "postgres://amparo:pw-not-shown@127.0.0.1:9/amparo"


def test_version(capsys) -> None:
    main(["amparo", "--version"])
    assert capsys.readouterr().out == f"amparo {amparo.__version__}\n"


@pytest.mark.slow
def test_an_unreachable_database_at_start_is_named_without_a_traceback(tmp_path) -> None:
    done = _run(CLI.format(args=["migrate"]), {"DATABASE_URL": UNREACHABLE}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("amparo: cannot reach the database (")
    assert "check DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr and "pw-not-shown" not in done.stderr


@pytest.mark.slow
def test_the_web_server_refuses_to_start_on_an_unreachable_database(tmp_path) -> None:
    done = _run("import amparo.wsgi", {"DATABASE_URL": UNREACHABLE}, tmp_path)
    assert done.returncode == 3
    assert "amparo: cannot reach the database" in done.stderr
    assert "Traceback" not in done.stderr and "pw-not-shown" not in done.stderr


@pytest.mark.slow
def test_a_missing_secret_key_stops_the_web_server_and_the_command(tmp_path) -> None:
    env = {"SECRET_KEY": "", "DEBUG": "false"}
    done = _run("import amparo.wsgi", env, tmp_path)
    assert done.returncode == 3
    assert done.stderr == "amparo: SECRET_KEY must be set when DEBUG is false (see .env.example)\n"
    done = _run(CLI.format(args=["check"]), env, tmp_path)
    assert done.returncode == 2 and "SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_wrong_media_path_stops_the_web_server_and_the_worker(tmp_path) -> None:
    env = {
        "MEDIA_ROOT": str(tmp_path / "no" / "such" / "folder"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TASKS_BACKEND": "database",
    }
    for code in ("import amparo.wsgi", CLI.format(args=["db_worker", "--batch"])):
        done = _run(code, env, tmp_path)
        assert done.returncode == 3, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1] == (
            f"amparo: MEDIA_ROOT {tmp_path / 'no' / 'such' / 'folder'} is not a folder "
            "(create it or fix MEDIA_ROOT)"
        )


def test_cache_url_picks_a_shared_redis_cache_or_local_memory() -> None:
    assert cache_config("")["BACKEND"].endswith("LocMemCache")
    assert cache_config("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_config("redis://127.0.0.1:6379/2", key_prefix="site1")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "site1",
    }
    with pytest.raises(EnvError, match="CACHE_URL must start with redis://"):
        cache_config("memcached://x")
