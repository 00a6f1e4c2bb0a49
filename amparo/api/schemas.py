"""The shapes the API speaks (pydantic models via django-ninja)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


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
    pastors: int
    leaders: int
    others: int


class EventOut(Schema):
    id: int
    region: str
    rollout_id: int
    stage: str
    status: str
    starts_on: date
    ends_on: date
    city: str
    team: str | None
    attendance: list[AttendanceOut]
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
    def resolve_attendance(obj) -> list:
        return list(obj.attendance.all())


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
    status: str
    due_on: date | None
    finding_ids: list[int]
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
    value: Decimal
    source: str
    updated_at: datetime

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
