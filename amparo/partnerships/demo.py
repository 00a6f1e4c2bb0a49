"""Demo partnerships, meetings, next steps and materials: invented, marked demo."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

from amparo.accounts.models import User
from amparo.partnerships.models import Material, Meeting, NextStep, Partnership, PartnershipMove
from amparo.partnerships.services import WITH_AGREEMENT
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


# region, purpose, date, place, what was agreed, kinds of the organizations taking part,
# next steps as (text, owner: "coordinator" | "focal" | "admin", due in days from today,
# done days ago or None). All invented.
DEMO_MEETINGS = (
    (
        "PE-LOR",
        "Presentación de la evaluación a la Gerencia de Desarrollo Social (demo)",
        date(2026, 9, 14),
        "Gobierno Regional, Iquitos",
        "Revisar los hallazgos de turismo en una mesa de trabajo con DIRCETUR (demo).",
        (OrganizationKind.REGIONAL_GOVERNMENT,),
        (
            ("Compartir el resumen de hallazgos de turismo (demo)", "coordinator", 7, None),
            ("Proponer fecha para la mesa de trabajo (demo)", "coordinator", -20, 22),
        ),
    ),
    (
        "PE-LOR",
        "Mesa de trabajo sobre el registro de hospedajes (demo)",
        date(2026, 10, 20),
        "DIRCETUR, Iquitos",
        "Redactar un procedimiento de verificación de huéspedes menores de edad (demo).",
        (OrganizationKind.SECTOR_OFFICE,),
        (
            ("Enviar el borrador del procedimiento (demo)", "focal", 14, None),
            ("Convocar a los gremios de hospedaje (demo)", "focal", -2, None),
        ),
    ),
    (
        "PE-UCA",
        "Planificación de la conferencia de pastores de Ucayali (demo)",
        date(2026, 8, 25),
        "Pucallpa",
        "La fraternidad reserva el local; el equipo prepara las dos series (demo).",
        (OrganizationKind.FRATERNITY,),
        (("Confirmar las fechas de la conferencia (demo)", "admin", 21, None),),
    ),
)


DEMO_AGREEMENT_HTML = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Convenio de ejemplo (demo)</title>
<style>
  @page {{ size: A4; margin: 2.5cm; }}
  body {{ font-family: sans-serif; font-size: 12pt; line-height: 1.5; }}
  .demo {{ font-size: 64pt; font-weight: bold; color: #b00020; letter-spacing: 0.1em; }}
  .note {{ font-size: 14pt; border: 2px solid #b00020; padding: 0.4em; }}
</style></head>
<body>
  <p class="demo">DEMO</p>
  <p class="note">Convenio de ejemplo - no es un documento real</p>
  <h1>Convenio de colaboración contra la trata de personas</h1>
  <p>Entre el equipo del programa y <strong>{partner}</strong>.</p>
  <p>Las partes acuerdan trabajar juntas para prevenir la explotación sexual de niñas,
  niños y adolescentes en la región: compartir información, formar a sus equipos y
  dar seguimiento a los acuerdos de cada reunión. Texto inventado para la demostración.</p>
  <p>Firmas: ______________________ &nbsp; ______________________ (demo)</p>
</body></html>
"""


def demo_agreement_pdf(partner: str) -> bytes:
    """A one-page PDF that says, in large letters, that it is a demo agreement with
    ``partner``: a stand-in for the signed document, not a real one."""
    from weasyprint import HTML

    return HTML(string=format_html(DEMO_AGREEMENT_HTML, partner=partner)).write_pdf()


def _demo_agreement_attach(partnership: Partnership) -> None:
    """A signed or active demo partnership gets a demo agreement, once."""
    if partnership.stage not in WITH_AGREEMENT or partnership.agreement:
        return
    name = f"convenio-demo-{partnership.organization_id}.pdf"
    pdf = demo_agreement_pdf(partnership.organization.name)
    partnership.agreement.save(name, ContentFile(pdf), save=False)
    partnership.agreement_name, partnership.agreement_type = name, "application/pdf"
    partnership.save(update_fields=["agreement", "agreement_name", "agreement_type"])


def _demo_meetings_create(owners: dict[str, User], today: date) -> None:
    for code, purpose, held_on, place, agreed, kinds, steps in DEMO_MEETINGS:
        region = Region.objects.get(code=code)
        meeting, created = Meeting.objects.update_or_create(
            region=region,
            purpose=purpose,
            defaults={
                "held_on": held_on,
                "place": place,
                "agreed": agreed,
                "is_demo": True,
                "created_by": owners["coordinator"],
            },
        )
        if not created:
            continue
        meeting.organizations.set(
            Organization.objects.filter(region=region, kind__in=kinds, is_demo=True)
        )
        NextStep.objects.bulk_create(
            NextStep(
                meeting=meeting,
                description=text,
                owner=owners[owner],
                due_on=today + timedelta(days=due_in),
                done_on=None if done_ago is None else today - timedelta(days=done_ago),
            )
            for text, owner, due_in, done_ago in steps
        )


@transaction.atomic
def demo_partnerships_create(*, coordinator: User, focal: User, admin: User) -> int:
    """Create (or bring back) the demo partnership data; returns how many partnerships.
    ``coordinator`` and ``focal`` belong to Loreto, ``admin`` to every region: they own
    the demo next steps."""
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
            _demo_agreement_attach(partnership)
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
    _demo_meetings_create({"coordinator": coordinator, "focal": focal, "admin": admin}, today)
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
