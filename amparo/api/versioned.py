"""The one way the API changes a row that carries a version (findings, measures, events):
the counterpart of the pages' ``concurrency.edit_page``. The client states the ``version``
it last read; the service claims the row at that version or raises ``VersionConflict``,
writing nothing, and the client gets 409 with the row as it is now to merge and send again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _
from ninja import Schema, Status

from amparo.concurrency import VersionConflict

M = TypeVar("M", bound=models.Model)


def patch_or_conflict(
    save: Callable[[], object], *, current: Callable[[], M], shape: type[Schema]
) -> M | Status:
    """Run ``save`` (the service call with the client's fields and version) and answer the
    row as ``current()`` reads it now; when someone changed it since that version, answer
    409 with its current version and values in ``shape`` (as the lists give them)."""
    try:
        save()
    except VersionConflict:
        row = current()
        return Status(
            409,
            {
                "error": "conflict",
                "detail": {
                    "message": _("Someone else changed it since the version you sent."),
                    "version": row.version,
                    # Python values, so that the API's renderer writes them as in the
                    # lists (times to the millisecond).
                    "current": shape.from_orm(row).model_dump(),
                },
            },
        )
    return current()
