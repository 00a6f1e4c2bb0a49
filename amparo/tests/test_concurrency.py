"""The version check through the services: of two saves based on the same version only the
first wins, and every other change moves the version on."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import transaction

from amparo import concurrency
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.assessment.tests.conftest import add_finding, round_a, threats  # noqa: F401
from amparo.concurrency import VersionConflict
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Measure
from amparo.rollout import services as rollout_services
from amparo.rollout.models import Event
from amparo.rollout.tests.conftest import make_event, playbook, rollout_a, stages  # noqa: F401


def test_of_two_saves_from_the_same_version_only_the_first_wins(world, round_a) -> None:  # noqa: F811
    threat = Threat.objects.get(code="TUR-01")
    stored = add_finding(round_a, threat)
    # Two people's copies, both loaded at version 1.
    mine, theirs = Finding.objects.get(pk=stored.pk), Finding.objects.get(pk=stored.pk)
    assessment_services.finding_save(
        assessment=round_a, by=world.users["coordinator"], finding=theirs,
        expected_version=1, evidence="theirs",
    )  # fmt: skip
    with pytest.raises(VersionConflict) as raised:
        assessment_services.finding_save(
            assessment=round_a, by=world.users["focal"], finding=mine,
            expected_version=1, evidence="mine",
        )  # fmt: skip
    assert (raised.value.expected, raised.value.stored) == (1, 2)
    stored.refresh_from_db()
    assert (stored.evidence, stored.version, stored.updated_by) == (
        "theirs",
        2,
        world.users["coordinator"],
    )
    assert stored.history.count() == 2  # created, then the one change that won


def test_a_copy_loaded_at_another_version_than_claimed_is_refused(world, round_a) -> None:  # noqa: F811
    finding = add_finding(round_a, Threat.objects.get(code="TUR-01"))
    with pytest.raises(VersionConflict):
        assessment_services.finding_save(
            assessment=round_a, by=world.users["admin"], finding=finding,
            expected_version=7, evidence="x",
        )  # fmt: skip
    finding.refresh_from_db()
    assert (finding.version, finding.evidence) == (1, "")


def test_claiming_needs_the_saving_transaction(world, round_a) -> None:  # noqa: F811
    finding = add_finding(round_a, Threat.objects.get(code="TUR-01"))
    # pytest-django wraps each test in a transaction; step outside it explicitly.
    connection = transaction.get_connection()
    atomic, connection.in_atomic_block = connection.in_atomic_block, False
    try:
        with pytest.raises(RuntimeError):
            concurrency.claim(finding, expected=1)
    finally:
        connection.in_atomic_block = atomic


def test_changes_without_a_form_move_the_version_on(world, round_a, rollout_a, stages) -> None:  # noqa: F811
    finding = add_finding(round_a, Threat.objects.get(code="TUR-01"))
    saved = assessment_services.finding_save(
        assessment=round_a, by=world.users["admin"], finding=finding, inherent_likelihood=2
    )
    assert saved.version == 2 and Finding.objects.get(pk=finding.pk).version == 2

    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="m"
    )
    moved = mitigation_services.measure_move(
        measure=measure, to="drafting", by=world.users["coordinator"]
    )
    assert moved.version == 2 and Measure.objects.get(pk=measure.pk).version == 2

    event = make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="planned")
    rollout_services.event_complete(event=event, by=world.users["coordinator"])
    assert Event.objects.get(pk=event.pk).version == 2
    rollout_services.event_cancel(event=event, by=world.users["coordinator"])
    assert Event.objects.get(pk=event.pk).version == 3


def test_a_lifecycle_action_applies_to_the_current_row_not_a_stale_copy(
    world,
    rollout_a,  # noqa: F811
    stages,  # noqa: F811
) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="planned")
    stale = Event.objects.get(pk=event.pk)
    rollout_services.event_save(
        rollout=rollout_a, by=world.users["coordinator"], event=event,
        expected_version=1, notes="agreed venue",
    )  # fmt: skip
    rollout_services.event_complete(event=stale, by=world.users["coordinator"])
    event.refresh_from_db()
    assert (event.status, event.notes, event.version) == ("done", "agreed venue", 3)


def test_a_cloned_round_starts_its_findings_at_version_one(world, round_a) -> None:  # noqa: F811
    finding = add_finding(round_a, Threat.objects.get(code="TUR-01"))
    assessment_services.finding_save(
        assessment=round_a, by=world.users["admin"], finding=finding,
        expected_version=1, evidence="e",
    )  # fmt: skip
    second = assessment_services.assessment_start(region=world.region_a, clone_previous=True)
    assert [f.version for f in second.findings.all()] == [1]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite serializes whole transactions; the row lock is PostgreSQL's",
)
def test_two_simultaneous_saves_on_two_connections_cannot_both_win(transactional_db) -> None:
    """Two connections claim version 1 of the same row at once: the second waits for the
    first's row lock, then finds the version moved on and gets the conflict."""
    import threading
    import time

    from django.db import connections

    from amparo.territory.models import Region, Sector

    region = Region.objects.create(code="PE-LOR", name="Loreto", capital="Iquitos", country="PE")
    sector = Sector.objects.create(code="TUR", name_es="Turismo", name_en="Tourism", country="PE")
    measure = Measure.objects.create(region=region, sector=sector, kind="policy", title="t")
    first_holds_the_row = threading.Event()
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        try:
            copy = Measure.objects.get(pk=measure.pk)
            if name == "second":
                first_holds_the_row.wait(5)
            with transaction.atomic():
                concurrency.claim(copy, expected=1)
                if name == "first":
                    first_holds_the_row.set()
                    time.sleep(0.5)  # the second is now blocked on the row lock
            outcomes[name] = "saved"
        except VersionConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes == {"first": "saved", "second": "conflict"}
    assert Measure.objects.get(pk=measure.pk).version == 2


def test_only_the_arguments_given_are_applied_to_the_row() -> None:
    finding = Finding(evidence="stored", inherent_likelihood=3, residual_likelihood=2)
    changed = concurrency.apply_changes(
        finding,
        {
            "evidence": "new",
            "residual_likelihood": None,
            "inherent_likelihood": concurrency.UNCHANGED,
        },
    )
    assert changed == {"evidence", "residual_likelihood"}
    assert (finding.evidence, finding.residual_likelihood, finding.inherent_likelihood) == (
        "new",
        None,
        3,
    )
