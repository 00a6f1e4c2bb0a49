"""Writes for partnerships, meetings, next steps and materials (one transaction each)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.mitigation import uploads
from amparo.mitigation.services import UPLOAD_MESSAGES
from amparo.partnerships.models import (
    Material,
    MaterialVersion,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMove,
    PartnershipStage,
)
from amparo.rollout.models import Event, Stage
from amparo.territory.models import Contact, Organization, Region

S = PartnershipStage
STAGE_MOVES: dict[str, set[str]] = {
    S.CONTACTED: {S.INTERESTED, S.ENDED},
    S.INTERESTED: {S.SIGNED, S.CONTACTED, S.ENDED},
    S.SIGNED: {S.ACTIVE, S.PAUSED, S.ENDED},
    S.ACTIVE: {S.PAUSED, S.ENDED},
    S.PAUSED: {S.ACTIVE, S.ENDED},
    S.ENDED: {S.CONTACTED},
}
WITH_AGREEMENT = (S.SIGNED, S.ACTIVE)


def _checked(upload: UploadedFile):
    verdict = uploads.check_upload(
        upload.name, upload.size, upload.file, max_bytes=settings.AMPARO_MAX_UPLOAD_MB * 2**20
    )
    if not verdict.ok:
        raise ValidationError(
            {"file": UPLOAD_MESSAGES[verdict.problem] % {"mb": settings.AMPARO_MAX_UPLOAD_MB}}
        )
    return verdict


@transaction.atomic
def partnership_create(
    *,
    region: Region,
    organization: Organization,
    since: date,
    by: User,
    introduced_by: Partnership | None = None,
    notes: str = "",
) -> Partnership:
    """Start following a relationship with a partner of ``region`` (stage: contacted)."""
    if organization.region_id != region.pk:
        raise ValidationError({"organization": _("Choose an organization of this region.")})
    if Partnership.objects.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This organization already has a partnership.")})
    partnership = Partnership.objects.create(
        region=region,
        organization=organization,
        since=since,
        introduced_by=introduced_by,
        notes=notes,
    )
    PartnershipMove.objects.create(partnership=partnership, to_stage=S.CONTACTED, on=since, by=by)
    return partnership


@transaction.atomic
def agreement_attach(*, partnership: Partnership, upload: UploadedFile) -> Partnership:
    """Attach the signed agreement. Only the document's fields are written, so a stage
    moved meanwhile is kept."""
    verdict = _checked(upload)
    partnership.agreement.save(upload.name, upload, save=False)
    partnership.agreement_name, partnership.agreement_type = (
        upload.name[-200:],
        verdict.content_type,
    )
    partnership.save(update_fields=["agreement", "agreement_name", "agreement_type", "updated_at"])
    return partnership


@transaction.atomic
def partnership_move(*, partnership: Partnership, to: str, on: date, by: User) -> Partnership:
    """Move along contacted -> interested -> agreement signed -> active (or paused / ended).
    Signing needs the signed agreement attached."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to not in STAGE_MOVES[locked.stage]:
        labels = dict(S.choices)
        raise ValidationError(
            _("A partnership cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels[locked.stage], "to": labels.get(to, to)}
        )
    if to == S.SIGNED and not locked.agreement:
        raise ValidationError(_("Attach the signed agreement first."))
    if on < locked.since:
        raise ValidationError(_("The date cannot be before the current stage began."))
    PartnershipMove.objects.create(
        partnership=locked, from_stage=locked.stage, to_stage=to, on=on, by=by
    )
    locked.stage, locked.since = to, on
    locked.save(update_fields=["stage", "since", "updated_at"])
    return locked


def _check_owner(owner: User, region: Region) -> None:
    """Refuse an owner who cannot follow up work in ``region``: only those with a
    non-viewer membership of the region (or of every region) may own a next step, the same
    people the forms offer (``access.people_who_can_change``)."""
    if not access.people_who_can_change(region).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("%(name)s cannot follow up next steps in this region.") % {"name": owner}}
        )


