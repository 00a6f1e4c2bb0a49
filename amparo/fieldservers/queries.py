"""Read side of field servers: bounded lists for the pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.assessment.models import Assessment
from amparo.fieldservers.import_kind import FIELD_SYNC
from amparo.fieldservers.models import Connection, PublishedForm
from amparo.imports.models import ImportJob, JobStatus, target_filter

LIMIT = 100


def connections() -> QuerySet[Connection]:
    return Connection.objects.order_by("name")[:LIMIT]


def enabled_connections() -> QuerySet[Connection]:
    """For a choice field (which filters it again: not sliced); a program has a few."""
    return Connection.objects.filter(enabled=True).order_by("name")


def forms_of(assessment: Assessment) -> list[PublishedForm]:
    return list(
        PublishedForm.objects.filter(assessment=assessment)
        .select_related("connection", "published_by")
        .order_by("connection__name", "sector_code")[:LIMIT]
    )


def pulls_to_review(assessment: Assessment, limit: int = 20) -> QuerySet[ImportJob]:
    """The latest pulls of the round that hold rows or wait for a confirmation."""
    return (
        ImportJob.objects.filter(kind=FIELD_SYNC.name, **target_filter(assessment))
        .filter(Q(problem_count__gt=0) | Q(status=JobStatus.READY))
        .order_by("-created_at")[:limit]
    )


def published_form_or_404(
    user: User, region, assessment: Assessment, pk: int, capability: Capability
) -> PublishedForm:
    """A form of ``assessment`` published on a field server: 404 outside the region, 403
    without ``capability`` there (the field-answer imports' own)."""
    access.require(user, capability, region)
    return access.first_or_404(
        PublishedForm.objects.select_related("connection").filter(assessment=assessment, pk=pk)
    )
