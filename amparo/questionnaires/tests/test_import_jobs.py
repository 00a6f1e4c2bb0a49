"""An import job always ends: a damaged file or an unexpected error fails it with a reason
the page shows, and the page stops refreshing itself."""

from __future__ import annotations

import io
import logging
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from amparo.imports import services
from amparo.imports.models import ImportJob
from amparo.questionnaires import import_kind, submissions
from amparo.questionnaires.models import AnswerTally, Submission
from amparo.questionnaires.tests.test_xlsform_and_import import answers_job, kobo_csv


def _xlsx(content: bytes) -> bytes:
    """The CSV as a Kobo-style workbook."""
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(content.decode())):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cut_sheet(content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part[: len(part) * 2 // 3]
            target.writestr(info.filename, part)
    return out.getvalue()


def _job(world, round_lor, name: str, content: bytes) -> ImportJob:
    return services.import_job_create(
        kind=import_kind.FIELD_ANSWERS,
        by=world.users["admin"],
        region=round_lor.region,
        target=round_lor,
        upload=SimpleUploadedFile(name, content),
    )


def test_a_damaged_workbook_fails_the_job_with_its_reason(world, round_lor) -> None:
    damaged = _cut_sheet(_xlsx(kobo_csv(round_lor, [{}] * 40)))
    job = answers_job(world, round_lor, "kobo.xlsx", damaged)
    assert job.status == "failed"
    assert job.problems[-1][2] == "damaged_file"
    page = world.client("admin").get(reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk]))
    text = page.content.decode()
    assert "el libro de Excel está dañado" in text
    assert "hx-trigger" not in text  # the page no longer polls


def test_an_unexpected_error_while_reading_fails_the_job_and_is_logged(
    world, round_lor, monkeypatch, caplog
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(submissions, "parse_submissions", broken)
    job = _job(world, round_lor, "kobo.csv", kobo_csv(round_lor, [{}]))
    with caplog.at_level(logging.ERROR, logger="amparo.imports.services"):
        job = services.import_check(job=job)
    assert (job.status, job.problem_count) == ("failed", 1)
    assert job.problems[0][2] == "read_failed" and job.finished_at is not None
    assert "disk gone" in caplog.text
    page = world.client("admin").get(reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk]))
    text = page.content.decode()
    assert "error inesperado" in text and "hx-trigger" not in text


def test_the_command_reports_a_damaged_workbook_instead_of_crashing(
    world, round_lor, tmp_path
) -> None:
    source = tmp_path / "kobo.xlsx"
    source.write_bytes(_cut_sheet(_xlsx(kobo_csv(round_lor, [{}] * 40))))
    out = StringIO()
    with pytest.raises(CommandError, match="nothing can be imported"):
        call_command(
            "import_submissions", str(source), round=round_lor.pk, user="admin", stdout=out
        )
    assert "damaged_file" in out.getvalue()
    assert Submission.objects.count() == 0


def _integer_question():
    from amparo.territory.models import Sector

    questions = Sector.objects.get(code="TUR").questionnaires.get().questions
    return questions.filter(kind="integer").first()


def test_a_huge_number_is_a_problem_of_the_preview_and_the_rest_imports(world, round_lor) -> None:
    question = _integer_question()
    content = kobo_csv(round_lor, [{question.name: "1e300"}, {question.name: "99999"}, {}])
    job = answers_job(world, round_lor, "kobo.csv", content)
    assert (job.status, job.rows_valid) == ("ready", 2)
    assert job.problems == [[2, f"tur/{question.name}", "too_large", "1e300"]]
    page = world.client("admin").get(reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk]))
    assert "un número demasiado grande" in page.content.decode()
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    job = services.import_write(job=job)
    assert (job.status, job.rows_imported) == ("done", 2)
    tally = AnswerTally.objects.get(question=question)
    assert (tally.count, tally.total) == (2, 99999 + 4)


def test_a_write_that_fails_midway_writes_nothing_and_says_why(
    world, round_lor, monkeypatch, caplog
) -> None:
    content = kobo_csv(round_lor, [{}] * 7)
    job = answers_job(world, round_lor, "kobo.csv", content)
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    monkeypatch.setattr(import_kind, "WRITE_BATCH", 2)
    written = []

    def tallies_fail(assessment, tallies):
        written.append(Submission.objects.count())  # batches were written before this
        raise RuntimeError("connection lost")

    monkeypatch.setattr(import_kind, "_add_tallies", tallies_fail)
    with caplog.at_level(logging.ERROR, logger="amparo.imports.services"):
        job = services.import_write(job=job)
    assert written == [7]
    assert Submission.objects.count() == 0 and not AnswerTally.objects.exists()
    assert (job.status, job.rows_imported, job.problems[0][2]) == ("failed", 0, "write_failed")
    assert "connection lost" in caplog.text
    page = world.client("admin").get(reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk]))
    text = page.content.decode()
    assert "se detuvo por un error inesperado" in text and "hx-trigger" not in text


