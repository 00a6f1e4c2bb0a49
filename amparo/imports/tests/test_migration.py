"""Field-answer import jobs made before the import pipeline move to it whole: same ID,
date, file and counts, and the submissions they brought in still point to them; the move
can be undone and done again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.assessment import services as assessment_services

BEFORE = [("questionnaires", "0002_questionnaire_catalog_hash")]
AFTER = [("questionnaires", "0003_import_jobs_to_the_import_pipeline")]
UPLOADED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_field_answer_jobs_move_to_the_pipeline_with_their_submissions(world) -> None:
    round_a = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    old = _migrate(BEFORE)
    old_job = old.get_model("questionnaires", "ImportJob").objects.create(
        assessment_id=round_a.pk,
        created_by_id=world.users["coordinator"].pk,
        file="imports/kept",
        original_name="kobo.csv",
        file_format="csv",
        keep_file=True,
        status="done",
        source="kobo",
        rows_read=2,
        rows_valid=1,
        rows_imported=1,
        problem_count=1,
        problems=[[3, "tur/x", "unknown_choice", "?"]],
    )
    old.get_model("questionnaires", "ImportJob").objects.filter(pk=old_job.pk).update(
        created_at=UPLOADED
    )
    old.get_model("questionnaires", "Submission").objects.create(
        assessment_id=round_a.pk, instance_id="s1", source="kobo", job=old_job, answers={}
    )

    for _ in range(2):  # forward, back, and forward again
        new = _migrate(AFTER)
        job = new.get_model("imports", "ImportJob").objects.select_related("target_type").get()
        assert (job.pk, job.kind, job.region_id, job.target_id) == (
            old_job.pk,
            "field_answers",
            world.region_a.pk,
            round_a.pk,
        )
        assert (job.target_type.app_label, job.target_type.model) == ("assessment", "assessment")
        assert (job.created_at, job.created_by_id) == (UPLOADED, world.users["coordinator"].pk)
        assert (job.file.name, job.keep_file, job.status, job.source) == (
            "imports/kept",
            True,
            "done",
            "kobo",
        )
        assert (job.rows_read, job.rows_valid, job.rows_imported, job.problems) == (
            2,
            1,
            1,
            [[3, "tur/x", "unknown_choice", "?"]],
        )
        submission = new.get_model("questionnaires", "Submission").objects.get()
        assert submission.job_id == old_job.pk
        back = _migrate(BEFORE)
        again = back.get_model("questionnaires", "ImportJob").objects.get()
        assert (again.pk, again.assessment_id, again.created_at) == (
            old_job.pk,
            round_a.pk,
            UPLOADED,
        )
        assert back.get_model("questionnaires", "Submission").objects.get().job_id == old_job.pk
    # Leave the database at the latest migrations, as the tests after this one expect.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
