"""Field-answer import jobs move to the import pipeline's model (``imports.ImportJob``),
keeping their IDs, so submissions still point to the job that brought them in, and their
files, which stay where they were (``imports/<id>``)."""

from django.db import migrations, models
import django.db.models.deletion

# The fields both models have, by attribute name.
SHARED = [
    "id", "created_by_id", "file", "original_name", "file_format", "size", "keep_file",
    "status", "source", "rows_done", "rows_read", "rows_valid", "rows_already",
    "rows_imported", "problem_count", "problems", "unknown_columns", "finished_at",
]  # fmt: skip


def _round_type(apps, alias):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.using(alias).get_or_create(
        app_label="assessment", model="assessment"
    )[0]


def jobs_to_imports(apps, schema_editor):
    alias = schema_editor.connection.alias
    old_model = apps.get_model("questionnaires", "ImportJob")
    new_model = apps.get_model("imports", "ImportJob")
    old_jobs = list(old_model.objects.using(alias).select_related("assessment"))
    if not old_jobs:
        return
    round_type = _round_type(apps, alias)
    # Copies left by an earlier migration back and forth give way to the current rows
    # (nothing points to them yet: the submissions still point to the old table).
    new_model.objects.using(alias).filter(pk__in=[job.pk for job in old_jobs]).delete()
    new_model.objects.using(alias).bulk_create(
        new_model(
            kind="field_answers",
            region_id=job.assessment.region_id,
            target_type=round_type,
            target_id=job.assessment_id,
            **{name: getattr(job, name) for name in SHARED},
        )
        for job in old_jobs
    )
    for job in old_jobs:  # ``created_at`` is set on creation: put the original back
        new_model.objects.using(alias).filter(pk=job.pk).update(created_at=job.created_at)


def jobs_back(apps, schema_editor):
    alias = schema_editor.connection.alias
    old_model = apps.get_model("questionnaires", "ImportJob")
    new_model = apps.get_model("imports", "ImportJob")
    new_jobs = list(
        new_model.objects.using(alias).filter(
            kind="field_answers", target_type=_round_type(apps, alias)
        )
    )
    old_model.objects.using(alias).bulk_create(
        old_model(assessment_id=job.target_id, **{name: getattr(job, name) for name in SHARED})
        for job in new_jobs
    )
    for job in new_jobs:
        old_model.objects.using(alias).filter(pk=job.pk).update(created_at=job.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("imports", "0001_initial"),
        ("questionnaires", "0002_questionnaire_catalog_hash"),
    ]

    operations = [
        # Forward: copy, repoint, drop. Backward, the same in reverse: the old table is
        # made again, the jobs copied back, and then the submissions repointed.
        migrations.RunPython(jobs_to_imports, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="submission",
            name="job",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="imports.importjob",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, jobs_back),
        migrations.DeleteModel(name="ImportJob"),
    ]
