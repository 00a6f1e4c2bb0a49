"""The exported form converts cleanly with pyxform, and its submissions come back in:
preview first, then one transaction; a re-import adds nothing."""

from __future__ import annotations

import csv
import io
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyxform.xls2xform import convert

from amparo.assessment.models import Finding
from amparo.imports import services
from amparo.imports.models import ImportJob
from amparo.questionnaires import xlsform
from amparo.questionnaires.form_export import form_spec, xlsform_bytes
from amparo.questionnaires.import_kind import FIELD_ANSWERS, import_context
from amparo.questionnaires.models import AnswerTally, Submission
from amparo.questionnaires.suggestions import rating_suggestion
from amparo.territory.models import Sector


def _convert(content: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(content), warnings=warnings, file_type=".xlsx")
    return result.xform, warnings


def test_every_sector_form_and_the_all_sectors_form_convert_without_warnings(round_lor) -> None:
    for sector in Sector.objects.all():
        spec = form_spec(sectors=[sector], assessment=round_lor)
        xform, warnings = _convert(xlsform_bytes(spec))
        assert warnings == [], sector.code
        assert f'id="amparo_{sector.code.lower()}"' in xform
    spec = form_spec(sectors=list(Sector.objects.all()), assessment=round_lor)
    xform, warnings = _convert(xlsform_bytes(spec))
    assert warnings == []
    assert "'PE-LOR'" in xform and 'lang="Español (es)"' in xform and 'lang="English (en)"' in xform


def test_the_form_has_the_three_sheets_labels_in_both_languages_and_a_version(round_lor) -> None:
    spec = form_spec(sectors=[Sector.objects.get(code="TUR")], assessment=round_lor)
    sheets = xlsform.build_sheets(spec)
    assert set(sheets) == {"survey", "choices", "settings"}
    assert (
        "label::Español (es)" in sheets["survey"][0]
        and "label::English (en)" in sheets["survey"][0]
    )
    settings_row = dict(zip(sheets["settings"][0], sheets["settings"][1], strict=True))
    assert settings_row["form_id"] == "amparo_tur"
    assert settings_row["default_language"] == "Español (es)"
    assert settings_row["version"] == (
        f"{xlsform.questions_version(spec.groups)}-pe-lor-r{round_lor.number}"
    )


def test_forms_of_two_regions_never_share_an_id_and_version(round_lor, catalog) -> None:
    # ODK Central keeps one definition per form id and version.
    tourism = [Sector.objects.get(code="TUR")]
    loreto = form_spec(sectors=tourism, assessment=round_lor)
    any_region = form_spec(sectors=tourism, assessment=None)
    assert loreto.form_id == any_region.form_id
    assert xlsform.form_version(loreto) != xlsform.form_version(any_region)
    assert xlsform.form_version(any_region).endswith("-all")


def test_the_version_changes_when_a_question_changes(round_lor) -> None:
    sector = Sector.objects.get(code="TUR")
    before = form_spec(sectors=[sector], assessment=round_lor)
    question = sector.questionnaires.get().questions.first()
    question.label_es += " (revisada)"
    question.save()
    after = form_spec(sectors=[sector], assessment=round_lor)
    assert xlsform.questions_version(before.groups) != xlsform.questions_version(after.groups)


def test_a_form_without_a_round_lets_the_interviewer_choose_the_region(catalog) -> None:
    spec = form_spec(sectors=[Sector.objects.get(code="EDU")], assessment=None)
    xform, warnings = _convert(xlsform_bytes(spec))
    assert warnings == [] and "PE-MDD" in xform