def _complete(assessment) -> None:
    from amparo.assessment.models import RoundStatus

    type(assessment).objects.filter(pk=assessment.pk).update(status=RoundStatus.COMPLETED)
    assessment.refresh_from_db()


def test_a_completed_round_takes_no_upload(world, round_lor) -> None:
    _complete(round_lor)
    client = world.client("admin")
    page = client.get(reverse("questionnaires", args=["PE-LOR", round_lor.pk])).content.decode()
    assert "Esta ronda está completada" in page
    assert reverse("import-upload", args=["PE-LOR", round_lor.pk]) not in page
    response = client.post(
        reverse("import-upload", args=["PE-LOR", round_lor.pk]),
        {"file": SimpleUploadedFile("k.csv", kobo_csv(round_lor, [{}]))},
        follow=True,
    )
    assert "Esta ronda está completada" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_checked_before_the_round_was_completed_is_not_imported(world, round_lor) -> None:
    job = answers_job(world, round_lor, "k.csv", kobo_csv(round_lor, [{}]))
    _complete(round_lor)
    with pytest.raises(services.ValidationError, match="completada"):
        services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    job.refresh_from_db()
    assert job.status == "ready"


def test_a_round_completed_between_confirmation_and_write_gets_nothing(world, round_lor) -> None:
    job = answers_job(world, round_lor, "k.csv", kobo_csv(round_lor, [{}]))
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    _complete(round_lor)
    job = services.import_write(job=job)
    assert (job.status, job.problems[0][2]) == ("failed", "round_completed")
    assert Submission.objects.count() == 0


def test_the_page_shows_how_far_the_write_has_come(world, round_lor, monkeypatch) -> None:
    job = answers_job(world, round_lor, "k.csv", kobo_csv(round_lor, [{}] * 9))
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 4)
    url = reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk])
    client = world.client("admin")
    seen = []
    add_tallies = import_kind._add_tallies

    def look_at_the_page(assessment, tallies):
        seen.append(client.get(url).content.decode())  # while the write is still open
        add_tallies(assessment, tallies)

    monkeypatch.setattr(import_kind, "_add_tallies", look_at_the_page)
    job = services.import_write(job=job)
    assert job.status == "done"
    assert "8 de 9 filas procesadas hasta ahora" in seen[0] and "hx-trigger" in seen[0]
    # Once done, the page no longer reports progress nor leaves a file behind.
    assert services.import_progress(job) == job.rows_done
    assert not list((services._writing_progress_path(job)).parent.glob("*.progress"))


def test_the_command_tells_a_focal_point_who_imports_field_answers(
    world, round_lor, tmp_path
) -> None:
    # It used to read the file and refuse every row as "a region you cannot import into".
    source = tmp_path / "kobo.csv"
    source.write_bytes(kobo_csv(round_lor, [{}]))
    rule = "Solo los coordinadores de la región y los administradores del programa importan"
    with pytest.raises(CommandError, match=rule):
        call_command("import_submissions", str(source), round=round_lor.pk, user="focal")
    assert not ImportJob.objects.exists() and Submission.objects.count() == 0


@pytest.mark.parametrize("content", [b"a,b\n1,2\n", b",,\n1,2\n"], ids=["columns", "empty"])
def test_the_command_refuses_a_file_without_its_columns_cleanly(
    world, round_lor, tmp_path, content
) -> None:
    # No "Exception ignored in: <generator object csv_rows>" before the message: the
    # project's test settings make such an unraisable exception fail this test.
    source = tmp_path / "kobo.csv"
    source.write_bytes(content)
    out = StringIO()
    with pytest.raises(CommandError, match="nothing can be imported"):
        call_command(
            "import_submissions", str(source), round=round_lor.pk, user="admin", stdout=out
        )
    assert ("missing_column" if content.startswith(b"a") else "empty_file") in out.getvalue()


def test_a_row_of_another_region_is_named_as_such(world, round_lor) -> None:
    content = kobo_csv(round_lor, [{}, {}]).replace(b"PE-LOR", b"PE-UCA", 1)  # the first row
    job = answers_job(world, round_lor, "k.csv", content)
    assert (job.rows_valid, job.problems) == (
        1,
        [[2, "amparo_region", "region_not_allowed", "PE-UCA"]],
    )
    page = world.client("admin").get(reverse("import-job", args=["PE-LOR", round_lor.pk, job.pk]))
    assert "una región distinta de la de la ronda" in page.content.decode()
