"""Writes for the threat assessment. One transaction each; refused changes raise
``ValidationError`` with a message for the person and write nothing."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo import concurrency
from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding, RiskMatrix, RoundStatus, Threat
from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED, Unchanged
from amparo.territory.models import Region, Sector

DEFAULT_MATRIX_CODE = "5x5"

# Allowed status moves of a round; completing has its own checks.
ROUND_MOVES: dict[str, set[str]] = {
    RoundStatus.DRAFT: {RoundStatus.IN_PROGRESS},
    RoundStatus.IN_PROGRESS: {RoundStatus.IN_REVIEW, RoundStatus.DRAFT},
    RoundStatus.IN_REVIEW: {RoundStatus.IN_PROGRESS, RoundStatus.COMPLETED},
    RoundStatus.COMPLETED: set(),
}


# --- catalog and matrix ------------------------------------------------------------------


@transaction.atomic
def matrix_default_ensure() -> RiskMatrix:
    """The 5x5 default matrix, created once; later edits by admins are kept."""
    matrix, _created = RiskMatrix.objects.get_or_create(
        code=DEFAULT_MATRIX_CODE,
        defaults={
            "name_es": "Matriz 5x5",
            "name_en": "5x5 matrix",
            "is_default": True,
            **RiskMatrix.fields_from_spec(scoring.DEFAULT_MATRIX),
        },
    )
    return matrix


@transaction.atomic
def matrix_save(
    *, matrix: RiskMatrix, spec: scoring.MatrixSpec, name_es: str, name_en: str
) -> RiskMatrix:
    """Change a matrix's labels, levels and grid; an unusable matrix is refused, and so is
    a matrix a completed round uses (its levels must not change after the fact)."""
    if matrix_locked(matrix):
        raise ValidationError(matrix_locked_reason())
    problems = scoring.validate_matrix(spec)
    if problems:
        raise ValidationError([_(p.template) % p.params for p in problems])
    matrix.name_es, matrix.name_en = name_es, name_en
    for name, value in RiskMatrix.fields_from_spec(spec).items():
        setattr(matrix, name, value)
    matrix.full_clean()
    matrix.save()
    return matrix


def matrix_locked_reason() -> str:
    """Why a matrix a completed round uses cannot be changed, in the active language."""
    return _(
        "A completed round uses this matrix: changing it would change that round's levels "
        "after the fact. Copy the matrix and edit the copy."
    )


def matrix_locked(matrix: RiskMatrix) -> bool:
    """Whether a completed round uses ``matrix``, which then stays as it is."""
    return Assessment.objects.filter(matrix=matrix, status=RoundStatus.COMPLETED).exists()


def _copy_codes(code: str) -> Iterator[str]:
    """``<code>-copia``, ``<code>-copia-2``, ...: the original code is shortened so that
    every candidate fits the code's length."""
    limit = RiskMatrix._meta.get_field("code").max_length
    for suffix in ("-copia", *(f"-copia-{n}" for n in range(2, 1000))):
        yield f"{code[: limit - len(suffix)]}{suffix}"


@transaction.atomic
def matrix_copy(*, matrix: RiskMatrix) -> RiskMatrix:
    """A copy of ``matrix`` under a new code, free to edit and not the default."""
    taken = set(RiskMatrix.objects.values_list("code", flat=True))
    code = next(c for c in _copy_codes(matrix.code) if c not in taken)
    copy = RiskMatrix(
        code=code,
        name_es=f"{matrix.name_es[:190]} (copia)",
        name_en=f"{matrix.name_en[:190]} (copy)",
        likelihoods=matrix.likelihoods,
        impacts=matrix.impacts,
        levels=matrix.levels,
        grid=matrix.grid,
        is_default=False,
    )
    copy.full_clean()
    copy.save()
    return copy


MATRIX_SIZES = range(2, 8)  # likelihood and impact levels a new matrix may have