def kobo_csv(round_lor, rows: list[dict[str, str]], version: str | None = None) -> bytes:
    """A KoboToolbox CSV export of the tourism form of ``round_lor``: a row per dict of
    answers by question name (unnamed questions get their first choice, 4 or a text)."""
    sector = Sector.objects.get(code="TUR")
    spec = form_spec(sectors=[sector], assessment=round_lor)
    questions = sector.questionnaires.get().questions.all()
    header = [
        "start",
        "amparo_region",
        "amparo_round",
        "amparo_version",
        *[f"tur/{q.name}" for q in questions],
        "meta/instanceID",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, values in enumerate(rows, start=1):
        answers = []
        for q in questions:
            if q.name in values:
                answers.append(values[q.name])
            elif q.kind in ("choice", "yes_no"):
                answers.append(q.choices[0]["name"])
            elif q.kind == "integer":
                answers.append("4")
            else:
                answers.append("texto")
        writer.writerow(
            [
                "2027-01-01",
                "PE-LOR",
                str(round_lor.number),
                version or xlsform.questions_version(spec.groups),
                *answers,
                f"uuid:s{n}",
                str(n),
                f"s{n}",
                "2027-01-02T10:00:00",
                str(n),
            ]
        )
    return buffer.getvalue().encode()


def answers_job(world, round_lor, name: str, content: bytes, role: str = "admin") -> ImportJob:
    """An upload of field answers into ``round_lor`` by ``role``, checked."""
    job = services.import_job_create(
        kind=FIELD_ANSWERS,
        by=world.users[role],
        region=round_lor.region,
        target=round_lor,
        upload=SimpleUploadedFile(name, content),
    )
    return services.import_check(job=job)


def test_upload_preview_confirm_and_reimport(world, round_lor) -> None:
    from amparo.accounts.models import Membership

    Membership.objects.create(
        user=world.users["outsider"], role="coordinator", region=round_lor.region
    )
    client = world.client("outsider")
    first_choice = (
        Sector.objects.get(code="TUR").questionnaires.get().questions.filter(kind="choice").first()
    )
    content = kobo_csv(round_lor, [{}, {}, {first_choice.name: "not-a-choice"}])
    url = reverse("import-upload", args=["PE-LOR", round_lor.pk])
    response = client.post(url, {"file": SimpleUploadedFile("kobo.csv", content)})
    job = ImportJob.objects.get()
    assert response.url.endswith(f"/imports/{job.pk}/")
    assert (job.status, job.rows_read, job.rows_valid, job.problem_count) == ("ready", 3, 2, 1)
    assert Submission.objects.count() == 0  # the preview writes nothing
    page = client.get(response.url).content.decode()
    assert "no es una de las opciones" in page and f"tur/{first_choice.name}" in page
    client.post(reverse("import-confirm", args=["PE-LOR", round_lor.pk, job.pk]))
    job.refresh_from_db()
    assert (job.status, job.rows_imported) == ("done", 2)
    assert Submission.objects.count() == 2
    assert not job.file  # not kept unless asked
    tally = AnswerTally.objects.get(question=first_choice, value=first_choice.choices[0]["name"])
    assert tally.count == 2
    # The same file again adds nothing.
    client.post(url, {"file": SimpleUploadedFile("kobo.csv", content)})
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert (again.rows_valid, again.rows_already) == (2, 2)
    client.post(reverse("import-confirm", args=["PE-LOR", round_lor.pk, again.pk]))
    assert Submission.objects.count() == 2
    assert AnswerTally.objects.get(pk=tally.pk).count == 2


def test_only_coordinators_and_admins_import(world, round_lor) -> None:
    from amparo.accounts.models import Membership

    Membership.objects.create(user=world.users["outsider"], role="viewer", region=round_lor.region)
    url = reverse("import-upload", args=["PE-LOR", round_lor.pk])
    content = kobo_csv(round_lor, [{}])
    assert (
        world.client("outsider")
        .post(url, {"file": SimpleUploadedFile("k.csv", content)})
        .status_code
        == 403
    )
    assert (
        world.client("focal").post(url, {"file": SimpleUploadedFile("k.csv", content)}).status_code
        == 403
    )
    assert not ImportJob.objects.exists()


def test_the_answers_suggest_ratings_that_can_be_accepted(world, round_lor) -> None:
    sector = Sector.objects.get(code="TUR")
    rated = sector.questionnaires.get().questions.exclude(rates="").exclude(threat=None).first()
    worst = max(rated.choices, key=lambda c: c["rating"] or 0)
    content = kobo_csv(round_lor, [{rated.name: worst["name"]}] * 3)
    job = answers_job(world, round_lor, "k.csv", content)
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    services.import_write(job=job)
    suggestion = rating_suggestion(round_lor, rated.threat)
    assert suggestion.answers >= 3
    finding = Finding.objects.create(
        assessment=round_lor,
        threat=rated.threat,
        sector=sector,
        inherent_likelihood=1,
        inherent_impact=1,
    )
    client = world.client("admin")
    url = reverse("finding-detail", args=["PE-LOR", round_lor.pk, finding.pk])
    assert "Lo que sugieren las respuestas" in client.get(url).content.decode()
    client.post(reverse("accept-suggestion", args=["PE-LOR", round_lor.pk, finding.pk]))
    finding.refresh_from_db()
    dimension = "inherent_likelihood" if rated.rates == "likelihood" else "inherent_impact"
    assert getattr(finding, dimension) == getattr(suggestion, rated.rates)


def test_the_commands_export_and_import(world, round_lor, tmp_path) -> None:
    out = tmp_path / "form.xlsx"
    call_command(
        "export_xlsform", sector="TUR", round=round_lor.pk, output=str(out), stdout=StringIO()
    )
    assert _convert(out.read_bytes())[1] == []
    source = tmp_path / "kobo.csv"
    source.write_bytes(kobo_csv(round_lor, [{}, {}]))
    call_command(
        "import_submissions",
        str(source),
        round=round_lor.pk,
        user="admin",
        dry_run=True,
        stdout=(dry := StringIO()),
    )
    assert "valid 2" in dry.getvalue() and Submission.objects.count() == 0
    call_command(
        "import_submissions",
        str(source),
        round=round_lor.pk,
        user="admin",
        stdout=(real := StringIO()),
    )
    assert "imported 2" in real.getvalue() and Submission.objects.count() == 2


def test_another_countrys_questionnaires_leave_a_regions_all_sectors_form_valid(round_lor) -> None:
    from amparo.questionnaires.models import Question, Questionnaire

    abroad = Sector.objects.create(code="XTUR", name_es="Turismo", name_en="Tourism", country="CO")
    questionnaire = Questionnaire.objects.create(
        sector=abroad, code="Q-XTUR", title_es="Turismo", title_en="Tourism"
    )
    Question.objects.create(
        questionnaire=questionnaire, order=1, name="hostels", kind="integer",
        label_es="¿Cuántos hospedajes?", label_en="How many hostels?",
    )  # fmt: skip
    country = list(Sector.objects.filter(country="PE"))
    exported = form_spec(sectors=country, assessment=round_lor)
    context = import_context(round_lor)
    assert xlsform.questions_version(exported.groups) in context.versions
    assert all(field.group != "xtur" for field in context.fields)
