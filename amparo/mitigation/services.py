"""Writes for mitigation. One transaction each; refused changes raise ``ValidationError``
with a message for the person and write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo import concurrency, storage
from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.assessment.models import Assessment, Finding, Threat
from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED, Unchanged
from amparo.mitigation import lifecycle, uploads
from amparo.mitigation.models import Control, Evidence, Measure, MeasureMove, MeasureStatus
from amparo.policy.models import PolicyItem
from amparo.policy.services import items_by_tag, tagged
from amparo.territory.models import Contact, Organization, Region, Sector, english_active

CATALOG_CONTROL_FIELDS = (
    "kind",
    "title_es",
    "title_en",
    "description_es",
    "description_en",
    "frameworks",
    "source",
    "verified",
)


@transaction.atomic
def controls_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's control library by code, by the catalog's rules
    (``amparo/catalog/sync.py``): controls users edited or created are never overwritten,
    and are listed in ``count`` once per catalog change."""
    sectors = {s.code: s for s in Sector.objects.all()}
    threats = {t.code: t for t in Threat.objects.all()}
    by_tag = items_by_tag()

    def treated(entry: dict) -> set[int]:
        return {threats[c].pk for c in entry["threats"] if c in threats}

    def serves(entry: dict) -> set[int]:
        return tagged(entry.get("policy", []), by_tag)

    def create(entry: dict, **catalog: object) -> Control:
        values = {k: entry[k] for k in CATALOG_CONTROL_FIELDS}
        sector = sectors[entry["sector"]]
        control = Control.objects.create(code=entry["code"], sector=sector, **values, **catalog)
        control.threats.set(treated(entry))
        control.policy_items.set(serves(entry))
        return control

    def differs(control: Control, entry: dict) -> bool:
        return (
            any(getattr(control, k) != entry[k] for k in CATALOG_CONTROL_FIELDS)
            or {t.pk for t in control.threats.all()} != treated(entry)
            or {p.pk for p in control.policy_items.all()} != serves(entry)
        )

    def update(control: Control, entry: dict) -> None:
        changed = [k for k in CATALOG_CONTROL_FIELDS if getattr(control, k) != entry[k]]
        for name in changed:
            setattr(control, name, entry[name])
        control.save(update_fields=changed)
        control.threats.set(treated(entry))
        control.policy_items.set(serves(entry))

    catalog_entries_apply(
        kind=CatalogKind(name="controls", create=create, differs=differs, update=update),
        entries=read_pack_file(pack, "controls")["controls"],
        rows={c.code: c for c in Control.objects.prefetch_related("threats", "policy_items")},
        count=count,
    )


# --- measures ----------------------------------------------------------------------------


def _latest_round(region: Region) -> Assessment | None:
    return region.assessments.order_by("-number").first()


@transaction.atomic
def measure_from_control(*, region: Region, control: Control, by: User) -> Measure:
    """A proposed measure copied from a library entry, linked to the findings of the
    region's latest round whose threats the control treats, and serving the national-policy
    entries the control serves; adapt it afterwards."""
    english = english_active()
    measure = Measure.objects.create(
        region=region,
        sector=control.sector,
        kind=control.kind,
        title=control.title_en if english else control.title_es,
        description=control.description_en if english else control.description_es,
        control=control,
        owner=by,
    )
    latest = _latest_round(region)
    if latest:
        measure.findings.set(latest.findings.filter(threat__in=control.threats.all()))
    measure.policy_items.set(control.policy_items.all())
    MeasureMove.objects.create(
        measure=measure,
        from_status="",
        to_status=MeasureStatus.PROPOSED,
        by=by,
        note=f"{control.code}",
    )
    return measure