@transaction.atomic
def matrix_create(
    *, code: str, name_es: str, name_en: str, likelihood_levels: int, impact_levels: int
) -> RiskMatrix:
    """A new matrix of the given size with a starting grid, to be edited before use."""
    if likelihood_levels not in MATRIX_SIZES or impact_levels not in MATRIX_SIZES:
        raise ValidationError(
            _("Choose from %(low)s to %(high)s likelihood and impact levels.")
            % {"low": MATRIX_SIZES[0], "high": MATRIX_SIZES[-1]}
        )
    matrix = RiskMatrix(
        code=code,
        name_es=name_es,
        name_en=name_en,
        **RiskMatrix.fields_from_spec(scoring.starting_matrix(likelihood_levels, impact_levels)),
    )
    matrix.full_clean()
    matrix.save()
    return matrix


CATALOG_THREAT_FIELDS = (
    "title_es",
    "title_en",
    "description_es",
    "description_en",
    "source",
    "verified",
)


@transaction.atomic
def threats_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's threats by code, by the catalog's rules (``amparo/catalog/sync.py``):
    threats users edited or created are never overwritten, and are listed in ``count`` once
    per catalog change. The sector of a catalog threat is fixed: the catalog finds it by it."""
    matrix_default_ensure()
    sectors = {s.code: s for s in Sector.objects.all()}

    def create(entry: dict, **catalog: object) -> Threat:
        values = {k: entry[k] for k in CATALOG_THREAT_FIELDS}
        sector = sectors[entry["sector"]]
        return Threat.objects.create(code=entry["code"], sector=sector, **values, **catalog)

    def update(threat: Threat, entry: dict) -> None:
        changed = [k for k in CATALOG_THREAT_FIELDS if getattr(threat, k) != entry[k]]
        for name in changed:
            setattr(threat, name, entry[name])
        threat.save(update_fields=changed)

    catalog_entries_apply(
        kind=CatalogKind(
            name="threats",
            create=create,
            differs=lambda t, e: any(getattr(t, k) != e[k] for k in CATALOG_THREAT_FIELDS),
            update=update,
        ),
        entries=read_pack_file(pack, "threats")["threats"],
        rows={t.code: t for t in Threat.objects.all()},
        count=count,
    )


@transaction.atomic
def threat_save(
    *,
    threat: Threat | None = None,
    sector: Sector | Unchanged = UNCHANGED,
    code: str | Unchanged = UNCHANGED,
    title_es: str | Unchanged = UNCHANGED,
    title_en: str | Unchanged = UNCHANGED,
    description_es: str | Unchanged = UNCHANGED,
    description_en: str | Unchanged = UNCHANGED,
    source: str | Unchanged = UNCHANGED,
    verified: bool | Unchanged = UNCHANGED,
) -> Threat:
    """Create a threat or change one; a catalog threat changed here is marked edited. The
    code and sector of a catalog threat are fixed: the catalog finds it by them. Fields
    left ``UNCHANGED`` keep their stored value."""
    fields = {
        name: value
        for name, value in {
            "sector": sector, "code": code, "title_es": title_es, "title_en": title_en,
            "description_es": description_es, "description_en": description_en,
            "source": source, "verified": verified,
        }.items()
        if value is not UNCHANGED
    }  # fmt: skip
    threat = threat or Threat()
    if threat.pk and threat.from_catalog:
        stored = Threat.objects.get(pk=threat.pk)
        errors = {
            name: _("The code and sector of a catalog threat cannot be changed.")
            for name in ("code", "sector")
            if name in fields and fields[name] != getattr(stored, name)
        }
        if errors:
            raise ValidationError(errors)
    concurrency.apply_changes(threat, fields)
    if threat.pk and threat.from_catalog:
        threat.edited = True
    threat.full_clean()
    threat.save()
    return threat


# --- rounds ------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *, region: Region, clone_previous: bool, matrix: RiskMatrix | None = None
) -> Assessment:
    """Open the region's next round; with ``clone_previous`` it starts from the last round's
    findings (and its matrix), so only what changed needs entering. Copying findings into a
    matrix with fewer likelihood or impact levels than their ratings use is refused."""
    previous = region.assessments.order_by("-number").first()
    number = (region.assessments.aggregate(n=Max("number"))["n"] or 0) + 1
    matrix = matrix or (previous.matrix if previous else None) or matrix_default_ensure()
    if clone_previous and previous:
        _require_room_for(previous, matrix)
    assessment = Assessment.objects.create(
        region=region,
        number=number,
        matrix=matrix,
        previous=previous,
        started_on=timezone.localdate(),
    )
    if clone_previous and previous:
        _findings_clone(previous, assessment)
    return assessment


def _require_room_for(previous: Assessment, matrix: RiskMatrix) -> None:
    highest = previous.findings.aggregate(
        il=Max("inherent_likelihood"),
        rl=Max("residual_likelihood"),
        ii=Max("inherent_impact"),
        ri=Max("residual_impact"),
    )
    likelihood = max(highest["il"] or 0, highest["rl"] or 0)
    impact = max(highest["ii"] or 0, highest["ri"] or 0)
    if likelihood > len(matrix.likelihoods) or impact > len(matrix.impacts):
        raise ValidationError(
            _(
                "The findings of round %(n)s use likelihood up to %(l)s and impact up to "
                "%(i)s; the matrix “%(matrix)s” has only %(ml)s and %(mi)s levels. Choose "
                "a larger matrix or start without copying the findings."
            )
            % {
                "n": previous.number,
                "l": likelihood,
                "i": impact,
                "matrix": matrix.name,
                "ml": len(matrix.likelihoods),
                "mi": len(matrix.impacts),
            }
        )


def _findings_clone(previous: Assessment, assessment: Assessment) -> None:
    """Copy the previous round's findings into ``assessment`` with the measures that treat
    them: a residual lowered by a measure stays justified in the new round."""
    originals = list(previous.findings.all())
    old_ids = [finding.pk for finding in originals]
    copies = []
    for finding in originals:
        finding.pk = None
        finding.assessment = assessment
        finding.version = 1  # a new row
        copies.append(finding)
    Finding.objects.bulk_create(copies)
    new_id = {old: copy.pk for old, copy in zip(old_ids, copies, strict=True)}
    links = Finding.measures.through
    links.objects.bulk_create(
        links(finding_id=new_id[finding_id], measure_id=measure_id)
        for finding_id, measure_id in links.objects.filter(finding_id__in=old_ids).values_list(
            "finding_id", "measure_id"
        )
    )


def completion_problems(assessment: Assessment) -> list[scoring.Issue]:
    """What stands in the way of completing a round (all sectors, all findings)."""
    from amparo.assessment.queries import round_ratings

    spec = assessment.matrix.spec()
    sectors = Sector.objects.filter(country=assessment.region.country).values_list(
        "code", flat=True
    )
    return scoring.consistency_issues(spec, round_ratings(assessment), sectors)


@transaction.atomic
def assessment_move(
    *, assessment: Assessment, to: str, by: User, override_reason: str = ""
) -> Assessment:
    """Move a round along draft -> in progress -> in review -> completed. Completing is
    refused, with the reasons, while sectors are unassessed or findings inconsistent,
    unless a reason to complete anyway is recorded."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if to not in ROUND_MOVES[locked.status]:
        raise ValidationError(
            _("A round cannot go from “%(from)s” to “%(to)s”.")
            % {"from": locked.get_status_display(), "to": RoundStatus(to).label}
        )
    if to == RoundStatus.COMPLETED:
        problems = completion_problems(locked)
        if problems and not override_reason.strip():
            raise ValidationError(
                [_("Cannot complete yet:")] + [describe_issue(p) for p in problems]
            )
        locked.completed_at, locked.completed_by = timezone.now(), by
        locked.completion_note = override_reason.strip() if problems else ""
    locked.status = to
    locked.save()
    return locked


