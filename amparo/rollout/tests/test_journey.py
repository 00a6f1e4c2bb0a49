"""A program admin takes a region from no rollout to a launched city-wide meeting through
the pages alone, and the program page shows it."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from amparo.rollout.models import Event, Rollout
from amparo.territory.models import Organization


def _follow(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def test_a_region_goes_from_nothing_to_launched_groups(world, playbook, stages) -> None:
    client = world.client("admin")
    code = world.region_b.code
    for n in range(3):
        church = {"name": f"Iglesia {n}", "kind": "church", "city": "Pucallpa"}
        _follow(client.post(reverse("organization-create", args=[code]), church))
    churches = list(Organization.objects.filter(region=world.region_b, kind="church"))
    assert len(churches) == 3
    _follow(client.post(reverse("rollout-create", args=[code]),
                        {"playbook": playbook.pk, "started_on": "2025-01-06"}))  # fmt: skip
    rollout = Rollout.objects.get(region=world.region_b)

    start = date(2025, 1, 6)
    for stage_code in ("reuniones", "conferencia", "capacitacion", "lanzamiento"):
        stage = stages[stage_code]
        end = start + timedelta(days=stage.typical_days - 1)
        _follow(client.post(
            reverse("event-create", args=[code, rollout.pk]),
            {"stage": stage.pk, "status": "planned", "starts_on": start.isoformat(),
             "ends_on": end.isoformat(), "city": "Pucallpa"},
        ))  # fmt: skip
        event = Event.objects.get(rollout=rollout, stage=stage)
        _follow(client.post(reverse("event-complete", args=[code, event.pk])))
        if stage_code == "capacitacion":
            for church in churches:
                _follow(client.post(
                    reverse("attendance-save", args=[code, event.pk]),
                    {"organization": church.pk, "pastors": 4, "leaders": 1, "others": 0},
                ))  # fmt: skip
        next_stage = stages.get({"reuniones": "conferencia", "conferencia": "capacitacion",
                                 "capacitacion": "lanzamiento"}.get(stage_code, ""))  # fmt: skip
        gap = next_stage.min_gap_days if next_stage else 0
        start = end + timedelta(days=1 + gap)

    launch = Event.objects.get(rollout=rollout, stage=stages["lanzamiento"])
    assert launch.status == "done" and launch.override_reason == ""
    _follow(client.post(
        reverse("group-create", args=[code, rollout.pk]),
        {"church": churches[0].pk, "launch_event": launch.pk, "launched_on": launch.starts_on,
         "meeting_day": 3, "trained_leaders": 2, "status": "active"},
    ))  # fmt: skip

    board = client.get(reverse("rollout-board", args=[code, rollout.pk])).text
    assert board.count("badge ok") >= 4
    program = client.get(reverse("program")).text
    row = program[program.index("Ucayali") :]
    row = row[: row.index("</tr>")]
    assert "Reunión en toda la ciudad" in row
    numbers = [cell.strip() for cell in row.split('class="num">')[1:]]
    assert [n.split("<")[0] for n in numbers] == ["12", "3", "1", "1"]


def test_a_refused_event_shows_why_and_saves_nothing(world, playbook, stages) -> None:
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    response = world.client("coordinator").post(
        reverse("event-create", args=["PE-LOR", rollout.pk]),
        {"stage": stages["capacitacion"].pk, "status": "planned", "starts_on": "2025-05-05",
         "ends_on": "2025-05-07", "city": "Iquitos"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Conferencia de pastores" in response.text
    assert "override_reason" not in response.text  # coordinators are not offered the override
    assert not rollout.events.exists()


def test_negative_counts_and_reversed_dates_get_field_errors(world, playbook, stages) -> None:
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    client = world.client("admin")
    response = client.post(
        reverse("event-create", args=["PE-LOR", rollout.pk]),
        {"stage": stages["reuniones"].pk, "status": "planned", "starts_on": "2025-05-05",
         "ends_on": "2025-05-01", "city": "Iquitos"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "La fecha de fin no puede ser anterior" in response.text
    event = Event.objects.create(rollout=rollout, stage=stages["reuniones"], city="Iquitos",
                                 starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 5))  # fmt: skip
    church = Organization.objects.create(name="I", kind="church", region=world.region_a)
    response = client.post(
        reverse("attendance-save", args=["PE-LOR", event.pk]),
        {"organization": church.pk, "pastors": -2, "leaders": 0, "others": 0},
    )
    assert response.status_code == 422
    assert "mayor o igual a 0" in response.text
    assert not event.attendance.exists()
