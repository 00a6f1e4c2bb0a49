"""API tokens: create (the secret is returned once), revoke, and authenticate."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.api.models import ApiToken

PREFIX = "amp_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, read_only: bool) -> str:
    """A new personal token; only its hash is stored, so this is the one time it is seen."""
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name[:100], prefix=token[:8], token_hash=_hash(token), read_only=read_only
    )
    return token


@transaction.atomic
def token_revoke(*, user: User, pk: int) -> None:
    ApiToken.objects.filter(user=user, pk=pk).delete()


def token_user(token: str) -> tuple[User, ApiToken] | None:
    """The active user behind a token, noting its use (at most once a minute)."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user, found
