"""Demo partnerships, meetings, next steps and materials: invented, marked demo."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.partnerships.models import Material, Meeting, NextStep, Partnership, PartnershipMove
from amparo.rollout.models import Stage
from amparo.territory.models import Organization, OrganizationKind, Region

# region -> (stage of the fraternity's partnership, stage of the regional government's)
DEMO_STAGES = {
    "PE-LOR": ("active", "active"),
    "PE-UCA": ("active", "signed"),
    "PE-SAM": ("signed", "interested"),
    "PE-MDD": ("interested", "contacted"),
    "PE-AMA": ("contacted", "contacted"),
}


@transaction.atomic
def demo_partnerships_create(*, coordinator: User) -> int:
    """Create (or bring back) the demo partnership data; returns how many partnerships."""
    today = timezone.localdate()
    loreto_government = None
    for code, stages in DEMO_STAGES.items():
        region = Region.objects.get(code=code)
        kinds = (OrganizationKind.FRATERNITY, OrganizationKind.REGIONAL_GOVERNMENT)
        for kind, stage in zip(kinds, stages, strict=True):
            organization = Organization.objects.filter(
                region=region, kind=kind, is_demo=True
            ).first()
            if organization is None:
                continue
            partnership, created = Partnership.objects.update_or_create(
                organization=organization,
                defaults={
                    "region": region,
                    "stage": stage,
                    "since": date(2026, 3, 2),
                    "is_demo": True,
                    "introduced_by": loreto_government if code in ("PE-SAM", "PE-MDD") else None,
                },
            )
            if created:
                PartnershipMove.objects.create(
                    partnership=partnership, to_stage=stage, on=date(2026, 3, 2), by=coordinator
                )
            if code == "PE-LOR" and kind == OrganizationKind.REGIONAL_GOVERNMENT:
                loreto_government = partnership
    loreto = Region.objects.get(code="PE-LOR")
    meeting, created = Meeting.objects.update_or_create(
        region=loreto,
        purpose="Reunión de seguimiento con la fraternidad (demo)",
        defaults={
            "held_on": date(2026, 10, 5),
            "place": "Iquitos",
            "is_demo": True,
            "agreed": "Preparar la reunión en toda la ciudad del próximo año (demo).",
            "created_by": coordinator,
        },
    )
    if created:
        meeting.organizations.set(
            Organization.objects.filter(region=loreto, kind=OrganizationKind.FRATERNITY)
        )
        NextStep.objects.create(
            meeting=meeting,
            description="Enviar el borrador del convenio (demo)",
            owner=coordinator,
            due_on=today - timedelta(days=5),
        )
        NextStep.objects.create(
            meeting=meeting,
            description="Confirmar local para la capacitación (demo)",
            owner=coordinator,
            due_on=today + timedelta(days=10),
        )
    for code, es, en, kind, stage_codes in (
        (
            "segunda-mirada",
            "¿A dónde va la segunda mirada?",
            "Where does the second glance go?",
            "series",
            ["conferencia", "lanzamiento"],
        ),
        (
            "criar-y-proteger",
            "Criar y proteger a los hijos (parte pastoral)",
            "Raising and protecting kids (pastoral part)",
            "series",
            ["conferencia"],
        ),
        (
            "manual-lideres",
            "Manual de líderes de grupos de recuperación",
            "Recovery-group leaders' manual",
            "manual",
            ["capacitacion"],
        ),
    ):
        material, _ = Material.objects.update_or_create(
            code=code, defaults={"title_es": es, "title_en": en, "kind": kind}
        )
        material.stages.set(Stage.objects.filter(code__in=stage_codes))
    return Partnership.objects.filter(is_demo=True).count()
