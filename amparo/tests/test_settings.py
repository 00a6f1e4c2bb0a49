"""Settings come from the environment and refuse bad values at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.env import EnvError, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


class TestParsers:
    def test_env_bool_reads_true_and_false_words(self) -> None:
        assert env_bool({"X": "True"}, "X", False) is True
        assert env_bool({"X": " off "}, "X", True) is False
        assert env_bool({}, "X", True) is True

    @given(st.text().filter(lambda s: s.strip().lower() not in {
        "", "true", "1", "yes", "on", "false", "0", "no", "off"}))  # fmt: skip
    def test_env_bool_refuses_anything_else(self, raw: str) -> None:
        with pytest.raises(EnvError, match="X must be 'true' or 'false'"):
            env_bool({"X": raw}, "X", False)

    def test_env_int_refuses_words_and_values_below_minimum(self) -> None:
        assert env_int({"N": "42"}, "N", 1) == 42
        with pytest.raises(EnvError, match="whole number"):
            env_int({"N": "4.2"}, "N", 1)
        with pytest.raises(EnvError, match="at least 0"):
            env_int({"N": "-1"}, "N", 1, minimum=0)

    def test_env_list_splits_on_commas_and_drops_blanks(self) -> None:
        assert env_list({"L": "a, b,,c "}, "L", []) == ["a", "b", "c"]
        assert env_list({}, "L", ["x"]) == ["x"]

    def test_env_choice_names_the_allowed_values(self) -> None:
        with pytest.raises(EnvError, match="one of DEBUG, INFO"):
            env_choice({"C": "LOUD"}, "C", "INFO", {"DEBUG", "INFO"})


def _run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "STATIC_FILES_HASHED",
        "DATABASE_URL"}}  # fmt: skip
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, str(ROOT / "manage.py"), "check", *args],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_bad_debug_value_stops_start_up_with_a_clear_message() -> None:
    result = _run_check({"DEBUG": "maybe", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "DEBUG must be 'true' or 'false', got 'maybe'" in result.stderr
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_missing_secret_key_stops_production_start_up() -> None:
    result = _run_check({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = _run_check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "kq3!v9#r7m2$w8z1x6c5b4n0p-l_j+h=g&f*d^s%a@e(t)y<u>i?o~",
            "ALLOWED_HOSTS": "amparo.example.org",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, django_user_model) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