@transaction.atomic
def meeting_record(
    *,
    region: Region,
    by: User,
    held_on: date,
    place: str,
    purpose: str,
    agreed: str,
    organizations: list[Organization],
    contacts: list[Contact],
    next_steps: list[tuple[str, User, date]],
) -> Meeting:
    """Record a meeting, who took part (partner staff, organizations) and its next steps."""
    if any(o.region_id != region.pk for o in organizations) or any(
        c.organization.region_id != region.pk for c in contacts
    ):
        raise ValidationError(_("Choose organizations and participants of this region."))
    for _text, owner, _due in next_steps:
        _check_owner(owner, region)
    meeting = Meeting.objects.create(
        region=region, held_on=held_on, place=place, purpose=purpose, agreed=agreed, created_by=by
    )
    meeting.organizations.set(organizations)
    meeting.contacts.set(contacts)
    NextStep.objects.bulk_create(
        NextStep(meeting=meeting, description=text, owner=owner, due_on=due)
        for text, owner, due in next_steps
    )
    return meeting


@transaction.atomic
def next_step_add(*, meeting: Meeting, description: str, owner: User, due_on: date) -> NextStep:
    """Add a next step to a meeting already recorded."""
    _check_owner(owner, meeting.region)
    return NextStep.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )


@transaction.atomic
def next_step_update(*, step: NextStep, description: str, owner: User, due_on: date) -> NextStep:
    """Change an open next step's text, owner or due date. A step already done is kept as
    it was done."""
    locked = NextStep.objects.select_for_update().get(pk=step.pk)
    if locked.done_on is not None:
        raise ValidationError(_("This next step is already done and can no longer be changed."))
    _check_owner(owner, step.meeting.region)
    locked.description, locked.owner, locked.due_on = description, owner, due_on
    locked.save(update_fields=["description", "owner", "due_on"])
    return locked


@transaction.atomic
def next_step_done(*, step: NextStep, on: date) -> NextStep:
    """Mark an open next step done on ``on``. A step already done keeps the date it was
    done on: marking it again is refused."""
    locked = NextStep.objects.select_for_update().get(pk=step.pk)
    if locked.done_on is not None:
        raise ValidationError(
            _("This next step was already marked as done on %(date)s.")
            % {"date": locked.done_on.isoformat()}
        )
    locked.done_on = on
    locked.save(update_fields=["done_on"])
    return locked


@transaction.atomic
def material_version_add(
    *, material: Material, language: str, version: str, upload: UploadedFile, by: User
) -> MaterialVersion:
    """Attach a language version of a material; checked like evidence files. Everything is
    checked before the file is written, so a refused version leaves no file behind."""
    language, version = language.strip().lower()[:10], version.strip()
    verdict = _checked(upload)
    if MaterialVersion.objects.filter(
        material=material, language=language, version=version
    ).exists():
        raise ValidationError({"version": _("This language already has that version.")})
    item = MaterialVersion(
        material=material,
        language=language,
        version=version,
        original_name=upload.name[-200:],
        content_type=verdict.content_type,
        uploaded_by=by,
    )
    item.full_clean(exclude=["file"])
    item.file.save(upload.name, upload, save=False)
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    return item


@transaction.atomic
def material_add(
    *, code: str, title_es: str, title_en: str, kind: str, stages: list[Stage]
) -> Material:
    """A teaching material of the program, used in ``stages`` of the playbooks."""
    material = Material(code=code, title_es=title_es, title_en=title_en, kind=kind)
    material.full_clean()
    material.save()
    material.stages.set(stages)
    return material


@transaction.atomic
def material_stages_set(*, material: Material, stages: list[Stage]) -> Material:
    """Set the playbook stages that use ``material``."""
    material.stages.set(stages)
    return material


@transaction.atomic
def event_materials_set(*, event: Event, versions: list[MaterialVersion]) -> None:
    """Record which versions of which materials an event used."""
    for version in MaterialVersion.objects.filter(events=event):
        version.events.remove(event)
    for version in versions:
        version.events.add(event)
