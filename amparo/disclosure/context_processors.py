"""The notice a page shows when its counts came from a pending release."""

from __future__ import annotations

from django.http import HttpRequest

from amparo.disclosure.release import request_waiting


def protection_pending(request: HttpRequest) -> dict[str, object]:
    """Whether the request's release (``release.request_release``, asked for by the view
    before the page renders) is still being worked out. Pages that asked for none do not
    work one out here."""

    def pending() -> bool:
        return request_waiting(request)

    return {"protection_pending": pending}
