"""Descriptions written before they came in two languages stay, as the Spanish text."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("rollout", "0004_event_version_historicalevent_version_and_more")]
AFTER = [("rollout", "0005_playbook_and_stage_descriptions_in_both_languages")]


@pytest.mark.django_db(transaction=True)
def test_an_existing_description_becomes_the_spanish_one() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    playbook = old.get_model("rollout", "Playbook").objects.create(
        code="iglesias", name_es="Iglesias", name_en="Churches", description="Con las iglesias"
    )
    old.get_model("rollout", "Stage").objects.create(
        playbook=playbook, code="r", order=1, kind="other", name_es="R", name_en="R",
        description="Reuniones",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("rollout", "Playbook").objects.get(code="iglesias")
    assert (moved.description_es, moved.description_en) == ("Con las iglesias", "")
    stage = new.get_model("rollout", "Stage").objects.get(code="r")
    assert (stage.description_es, stage.description_en) == ("Reuniones", "")
    # Leave the database at the latest migrations, as the tests after this one expect.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
