"""Who calls the API: a personal token, or a signed-in session that has given the second
factor it owes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from amparo.accounts import second_factor
from amparo.api.services import token_user

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer amp_...``: a personal token; a read-only one cannot write,
    except on operations that change nothing although they are posted (``writes=False``)."""

    def __init__(self, *, writes: bool = True) -> None:
        super().__init__()
        self.writes = writes

    def authenticate(self, request: HttpRequest, token: str):
        found = token_user(token)
        if found is None:
            return None
        user, api_token = found
        if api_token.read_only and self.writes and request.method not in SAFE_METHODS:
            raise PermissionDenied
        request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """A signed-in session, once it has given the second factor it owes (program admins and
    anyone with a device). Tokens need no code: each is a credential of its own, created on
    a page that is reached only after the code."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None and second_factor.step_due(user) is not None:
            return None
        return user
