"""The versioned JSON API: ``/api/v1/``, documented at ``/api/v1/docs``.

Every endpoint reads through ``amparo.accounts.access``, so a user sees through the API
exactly what the pages show them. Errors have one shape: ``{"error": ..., "detail": ...}``.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
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


api = NinjaAPI(
    title="amparo API",
    version="1",
    urls_namespace="api-v1",
    auth=[TokenAuth(), VerifiedSessionAuth()],
    description=(
        "Read and feed amparo from partners' systems. Authenticate with a personal token "
        "(`Authorization: Bearer ...`, created on the API tokens page) or a signed-in session. "
        "Lists are paginated (`limit`, `offset`) and filter by region, sector, status, period "
        "and `updated_since` for incremental sync."
    ),
)


def _error(request: HttpRequest, status: int, error: str, detail: object = None) -> HttpResponse:
    return api.create_response(request, {"error": error, "detail": detail}, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_request", exc.errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    names = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found"}
    return _error(request, exc.status_code, names.get(exc.status_code, "error"), str(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found")


@api.exception_handler(ObjectDoesNotExist)
def _missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, "not_found")


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _error(request, 422, "refused", exc.messages)


@api.exception_handler(DataError)
def _bad_value(request: HttpRequest, exc: DataError) -> HttpResponse:
    return _error(request, 422, "invalid_request", _("A value is out of range."))


@api.exception_handler(IntegrityError)
def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return _error(request, 409, "conflict")


from amparo.api import edits, endpoints  # noqa: E402,F401 - register the routes on ``api``
