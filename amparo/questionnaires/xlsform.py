"""Build an XLSForm (the ODK / KoboToolbox form format) from plain question specs, and
write it as .xlsx. Pure apart from openpyxl; no Django import.

The form carries hidden ``calculate`` fields with the region, round and questionnaire
version so that the import knows where each submission belongs. Each sector's questions
sit in a group named after the sector code, which is how the exported column names
(``tur/question`` in Kobo, ``tur-question`` in ODK Central) are mapped back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import BinaryIO

LANG_ES = "Español (es)"
LANG_EN = "English (en)"
KINDS = ("yes_no", "choice", "integer", "text")
META_REGION, META_ROUND, META_VERSION = "amparo_region", "amparo_round", "amparo_version"


@dataclass(frozen=True)
class ChoiceSpec:
    name: str
    label_es: str
    label_en: str


@dataclass(frozen=True)
class QuestionSpec:
    name: str
    kind: str
    label_es: str
    label_en: str
    hint_es: str = ""
    hint_en: str = ""
    required: bool = False
    choices: tuple[ChoiceSpec, ...] = ()


@dataclass(frozen=True)
class GroupSpec:
    name: str  # the sector code in lower case
    label_es: str
    label_en: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class FormSpec:
    form_id: str
    title: str
    groups: tuple[GroupSpec, ...]
    region_code: str | None = None  # None: the interviewer chooses the region
    round_number: int | None = None
    regions: tuple[tuple[str, str], ...] = ()  # (code, name) offered when region is None


def questions_version(groups: Sequence[GroupSpec]) -> str:
    """A version that changes whenever any question, choice or label changes."""
    content = json.dumps([asdict(g) for g in groups], sort_keys=True, ensure_ascii=False)
    return "v" + hashlib.sha256(content.encode()).hexdigest()[:10]


def form_version(form: FormSpec) -> str:
    """The form's published version: the questions' version plus the region and round the
    form is bound to. ODK Central refuses a second form definition under the same id and
    version, so Loreto's round 1 and Ucayali's round 2 must not share one."""
    scope = (form.region_code or "all").lower()
    if form.round_number is not None:
        scope += f"-r{form.round_number}"
    return f"{questions_version(form.groups)}-{scope}"


def list_name(group: GroupSpec, question: QuestionSpec) -> str:
    return f"{group.name}_{question.name}"


SURVEY_HEADER = [
    "type",
    "name",
    f"label::{LANG_ES}",
    f"label::{LANG_EN}",
    f"hint::{LANG_ES}",
    f"hint::{LANG_EN}",
    "required",
    "calculation",
    "constraint",
    f"constraint_message::{LANG_ES}",
    f"constraint_message::{LANG_EN}",
]


def _survey_row(**cells: str) -> list[str]:
    keys = [
        "type",
        "name",
        "label_es",
        "label_en",
        "hint_es",
        "hint_en",
        "required",
        "calculation",
        "constraint",
        "message_es",
        "message_en",
    ]
    return [cells.get(k, "") for k in keys]


def build_sheets(form: FormSpec) -> dict[str, list[list[str]]]:
    """The ``survey``, ``choices`` and ``settings`` sheets as rows of cells."""
    version = questions_version(form.groups)
    survey = [SURVEY_HEADER]
    choices = [["list_name", "name", f"label::{LANG_ES}", f"label::{LANG_EN}"]]
    if form.region_code is None:
        survey.append(
            _survey_row(
                type="select_one amparo_regions",
                name=META_REGION,
                label_es="Región",
                label_en="Region",
                required="yes",
            )
        )
        choices += [["amparo_regions", code, name, name] for code, name in form.regions]
    else:
        survey.append(
            _survey_row(type="calculate", name=META_REGION, calculation=f"'{form.region_code}'")
        )
    round_value = "" if form.round_number is None else str(form.round_number)
    survey.append(_survey_row(type="calculate", name=META_ROUND, calculation=f"'{round_value}'"))
    survey.append(_survey_row(type="calculate", name=META_VERSION, calculation=f"'{version}'"))
    for group in form.groups:
        survey.append(
            _survey_row(
                type="begin_group",
                name=group.name,
                label_es=group.label_es,
                label_en=group.label_en,
            )
        )
        for q in group.questions:
            row = {
                "name": q.name,
                "label_es": q.label_es,
                "label_en": q.label_en,
                "hint_es": q.hint_es,
                "hint_en": q.hint_en,
                "required": "yes" if q.required else "",
            }
            if q.kind in ("yes_no", "choice"):
                row["type"] = f"select_one {list_name(group, q)}"
                choices += [
                    [list_name(group, q), c.name, c.label_es, c.label_en] for c in q.choices
                ]
            elif q.kind == "integer":
                row.update(
                    type="integer",
                    constraint=". >= 0",
                    message_es="Escriba un número entero, cero o mayor.",
                    message_en="Enter a whole number, zero or more.",
                )
            else:
                row["type"] = "text"
            survey.append(_survey_row(**row))
        survey.append(_survey_row(type="end_group", name=group.name))
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [form.title, form.form_id, form_version(form), LANG_ES],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsx(sheets: dict[str, list[list[str]]], stream: BinaryIO) -> None:
    """Write the sheets to ``stream`` as an .xlsx workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(stream)
