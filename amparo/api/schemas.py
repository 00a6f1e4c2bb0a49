"""The shapes the API speaks (pydantic models via django-ninja)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

from amparo.concurrency import UNCHANGED
from amparo.conflicts import MAX_VERSION
from amparo.disclosure import track
from amparo.disclosure.release import (
    Release,
    church_lists,
    event_training_month,
    request_church_lists,
    request_release,
)

PENDING_DESCRIPTION = (
    "While the protection is being worked out after a data change every count is hidden "
    "(but those of the regions whose details the user sees) and responses carry "
    "`Amparo-Protection: pending` and `Retry-After: 120`: ask again later."
)


def _release(context: dict | None, obj: object) -> Release:
    """The reader's release (``amparo.disclosure.release``): the same cells are hidden in
    the API as on the pages, in downloads and in reports. Outside a response (a conflict's
    current values) the object carries it."""
    if context and context.get("request") is not None:
        return request_release(context["request"])
    found = getattr(obj, "release", None)
    if found is None:
        raise ValueError("no reader to hide counts for")
    return found


class ErrorOut(Schema):
    error: str
    detail: Any = None


class RegionOut(Schema):
    code: str
    name: str
    capital: str
    country: str


class SectorOut(Schema):
    code: str
    name_es: str
    name_en: str
    counterpart: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    sector: str | None
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_sector(obj) -> str | None:
        return obj.sector.code if obj.sector else None


class AttendanceOut(Schema):
    organization_id: int
    pastors: int | None = Field(description="null when hidden")
    leaders: int | None = Field(description="null when hidden")
    others: int | None = Field(description="null when hidden")
    suppressed: bool = Field(
        description="true when a count is hidden (null) to protect small counts: one "
        "under k, or one that would let such a count be worked out (docs/disclosure.md). "
        + PENDING_DESCRIPTION
    )
    hidden: bool = Field(description="the same as suppressed")


class EventOut(Schema):
    id: int
    region: str
    rollout_id: int
    stage: str
    status: str
    starts_on: date
    ends_on: date
    city: str
    venue: str
    team: str | None
    notes: str
    attendance: list[AttendanceOut] = Field(
        description="per church or fraternity; empty when the number of churches at a done "
        "leader training is a count hidden to protect small counts"
    )
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.rollout.region.code

    @staticmethod
    def resolve_stage(obj) -> str:
        return obj.stage.code

    @staticmethod
    def resolve_team(obj) -> str | None:
        return obj.team.code if obj.team else None

    @staticmethod
    def resolve_attendance(obj, context) -> list[dict]:
        release = _release(context, obj)
        region = obj.rollout.region.code
        if context and context.get("request") is not None:
            listed = request_church_lists(context["request"])
        else:
            listed = church_lists(release)
        if not listed(region, event_training_month(obj)):
            return []  # the churches listed would be counted: that count is hidden
        rows = []
        for row in obj.attendance.all():
            counts = {k: getattr(row, k) for k in track.COLUMNS}
            hidden = {
                k
                for k in counts
                if release.hides(track.event_cell(region, obj.pk, k, row.organization_id))
            }
            rows.append(
                {
                    "organization_id": row.organization_id,
                    **{k: None if k in hidden else v for k, v in counts.items()},
                    "suppressed": bool(hidden),
                    "hidden": bool(hidden),
                }
            )
        return rows


class StageStatusOut(Schema):
    code: str
    name_es: str
    name_en: str
    state: str = Field(description="not_started | planned | done")
    first_day: date | None
    last_day: date | None
    waiting_for: list[str] = Field(description="codes of prerequisite stages not done yet")


class RolloutOut(Schema):
    id: int
    region: str
    playbook: str
    started_on: date | None
    stages: list[StageStatusOut] = Field(description="the playbook's stages, in order")
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_playbook(obj) -> str:
        return obj.playbook.code


class AssessmentOut(Schema):
    id: int
    region: str
    number: int
    status: str
    started_on: date
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class FindingOut(Schema):
    id: int
    region: str
    round_id: int
    sector: str
    threat: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int | None
    residual_impact: int | None
    confidence: str
    evidence: str | None = None  # only for those who may see the region's details
    justification: str | None = None
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.assessment.region.code

    @staticmethod
    def resolve_round_id(obj) -> int:
        return obj.assessment_id

    @staticmethod
    def resolve_sector(obj) -> str:
        return obj.sector.code

    @staticmethod
    def resolve_threat(obj) -> str:
        return obj.threat.code

    @staticmethod
    def resolve_evidence(obj) -> str | None:
        return obj.evidence if getattr(obj, "see_detail", False) else None

    @staticmethod
    def resolve_justification(obj) -> str | None:
        return obj.justification if getattr(obj, "see_detail", False) else None


class MeasureOut(Schema):
    id: int
    region: str
    sector: str
    kind: str
    title: str
    description: str
    status: str
    starts_on: date | None
    due_on: date | None
    lowers_likelihood: int
    lowers_impact: int
    finding_ids: list[int]
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_sector(obj) -> str:
        return obj.sector.code

    @staticmethod
    def resolve_finding_ids(obj) -> list[int]:
        return [f.pk for f in obj.findings.all()]


class IndicatorOut(Schema):
    code: str
    name_es: str
    name_en: str
    level: str
    unit: str
    direction: str
    aggregation: str
    frequency: str
    computed: bool

    @staticmethod
    def resolve_computed(obj) -> bool:
        return not obj.typed


class ObservationOut(Schema):
    id: int
    indicator: str
    region: str
    period: date
    disaggregation: str
    value: Decimal | None = Field(description="null when hidden")
    suppressed: bool = Field(
        description="true when a count is hidden (null) to protect small counts: one under "
        "k, or one that would let such a count be worked out from the values the user can "
        "see anywhere (docs/disclosure.md). " + PENDING_DESCRIPTION
    )
    hidden: bool = Field(description="the same as suppressed")
    source: str
    updated_at: datetime

    @staticmethod
    def resolve_value(obj, context) -> Decimal | None:
        return None if _release(context, obj).observation_hidden(obj) else obj.value

    @staticmethod
    def resolve_suppressed(obj, context) -> bool:
        return _release(context, obj).observation_hidden(obj)

    @staticmethod
    def resolve_hidden(obj, context) -> bool:
        return _release(context, obj).observation_hidden(obj)

    @staticmethod
    def resolve_indicator(obj) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class ObservationIn(Schema):
    indicator: str
    region: str
    period: str
    value: str
    disaggregation: str = ""
    source: str = ""
    note: str = ""


class ImportedOut(Schema):
    imported: int


# --- changes (PATCH): only the fields sent are changed ----------------------------------


def _storable(text: str) -> str:
    """Text a database can hold: no NUL character, no unpaired surrogate."""
    if "\x00" in text:
        raise ValueError("text cannot contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text must be valid Unicode") from error
    return text


Text = Annotated[str, AfterValidator(_storable)]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
Rating = Annotated[int, Field(ge=1, le=99)]
# Far enough either way for any real plan; date arithmetic near year 9999 would overflow.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]


class VersionedPatch(Schema):
    """A change to a row that carries a version: the one the client last read, and the
    fields it sends."""

    def sent(self, name: str) -> object:
        """The value sent for the field ``name`` (``null`` included), or ``UNCHANGED`` when
        the client left it out, so that the service keeps the stored value."""
        if name not in type(self).model_fields:
            raise AttributeError(name)
        return getattr(self, name) if name in self.model_fields_set else UNCHANGED


class FindingPatch(VersionedPatch):
    """Ratings and evidence of a finding; ``version`` is the one the client last read."""

    version: Version
    inherent_likelihood: Rating = None
    inherent_impact: Rating = None
    residual_likelihood: Rating | None = None
    residual_impact: Rating | None = None
    current_controls: Text = None
    evidence: Text = None
    evidence_source: Annotated[Text, Field(max_length=300)] = None
    confidence: Annotated[Text, Field(max_length=10)] = None
    justification: Text = None


class MeasurePatch(VersionedPatch):
    """Text, dates and expected effect of a measure (its status moves on the pages)."""

    version: Version
    title: Annotated[Text, Field(min_length=1, max_length=200)] = None
    description: Text = None
    starts_on: Day | None = None
    due_on: Day | None = None
    lowers_likelihood: Annotated[int, Field(ge=0, le=4)] = None
    lowers_impact: Annotated[int, Field(ge=0, le=4)] = None


class EventPatch(VersionedPatch):
    """Dates, place and notes of an event (completing and cancelling are page actions)."""

    version: Version
    starts_on: Day = None
    ends_on: Day = None
    city: Annotated[Text, Field(min_length=1, max_length=100)] = None
    venue: Annotated[Text, Field(max_length=200)] = None
    notes: Text = None


class AlignedMeasureOut(Schema):
    id: int
    region: str
    sector: str
    kind: str
    title: str
    status: str


class AlignmentEntryOut(Schema):
    tag: str  # PNFTP:L1.1
    kind: str
    name_es: str
    name_en: str
    verified: bool
    regional_role: str
    provider: str
    state: str  # covered, in_progress, not_covered
    measures: list[AlignedMeasureOut]


class AlignmentOut(Schema):
    regions: list[str]
    covered: int
    in_progress: int
    not_covered: int
    entries: list[AlignmentEntryOut]
