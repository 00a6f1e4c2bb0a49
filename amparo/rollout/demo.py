"""Demo church-track data: two regions through the whole playbook, one under way, two not
started. Every number is synthetic (a seeded generator), every row marked ``is_demo``."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from amparo.concurrency import next_version
from amparo.rollout.models import (
    Attendance,
    Blackout,
    BlackoutKind,
    Event,
    EventStatus,
    GroupReport,
    GroupStatus,
    Playbook,
    RecoveryGroup,
    Rollout,
    Team,
    TravelTime,
)
from amparo.territory.models import Organization, OrganizationKind, Region

# region -> (stage code -> (first day, status)); days and gaps follow the playbook.
DEMO_SCHEDULE: dict[str, dict[str, tuple[date, str]]] = {
    "PE-LOR": {
        "reuniones": (date(2025, 3, 10), EventStatus.DONE),
        "conferencia": (date(2025, 4, 7), EventStatus.DONE),
        "capacitacion": (date(2025, 5, 19), EventStatus.DONE),
        "lanzamiento": (date(2025, 7, 5), EventStatus.DONE),
    },
    "PE-UCA": {
        "reuniones": (date(2025, 6, 2), EventStatus.DONE),
        "conferencia": (date(2025, 7, 14), EventStatus.DONE),
        "capacitacion": (date(2025, 9, 1), EventStatus.DONE),
        "lanzamiento": (date(2025, 10, 18), EventStatus.DONE),
    },
    "PE-SAM": {
        "reuniones": (date(2026, 9, 14), EventStatus.DONE),
        "conferencia": (date(2027, 1, 11), EventStatus.PLANNED),
    },
}
DEMO_GROUPS = {"PE-LOR": 6, "PE-UCA": 4}


@transaction.atomic
def demo_rollout_create() -> int:
    """Create (or bring back) the demo rollouts; returns the number of demo events."""
    rng = random.Random(2016)  # noqa: S311 - synthetic demo numbers, not security
    playbook = Playbook.objects.get(code="iglesias")
    stages = {s.code: s for s in playbook.stages.all()}
    homes = {r.code: r for r in Region.objects.filter(code__in=["PE-LOR", "PE-UCA"])}
    teams = [
        Team.objects.update_or_create(
            code=code,
            defaults={"name": name, "is_demo": True, "home_region": homes.get(home)},
        )[0]
        for code, name, home in (
            ("A", "Equipo A (demo)", "PE-LOR"),
            ("B", "Equipo B (demo)", "PE-UCA"),
        )
    ]
    teams[0].stages.set(stages.values())
    teams[1].stages.set([stages["reuniones"], stages["conferencia"], stages["lanzamiento"]])
    _demo_calendar()
    for index, (code, schedule) in enumerate(DEMO_SCHEDULE.items()):
        region = Region.objects.get(code=code)
        first_day = min(day for day, _ in schedule.values())
        rollout, _ = Rollout.objects.update_or_create(
            region=region, playbook=playbook, defaults={"started_on": first_day, "is_demo": True}
        )
        churches = list(
            Organization.objects.filter(region=region, kind=OrganizationKind.CHURCH, is_demo=True)
        )
        fraternity = Organization.objects.filter(
            region=region, kind=OrganizationKind.FRATERNITY, is_demo=True
        ).first()
        launch = None
        for stage_code, (starts_on, status) in schedule.items():
            stage = stages[stage_code]
            lookup = {"rollout": rollout, "stage": stage, "starts_on": starts_on}
            event, _ = Event.objects.update_or_create(
                **lookup,
                defaults={
                    "version": next_version(Event.objects.filter(**lookup)),
                    "ends_on": starts_on + timedelta(days=stage.typical_days - 1),
                    "status": status,
                    "city": region.capital,
                    "venue": "Local de la fraternidad (demo)",
                    "team": teams[index % len(teams)],
                    "is_demo": True,
                },
            )
            if status == EventStatus.DONE:
                for organization in [fraternity, *churches]:
                    Attendance.objects.update_or_create(
                        event=event,
                        organization=organization,
                        defaults={
                            "pastors": rng.randint(1, 6),
                            "leaders": rng.randint(0, 4),
                            "others": rng.randint(0, 30) if stage_code == "lanzamiento" else 0,
                        },
                    )
            if stage_code == "lanzamiento":
                launch = event
        for number, church in enumerate(churches[: DEMO_GROUPS.get(code, 0)]):
            group, _ = RecoveryGroup.objects.update_or_create(
                rollout=rollout,
                church=church,
                label="",
                defaults={
                    "launch_event": launch,
                    "launched_on": launch.starts_on,
                    "meeting_day": 1 + number % 7,
                    "trained_leaders": rng.randint(2, 4),
                    "status": GroupStatus.PAUSED if number == 3 else GroupStatus.ACTIVE,
                    "is_demo": True,
                },
            )
            month = launch.starts_on.replace(day=1)
            for _ in range(6):
                month = (month + timedelta(days=32)).replace(day=1)
                GroupReport.objects.update_or_create(
                    group=group,
                    month=month,
                    defaults={
                        "meetings_held": rng.randint(3, 4),
                        "total_attendance": rng.randint(12, 60),
                    },
                )
    return Event.objects.filter(is_demo=True).count()


# Synthetic travel days between regions (by river and road) and rainy-season blackouts.
DEMO_TRAVEL = {
    ("PE-LOR", "PE-UCA"): 3, ("PE-LOR", "PE-SAM"): 2, ("PE-LOR", "PE-MDD"): 4,
    ("PE-LOR", "PE-AMA"): 3, ("PE-UCA", "PE-SAM"): 2, ("PE-UCA", "PE-MDD"): 3,
    ("PE-UCA", "PE-AMA"): 3, ("PE-SAM", "PE-MDD"): 3, ("PE-SAM", "PE-AMA"): 1,
    ("PE-MDD", "PE-AMA"): 4,
}  # fmt: skip
DEMO_BLACKOUTS = {
    "PE-MDD": [(date(2027, 2, 1), date(2027, 3, 15))],
    "PE-AMA": [(date(2027, 1, 25), date(2027, 2, 20))],
}


def _demo_calendar() -> None:
    regions = {r.code: r for r in Region.objects.all()}
    for (a, b), days in DEMO_TRAVEL.items():
        TravelTime.objects.update_or_create(
            origin=regions[a], destination=regions[b], defaults={"days": days}
        )
    for code, windows in DEMO_BLACKOUTS.items():
        for first, last in windows:
            Blackout.objects.update_or_create(
                region=regions[code],
                first_day=first,
                defaults={
                    "last_day": last,
                    "kind": BlackoutKind.RAINY_SEASON,
                    "reason": "Temporada de lluvias (demo)",
                },
            )
