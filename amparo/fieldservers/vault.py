"""Secrets of field servers (API tokens, passwords) encrypted at rest with the key in
``AMPARO_FIELD_SECRETS_KEY`` (Fernet: AES with an authentication code). The database and
its backups only ever hold the encrypted text."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The secret was encrypted with another key (a backup restored without its key)."""


def _fernet() -> Fernet:
    return Fernet(settings.AMPARO_FIELD_SECRETS_KEY.encode("ascii"))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretUnreadable from None