def describe_issue(issue: scoring.Issue) -> str:
    if issue.kind == "sector_unassessed":
        return _("Sector %(code)s has no finding.") % {"code": issue.subject}
    if issue.kind == "residual_above_inherent":
        return _("%(code)s: the residual rating is above the inherent one.") % {
            "code": issue.subject
        }
    if issue.kind == "below_suggestion" and issue.suggested:
        return _(
            "%(code)s: the residual rating is lower than the measures in effect are expected "
            "to bring it (likelihood %(l)s, impact %(i)s)."
        ) % {"code": issue.subject, "l": issue.suggested[0], "i": issue.suggested[1]}
    return _("%(code)s: the residual rating is lower with no measure behind it.") % {
        "code": issue.subject
    }


# --- findings ----------------------------------------------------------------------------


@transaction.atomic
def finding_save(
    *,
    assessment: Assessment,
    by: User,
    finding: Finding | None = None,
    expected_version: int | None = None,
    threat: Threat | Unchanged = UNCHANGED,
    inherent_likelihood: int | Unchanged = UNCHANGED,
    inherent_impact: int | Unchanged = UNCHANGED,
    current_controls: str | Unchanged = UNCHANGED,
    residual_likelihood: int | Unchanged | None = UNCHANGED,
    residual_impact: int | Unchanged | None = UNCHANGED,
    evidence: str | Unchanged = UNCHANGED,
    evidence_source: str | Unchanged = UNCHANGED,
    confidence: str | Unchanged = UNCHANGED,
    justification: str | Unchanged = UNCHANGED,
) -> Finding:
    """Record or change a finding. Ratings must lie inside the round's matrix; a completed
    round is read-only. Fields left ``UNCHANGED`` keep their stored value (a new finding
    needs its threat and inherent ratings).

    A change made on a form states the ``expected_version`` it was loaded with and raises
    ``concurrency.VersionConflict`` (writing nothing) when someone saved meanwhile; without
    it the fields given are applied to the finding as it is now (e.g. accepting suggested
    ratings)."""
    if assessment.status == RoundStatus.COMPLETED:
        raise ValidationError(_("This round is completed; start a new round to change findings."))
    if finding is not None and expected_version is not None:
        concurrency.claim(finding, expected=expected_version)
    elif finding is not None:
        finding = concurrency.claim_current(Finding.objects.select_related("threat"), finding.pk)
    finding = finding or Finding(assessment=assessment)
    concurrency.apply_changes(
        finding,
        {
            "threat": threat,
            "inherent_likelihood": inherent_likelihood,
            "inherent_impact": inherent_impact,
            "current_controls": current_controls,
            "residual_likelihood": residual_likelihood,
            "residual_impact": residual_impact,
            "evidence": evidence,
            "evidence_source": evidence_source,
            "confidence": confidence,
            "justification": justification,
        },
    )
    finding.sector = finding.threat.sector
    spec = assessment.matrix.spec()
    errors = {}
    for field, size in (
        ("inherent_likelihood", len(spec.likelihoods)),
        ("inherent_impact", len(spec.impacts)),
        ("residual_likelihood", len(spec.likelihoods)),
        ("residual_impact", len(spec.impacts)),
    ):
        value = getattr(finding, field)
        if value is not None and not 1 <= value <= size:
            errors[field] = _("Choose a value from 1 to %(n)s.") % {"n": size}
    if errors:
        raise ValidationError(errors)
    finding.updated_by = by
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding) -> None:
    """Remove a finding (and its links to measures); a completed round is read-only."""
    status = Assessment.objects.select_for_update().get(pk=finding.assessment_id).status
    if status == RoundStatus.COMPLETED:
        raise ValidationError(_("This round is completed; its findings are kept as they are."))
    finding.delete()
