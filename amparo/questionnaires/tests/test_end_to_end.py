"""A form exported from amparo goes to the field and comes back: an ODK Central CSV and a
Kobo XLSX of submissions to that very form are checked, imported, tallied and turned into
suggested ratings."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from amparo.imports import services
from amparo.questionnaires.form_export import form_spec, xlsform_bytes
from amparo.questionnaires.import_kind import FIELD_ANSWERS
from amparo.questionnaires.models import AnswerTally, Question, Submission
from amparo.questionnaires.suggestions import rating_suggestion
from amparo.territory.models import Sector


@dataclass
class FieldQuestion:
    group: str
    name: str
    kind: str  # the XLSForm type
    choices: list[str]


@dataclass
class ExportedForm:
    hidden: dict[str, str]  # amparo_region, amparo_round, amparo_version
    questions: list[FieldQuestion]


def _read_exported(content: bytes) -> ExportedForm:
    """What a field tool takes from the exported workbook: its fields and choice lists."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    survey = list(workbook["survey"].iter_rows(values_only=True))
    head = list(survey[0])
    lists: dict[str, list[str]] = {}
    for row in list(workbook["choices"].iter_rows(values_only=True))[1:]:
        lists.setdefault(row[0], []).append(row[1])
    hidden, questions, group = {}, [], ""
    for row in survey[1:]:
        cells = dict(zip(head, row, strict=False))
        kind, name = cells["type"] or "", cells["name"] or ""
        if kind == "calculate":
            hidden[name] = cells["calculation"].strip("'")
        elif kind == "begin_group":
            group = name
        elif kind == "end_group":
            group = ""
        elif kind:
            list_name = kind.split(" ", 1)[1] if kind.startswith("select_one") else ""
            questions.append(FieldQuestion(group, name, kind, lists.get(list_name, [])))
    return ExportedForm(hidden, questions)


def _answer(question: FieldQuestion, pick: int, number: int) -> object:
    if question.kind.startswith("select_one"):
        return question.choices[pick]
    return number if question.kind == "integer" else "Sin observaciones"


def _odk_csv(form: ExportedForm, count: int) -> bytes:
    fields = [f"{q.group}-{q.name}" for q in form.questions]
    header = [
        "SubmissionDate",
        *form.hidden,
        *fields,
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n in range(count):
        writer.writerow(
            [
                f"2027-03-0{n + 1}T10:00:00.000Z",
                *form.hidden.values(),
                *[_answer(q, 0, 10) for q in form.questions],
                f"uuid:odk-{n}",
                f"uuid:odk-{n}",
                "5",
                "Ana",
                "0",
                "0",
                "",
                "approved",
                "collect:abc",
                "0",
                form.hidden["amparo_version"],
            ]
        )
    return buffer.getvalue().encode()


def _kobo_xlsx(form: ExportedForm, count: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "start",
            "end",
            *form.hidden,
            *[f"{q.group}/{q.name}" for q in form.questions],
            "meta/instanceID",
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_index",
        ]
    )
    for n in range(count):
        sheet.append(
            [
                "2027-03-01T09:00:00",
                "2027-03-01T09:20:00",
                *form.hidden.values(),
                *[_answer(q, 1, 3) for q in form.questions],
                f"uuid:kobo-{n}",
                1000 + n,
                f"kobo-{n}",
                "2027-03-02T10:00:00",
                "",
                n + 1,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(world, round_lor, name: str, content: bytes):
    job = services.import_job_create(
        kind=FIELD_ANSWERS,
        by=world.users["admin"],
        region=round_lor.region,
        target=round_lor,
        upload=SimpleUploadedFile(name, content),
    )
    job = services.import_check(job=job)
    assert (job.status, job.problems, job.unknown_columns) == ("ready", [], []), name
    services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    return services.import_write(job=job)


def test_an_exported_form_comes_back_from_odk_central_and_kobo(world, round_lor) -> None:
    sector = Sector.objects.get(code="TUR")
    exported = xlsform_bytes(form_spec(sectors=[sector], assessment=round_lor))
    form = _read_exported(exported)
    assert form.hidden["amparo_region"] == "PE-LOR"
    assert form.hidden["amparo_round"] == str(round_lor.number)

    odk = _import(world, round_lor, "odk-central.csv", _odk_csv(form, 2))
    kobo = _import(world, round_lor, "kobotoolbox.xlsx", _kobo_xlsx(form, 3))

    assert (odk.source, odk.rows_imported, kobo.source, kobo.rows_imported) == (
        "odk",
        2,
        "kobo",
        3,
    )
    assert Submission.objects.filter(assessment=round_lor).count() == 5
    questions = list(Question.objects.filter(questionnaire__sector=sector))
    for question in questions:
        tallies = {
            t.value: (t.count, t.total) for t in AnswerTally.objects.filter(question=question)
        }
        if question.kind in ("yes_no", "choice"):
            first, second = question.choices[0]["name"], question.choices[1]["name"]
            assert tallies == {first: (2, 0), second: (3, 0)}, question.name
        elif question.kind == "integer":
            assert tallies == {"": (5, 2 * 10 + 3 * 3)}, question.name
        else:
            assert tallies == {"": (5, 0)}, question.name

    # The suggestion is the answer-weighted mean of the chosen options' ratings.
    rated = next(q for q in questions if q.rates and q.threat_id)
    weighted = {"likelihood": [0, 0], "impact": [0, 0]}
    for question in questions:
        if question.threat_id != rated.threat_id or not question.rates:
            continue
        for choice, answers in ((question.choices[0], 2), (question.choices[1], 3)):
            if choice.get("rating"):
                weighted[question.rates][0] += choice["rating"] * answers
                weighted[question.rates][1] += answers
    suggestion = rating_suggestion(round_lor, rated.threat)
    for dimension, (total, answers) in weighted.items():
        expected = round(total / answers) if answers else None
        assert getattr(suggestion, dimension) == expected, dimension
    assert suggestion.answers == sum(n for _total, n in weighted.values()) > 0