@transaction.atomic
def measure_save(
    *,
    region: Region,
    by: User,
    measure: Measure | None = None,
    expected_version: int | None = None,
    sector: Sector | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    organization: Organization | Unchanged | None = UNCHANGED,
    responsible: Contact | Unchanged | None = UNCHANGED,
    owner: User | Unchanged | None = UNCHANGED,
    findings: list[Finding] | Unchanged = UNCHANGED,
    starts_on: date | Unchanged | None = UNCHANGED,
    due_on: date | Unchanged | None = UNCHANGED,
    lowers_likelihood: int | Unchanged = UNCHANGED,
    lowers_impact: int | Unchanged = UNCHANGED,
    policy_items: list[PolicyItem] | Unchanged = UNCHANGED,
) -> Measure:
    """Create or change a measure's description (not its status: see ``measure_move``).
    Organization, contact and findings must belong to the measure's region and sector; a
    new follow-up person (or the person of a measure moved to another sector) must be able
    to change the measure's sector in the region. Fields left ``UNCHANGED`` keep their
    stored value (a new measure needs its sector, kind and title).

    A change states the ``expected_version`` it was loaded with and raises
    ``concurrency.VersionConflict`` (writing nothing) when someone saved meanwhile; without
    it the fields given are applied to the measure as it is now.

    ``findings`` replaces the links to the region's latest round only; links to findings of
    earlier rounds stay. ``policy_items`` replaces the national-policy entries it serves (a measure
    from a library entry starts with the entry's: ``measure_from_control``)."""
    creating = measure is None
    if measure is not None and expected_version is not None:
        concurrency.claim(measure, expected=expected_version)
    elif measure is not None:
        measure = concurrency.claim_current(Measure.objects.all(), measure.pk)
    measure = measure or Measure(region=region, owner=by)
    changed = concurrency.apply_changes(
        measure,
        {
            "sector": sector,
            "kind": kind,
            "title": title,
            "description": description,
            "organization": organization,
            "responsible": responsible,
            "owner": owner,
            "starts_on": starts_on,
            "due_on": due_on,
            "lowers_likelihood": lowers_likelihood,
            "lowers_impact": lowers_impact,
        },
    )
    errors = {}
    if measure.organization and measure.organization.region_id != region.pk:
        errors["organization"] = _("Choose an organization of this region.")
    if measure.responsible and measure.responsible.organization.region_id != region.pk:
        errors["responsible"] = _("Choose a contact of this region.")
    if findings is not UNCHANGED and any(
        f.assessment.region_id != region.pk or f.sector_id != measure.sector_id for f in findings
    ):
        errors["findings"] = _("Choose findings of this region and sector.")
    if (
        measure.owner_id
        and changed & {"owner", "sector"}
        and not access.people_who_can_change(region, measure.sector_id)
        .filter(pk=measure.owner_id)
        .exists()
    ):
        errors["owner"] = _("Choose someone who may change this sector's measures in the region.")
    if errors:
        raise ValidationError(errors)
    measure.full_clean()
    measure.save()
    if findings is not UNCHANGED:
        # The form offers the latest round's findings only; links to earlier rounds (kept
        # when a round is cloned) still justify those rounds' residuals.
        latest = _latest_round(region)
        earlier = measure.findings.exclude(assessment=latest) if latest else []
        measure.findings.set([*earlier, *findings])
    if policy_items is not UNCHANGED:
        measure.policy_items.set(policy_items)
    if creating:
        MeasureMove.objects.create(measure=measure, from_status="", to_status=measure.status, by=by)
    return measure


MOVE_MESSAGES = {
    "not_allowed": gettext_lazy("A measure cannot go from “%(from)s” to “%(to)s”."),
    "needs_evidence": gettext_lazy(
        "Add evidence (a document or a link) before marking it “%(to)s”."
    ),
    "same_person": gettext_lazy("Someone other than the person who implemented it must verify it."),
    "needs_reason": gettext_lazy("Say why the measure is dropped."),
}


@transaction.atomic
def measure_move(*, measure: Measure, to: str, by: User, reason: str = "") -> Measure:
    """Move a measure along its lifecycle (``lifecycle.ALLOWED_MOVES``), recording who and
    when. Implemented and verified need evidence; verified needs a second person."""
    locked = concurrency.claim_current(Measure.objects.all(), measure.pk)
    problems = lifecycle.move_problems(
        current=locked.status,
        target=to,
        evidence_count=locked.evidence.count(),
        by_id=by.pk,
        implemented_by_id=locked.implemented_by_id,
        reason=reason,
    )
    if problems:
        labels = dict(MeasureStatus.choices)
        raise ValidationError(
            [
                MOVE_MESSAGES[p] % {"from": labels.get(locked.status), "to": labels.get(to, to)}
                for p in problems
            ]
        )
    MeasureMove.objects.create(
        measure=locked, from_status=locked.status, to_status=to, by=by, note=reason.strip()
    )
    if to == MeasureStatus.IMPLEMENTED:
        locked.implemented_by = by
    if to == MeasureStatus.VERIFIED:
        locked.verified_by = by
    if to == MeasureStatus.DROPPED:
        locked.drop_reason = reason.strip()
    elif locked.status == MeasureStatus.DROPPED:
        # Proposed again: the old reason no longer describes it (the move keeps it).
        locked.drop_reason = ""
    locked.status = to
    locked.save()
    return locked


