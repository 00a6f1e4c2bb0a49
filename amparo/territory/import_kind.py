"""Organizations and contacts on the import pipeline: an XLSX or CSV file uploaded for one
region (rows may name another region the person may change). Any error and nothing is
written; likely duplicates are skipped unless the person confirms them."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.imports.checking import CheckReport
from amparo.imports.kinds import ImportKind, OnRow, WriteRefused
from amparo.imports.models import ImportJob
from amparo.tabular import Row
from amparo.territory import services
from amparo.territory.models import Organization, OrganizationKind, Region, Sector
from amparo.territory.organization_import import (
    ImportContext,
    OrganizationParse,
    folded,
    kinds_lookup,
    parse_organizations,
)

# Labels a spreadsheet may use besides the kinds' own names.
KIND_SYNONYMS = {
    OrganizationKind.CHURCH: ["iglesia"],
    OrganizationKind.FRATERNITY: ["fraternidad", "fraternity", "fraternity member"],
    OrganizationKind.SECTOR_OFFICE: ["oficina del ministerio", "ministry office", "dirección"],
}


def kind_labels() -> dict[str, str]:
    """Kind codes, their Spanish and English names and common synonyms -> kind code."""
    choices = []
    for code, label in OrganizationKind.choices:
        labels = [*KIND_SYNONYMS.get(code, [])]
        for language in ("es", "en"):
            with override(language):
                labels.append(str(label))
        choices.append((code, labels))
    return kinds_lookup(choices)


def _existing(codes: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {code: [] for code in codes}
    for region, name, city in Organization.objects.filter(region__code__in=codes).values_list(
        "region__code", "name", "city"
    ):
        found[region].append((name, city))
    return found


def import_context(job: ImportJob, by: User | None) -> ImportContext:
    regions = Region.objects.all()
    allowed = access.regions_where(by, ORGANIZATIONS.capability) if by else Region.objects.none()
    return ImportContext(
        region=job.region.code,
        kinds=kind_labels(),
        regions={
            **{folded(r.name): r.code for r in regions},
            **{folded(r.code): r.code for r in regions},
        },
        allowed_regions=frozenset(allowed.values_list("code", flat=True)),
        sectors={
            folded(code): code
            for code in Sector.objects.filter(country=job.region.country).values_list(
                "code", flat=True
            )
        },
        existing=_existing,
        confirmed=frozenset(job.confirmed_rows),
    )


class OrganizationsImport(ImportKind):
    """Churches, fraternity members, ministry offices and the like, with their
    institutional contacts (never victims or recovery-group members)."""

    name = "organizations"
    not_allowed = _("Only the region's coordinators and program admins import organizations.")
    wrong_file = _("Upload an XLSX or CSV file, such as the template.")
    reasons_template = "territory/_import_reason.html"

    def _parse(self, job: ImportJob, by: User | None, rows: Iterator[Row], on_row: OnRow):
        return parse_organizations(rows, import_context(job, by), on_row)

    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        report = self._parse(job, job.created_by, rows, on_row)
        if report.fatal:
            report.rows_valid = 0  # nothing is imported from a file with errors
        return report

    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        report: OrganizationParse = self._parse(job, job.confirmed_by, rows, on_row)
        if report.fatal:
            raise WriteRefused("file_changed")
        return services.organizations_import(
            rows=report.rows, aliases=report.aliases, regions=Region.objects.all()
        )


ORGANIZATIONS = OrganizationsImport()
