"""Demo organizations and contacts for every region: marked ``is_demo`` and named
"(demo)", with invented people and example.org addresses; no real person is described."""

from __future__ import annotations

from django.db import transaction

from amparo.territory.models import Contact, Organization, OrganizationKind, Region, Sector

DEMO_SECTOR_OFFICES = ["TUR", "EDU", "SAL", "TRA", "DES"]
DEMO_CHURCHES_PER_REGION = 8


def _org(region: Region, name: str, kind: str, **extra: object) -> Organization:
    organization, _ = Organization.objects.update_or_create(
        region=region, name=f"{name} (demo)", defaults={"kind": kind, "is_demo": True, **extra}
    )
    return organization


@transaction.atomic
def demo_territory_create() -> int:
    """Create (or bring back) the demo organizations; returns how many exist."""
    sectors = {s.code: s for s in Sector.objects.filter(code__in=DEMO_SECTOR_OFFICES)}
    for region in Region.objects.all():
        government = _org(
            region, f"Gobierno Regional de {region.name}", OrganizationKind.REGIONAL_GOVERNMENT,
            city=region.capital,
        )  # fmt: skip
        for code in DEMO_SECTOR_OFFICES:
            office = _org(
                region, f"Oficina {code} de {region.name}", OrganizationKind.SECTOR_OFFICE,
                sector=sectors[code], parent=government, city=region.capital,
            )  # fmt: skip
            Contact.objects.update_or_create(
                organization=office,
                name=f"Persona de contacto {code} (demo)",
                defaults={
                    "title": "Responsable de la oficina (demo)",
                    "email": f"{code.lower()}.{region.code.lower()}@example.org",
                    "is_demo": True,
                },
            )
        fraternity = _org(
            region, f"Fraternidad de pastores de {region.capital}", OrganizationKind.FRATERNITY,
            sector=Sector.objects.filter(code="IGL").first(), city=region.capital,
        )  # fmt: skip
        Contact.objects.update_or_create(
            organization=fraternity,
            name="Presidencia de la fraternidad (demo)",
            defaults={"title": "Pastor presidente (demo)", "is_demo": True},
        )
        for number in range(1, DEMO_CHURCHES_PER_REGION + 1):
            _org(
                region, f"Iglesia {number} de {region.capital}", OrganizationKind.CHURCH,
                parent=fraternity, city=region.capital,
            )  # fmt: skip
    return Organization.objects.filter(is_demo=True).count()