UPLOAD_MESSAGES = {
    "too_big": gettext_lazy("The file is larger than %(mb)s MB."),
    "empty": gettext_lazy("The file is empty."),
    "bad_extension": gettext_lazy(
        "Upload a PDF, an image (PNG, JPEG) or an office document "
        "(DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS)."
    ),
    "content_mismatch": gettext_lazy("The file's content does not match its type."),
}


@transaction.atomic
def evidence_add(
    *,
    measure: Measure,
    by: User,
    description: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    """Attach a checked document or a link to a measure."""
    if (upload is None) == (not url):
        raise ValidationError(_("Attach either a file or a link."))
    evidence = Evidence(measure=measure, description=description, url=url, uploaded_by=by)
    if upload is not None:
        max_bytes = settings.AMPARO_MAX_UPLOAD_MB * 1024 * 1024
        verdict = uploads.check_upload(upload.name, upload.size, upload.file, max_bytes=max_bytes)
        if not verdict.ok:
            message = UPLOAD_MESSAGES[verdict.problem] % {"mb": settings.AMPARO_MAX_UPLOAD_MB}
            raise ValidationError({"file": message})
        evidence.original_name = upload.name[-200:]
        evidence.content_type = verdict.content_type
        evidence.size = upload.size
        try:
            evidence.file.save(upload.name, upload, save=False)
        except OSError as error:
            raise ValidationError({"file": storage.disk_message(error)}) from None
    evidence.full_clean()
    evidence.save()
    return evidence


# --- reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    user: User
    overdue: list[Measure]
    due_soon: list[Measure]


def reminders(*, today: date, within_days: int) -> list[Reminder]:
    """For each person following up open measures: those overdue and those due soon, among
    the measures their memberships still let them open (``access.can`` to view the measure's
    region and sector), so nobody is told about a measure of a sector or region they no
    longer see. One query for the measures, then one for each person's memberships."""
    horizon = today + timedelta(days=within_days)
    due = (
        Measure.objects.filter(
            owner__is_active=True,
            status__in=lifecycle.OPEN,
            due_on__isnull=False,
            due_on__lte=horizon,
        )
        .select_related("owner", "region", "sector")
        .order_by("owner__username", "owner_id", "due_on", "pk")
    )
    owners: dict[int, User] = {}
    followed: dict[int, list[Measure]] = {}
    for measure in due:
        # One user object per person, so their memberships are read only once.
        owner = owners.setdefault(measure.owner_id, measure.owner)
        if access.can(owner, Capability.VIEW, measure.region, measure.sector_id):
            followed.setdefault(owner.pk, []).append(measure)
    return [
        Reminder(
            owners[owner_id],
            [m for m in measures if m.due_on < today],
            [m for m in measures if m.due_on >= today],
        )
        for owner_id, measures in followed.items()
    ]


def reminders_send(*, today: date, within_days: int, dry_run: bool = False) -> int:
    """E-mail each person their overdue and soon-due measures; returns how many e-mails."""
    sent = 0
    for reminder in reminders(today=today, within_days=within_days):
        if not reminder.user.email:
            continue
        lines = [_("Measures you follow up in amparo:"), ""]
        for title, measures in (
            (_("Overdue"), reminder.overdue),
            (_("Due soon"), reminder.due_soon),
        ):
            if measures:
                lines.append(f"{title}:")
                lines += [
                    f"- {m.due_on:%Y-%m-%d} · {m.region.name} · {m.sector.code} · {m.title}"
                    for m in measures
                ]
                lines.append("")
        if not dry_run:
            send_mail(
                _("amparo: %(n)s measures need attention")
                % {"n": len(reminder.overdue) + len(reminder.due_soon)},
                "\n".join(lines),
                None,
                [reminder.user.email],
            )
        sent += 1
    return sent
