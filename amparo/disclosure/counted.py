"""The counted data a protection covers: its version (which changes with every edit of a
counted row) and the whole table of counts, read from the database."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

from amparo.disclosure import relations, track
from amparo.disclosure.audience import Audience
from amparo.disclosure.model import CellKey, Table
from amparo.indicators.models import Indicator, Observation, Unit
from amparo.territory.models import OrganizationKind


def data_version() -> str:
    """Changes whenever a counted row is added, removed or changed: counts, latest change
    and sums of the source tables, in one query (a bulk ``update()`` leaves ``updated_at``
    as it was, the sums catch it)."""
    return data_state()[0]


def data_state() -> tuple[str, int]:
    """``data_version`` and the size of the protection's work (observations plus
    attendance rows, ``stored.data_small``), from the same query. Attendance rows and
    group reports have no time of change: their history's latest record marks every edit
    (a sum alone misses one that moves people between columns). Organizations and stages
    count through which are churches and leader trainings (``track_facts``)."""
    from amparo.rollout.models import (
        Attendance,
        Event,
        GroupReport,
        RecoveryGroup,
        Stage,
        StageKind,
    )
    from amparo.territory.models import Organization

    def table(model: type) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def ids_of(kind: str) -> str:
        return f"SUM(CASE WHEN kind = '{kind}' THEN id ELSE 0 END)"

    measures = [
        (Observation, "COUNT(*)"),
        (Observation, "MAX(updated_at)"),
        (Observation, "SUM(value)"),
        (Event, "COUNT(*)"),
        (Event, "MAX(updated_at)"),
        (RecoveryGroup, "COUNT(*)"),
        (RecoveryGroup, "MAX(updated_at)"),
        (Attendance, "COUNT(*)"),
        (Attendance, "MAX(id)"),
        (Attendance, "SUM(pastors + 3 * leaders + 7 * others)"),
        (Attendance.history.model, "MAX(history_id)"),
        (GroupReport, "COUNT(*)"),
        (GroupReport, "SUM(meetings_held + 3 * total_attendance)"),
        (GroupReport.history.model, "MAX(history_id)"),
        (Organization, ids_of(OrganizationKind.CHURCH)),
        (Stage, ids_of(StageKind.LEADER_TRAINING)),
        (Indicator, "COUNT(*)"),
        (Indicator, "SUM(LENGTH(code || unit || aggregation || frequency || computed_from))"),
    ]
    # One round trip: a row of scalar subqueries (table names come from the models).
    columns = [f"(SELECT {expr} FROM {table(model)})" for model, expr in measures]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        rows = cursor.fetchall()
    size = (rows[0][0] or 0) + (rows[0][7] or 0)  # observations and attendance rows
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:20], size


def counts_table(audience: Audience) -> Table:
    """Every count amparo publishes, with the relations between them: the observations
    (``relations.build``: months and years, regions and the program, groups of people)
    and the church track (``track.track_table``)."""
    built = relations.build(observation_rows(), indicator_shapes())
    values: dict[CellKey, float] = dict(built.table.values)
    track_values, track_constraints = track.track_table(track_facts(), computed_codes())
    values.update(track_values)
    known = frozenset(c for c in values if audience.knows(c))
    return Table(
        values,
        (*built.table.constraints, *track_constraints),
        weights={**relations.default_weights(track_values), **built.table.weights},
        known=known - built.table.derived,
        derived=built.table.derived,
    )


def computed_codes() -> dict[str, str]:
    return dict(
        Indicator.objects.exclude(computed_from="")
        .filter(unit=Unit.COUNT)
        .values_list("computed_from", "code")
    )


def indicator_shapes() -> dict[str, relations.Shape]:
    """The typed indicators and what amparo does with their values (computed ones are the
    church track's, ``track``)."""
    return {
        code: relations.Shape(aggregation, unit, frequency)
        for code, aggregation, unit, frequency in Indicator.objects.filter(
            computed_from=""
        ).values_list("code", "aggregation", "unit", "frequency")
    }


def observation_rows() -> list[relations.Row]:
    return [
        relations.Row(code, region, period, disaggregation, float(value))
        for code, region, period, disaggregation, value in Observation.objects.filter(
            indicator__unit=Unit.COUNT, indicator__computed_from=""
        ).values_list("indicator__code", "region__code", "period", "disaggregation", "value")
    ]


def track_facts() -> track.TrackFacts:
    """The church track's counts, in four queries."""
    from amparo.rollout.models import (
        Attendance,
        EventStatus,
        GroupReport,
        GroupStatus,
        RecoveryGroup,
        StageKind,
    )

    attendance = tuple(
        track.AttendanceRow(
            region,
            event_id,
            organization_id,
            (pastors, leaders, others),
            ends_on.replace(day=1) if status == EventStatus.DONE and kind == training else None,
            org_kind == OrganizationKind.CHURCH,
        )
        for training in [StageKind.LEADER_TRAINING]
        for (
            region,
            event_id,
            organization_id,
            pastors,
            leaders,
            others,
            ends_on,
            status,
            kind,
            org_kind,
        ) in Attendance.objects.values_list(
            "event__rollout__region__code",
            "event",
            "organization",
            "pastors",
            "leaders",
            "others",
            "event__ends_on",
            "event__status",
            "event__stage__kind",
            "organization__kind",
        )
    )
    launched = tuple(
        (region, on.replace(day=1))
        for region, on in RecoveryGroup.objects.values_list("rollout__region__code", "launched_on")
    )
    active_now = tuple(
        RecoveryGroup.objects.filter(status=GroupStatus.ACTIVE)
        .values("rollout__region__code")
        .annotate(n=Count("pk"))
        .values_list("rollout__region__code", "n")
    )
    active_by_month = tuple(
        (r["group__rollout__region__code"], _as_date(r["m"]), r["n"])
        for r in GroupReport.objects.filter(meetings_held__gt=0)
        .annotate(m=TruncMonth("month"))
        .values("group__rollout__region__code", "m")
        .annotate(n=Count("group", distinct=True))
    )
    return track.TrackFacts(attendance, launched, active_now, active_by_month)


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[return-value]
