"""Strict parsers for settings read from environment variables.

A bad value stops start-up with a message naming the variable; a typo must never fall
back to a silent default (``DEBUG=flase`` is an error, not ``False``). Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping


class EnvError(ValueError):
    """An environment variable holds a value amparo cannot use."""


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """Return the boolean in ``name``; only true/false words are accepted."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be 'true' or 'false', got {raw!r}")


def env_int(
    environ: Mapping[str, str], name: str, default: int, *, minimum: int | None = None
) -> int:
    """Return the integer in ``name``, refusing non-numbers and values below ``minimum``."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise EnvError(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    """Return the comma-separated items in ``name``, blanks removed."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(environ: Mapping[str, str], name: str, default: str = "") -> str:
    """Return the text in ``name`` with surrounding blanks removed."""
    raw = environ.get(name)
    if raw is None:
        return default
    return raw.strip() or default


def env_choice(environ: Mapping[str, str], name: str, default: str, choices: set[str]) -> str:
    """Return ``name`` if it is one of ``choices``."""
    value = env_str(environ, name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise EnvError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def cache_config(url: str, *, key_prefix: str = "amparo") -> dict[str, object]:
    """The default cache from ``CACHE_URL``: empty for one process's own memory (fine for
    one app server), ``redis://host:port/db`` (or ``rediss://``, ``unix://``) for a cache
    shared by every app server, so that throttles count across all of them."""
    if not url or url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
        }
    raise EnvError(f"CACHE_URL must start with redis://, rediss:// or unix://, got {url[:12]!r}…")


def env_fernet_key(environ: Mapping[str, str], name: str) -> str:
    """Return the encryption key in ``name`` ("" when unset): 32 bytes in URL-safe base64,
    as ``Fernet.generate_key()`` makes them; anything else is refused."""
    import base64
    import binascii

    value = env_str(environ, name)
    if not value:
        return ""
    try:
        decoded = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        decoded = b""
    if len(decoded) != 32:
        raise EnvError(
            f'{name} must be a key made with: python -c "from cryptography.fernet import '
            f'Fernet; print(Fernet.generate_key().decode())"'
        )
    return value
