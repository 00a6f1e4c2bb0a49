"""Writes of questionnaires that program admins edit in the app: the checks of a
question's choices, the save that converts the form with pyxform before anything is kept,
the versions recorded on each save, and the mark that keeps an edited questionnaire from
catalog updates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.assessment.models import Threat
from amparo.questionnaires import form_export, xlsform
from amparo.questionnaires.models import Question, Questionnaire, QuestionnaireVersion

LABELS = ("label_es", "label_en")


def question_choices_check(*, kind: str, choices: object) -> None:
    """Refuse choices a form cannot be built from: a list of options, each with a field
    name, both labels and a rating from 1 to 5 or none (an option such as "don't know"
    suggests nothing). Yes/no and choice questions need two options at least."""
    if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
        raise ValidationError(_("Choices are a list of options."))
    names = [c.get("name") for c in choices]
    for choice in choices:
        name, rating = choice.get("name"), choice.get("rating")
        if not isinstance(name, str) or not name.isidentifier():
            raise ValidationError(
                _("Each option needs a field name of letters, digits and underscores.")
            )
        if not all(isinstance(choice.get(k), str) and choice[k].strip() for k in LABELS):
            raise ValidationError(_("Each option needs a label in Spanish and in English."))
        if rating is not None and (type(rating) is not int or not 1 <= rating <= 5):
            raise ValidationError(_("An option's rating is a whole number from 1 to 5, or null."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Two options have the same field name."))
    if kind in ("yes_no", "choice") and len(choices) < 2:
        raise ValidationError(_("A yes/no or choice question needs two options at least."))


@transaction.atomic
def questionnaire_mark_edited(*, questionnaire: Questionnaire) -> None:
    """Record that users changed a questionnaire (or one of its questions), so that a
    catalog update keeps their version and reports it instead."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(edited=True)
    questionnaire.edited = True


def questionnaire_snapshot(questionnaire: Questionnaire) -> list[dict[str, object]]:
    """The questionnaire's questions as plain values, in form order (one query)."""
    return [
        {
            "name": q.name,
            "kind": q.kind,
            "label_es": q.label_es,
            "label_en": q.label_en,
            "hint_es": q.hint_es,
            "hint_en": q.hint_en,
            "required": q.required,
            "order": q.order,
            "threat": q.threat.code if q.threat else "",
            "rates": q.rates,
            "choices": [
                {
                    "name": c["name"],
                    "label_es": c["label_es"],
                    "label_en": c["label_en"],
                    "rating": c.get("rating"),
                }
                for c in q.choices
            ],
        }
        for q in questionnaire.questions.select_related("threat").order_by("order", "pk")
    ]


def _version_record(
    questionnaire: Questionnaire, by: User | None, latest: QuestionnaireVersion | None
) -> QuestionnaireVersion | None:
    """Record the questionnaire as it is now, unless it is as ``latest`` has it."""
    snapshot = questionnaire_snapshot(questionnaire)
    if latest is not None and latest.questions == snapshot:
        return None
    spec = form_export.form_spec(sectors=[questionnaire.sector], assessment=None)
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=(latest.number + 1) if latest else 1,
        form_version=xlsform.questions_version(spec.groups),
        questions=snapshot,
        created_by=by,
    )


@transaction.atomic
def question_save(
    *,
    questionnaire: Questionnaire,
    question: Question | None,
    by: User,
    name: str,
    kind: str,
    label_es: str,
    label_en: str,
    hint_es: str = "",
    hint_en: str = "",
    order: int,
    required: bool = False,
    threat: Threat | None = None,
    rates: str = "",
    choices: list[dict[str, object]],
) -> QuestionnaireVersion | None:
    """Create or change a question, then convert the sector's form with pyxform: a form
    that would not convert is refused with pyxform's message and nothing is saved. The
    questionnaire is marked edited (catalog updates keep it) and its new version recorded
    (the first save in the app records the version before it too). Returns the new
    version, or None when nothing changed."""
    locked = (
        Questionnaire.objects.select_for_update().select_related("sector").get(pk=questionnaire.pk)
    )
    latest = locked.versions.order_by("-number").first()
    if latest is None:
        latest = _version_record(locked, None, None)
    if kind not in ("yes_no", "choice"):
        choices = []
    question_choices_check(kind=kind, choices=choices)
    choices = [
        {k: c[k] for k in ("name", "label_es", "label_en")} | {"rating": c.get("rating")}
        for c in choices
    ]
    if threat is not None and threat.sector_id != locked.sector_id:
        raise ValidationError({"threat": _("Choose a threat of the questionnaire's sector.")})
    if rates and threat is None:
        raise ValidationError({"rates": _("Choose the threat whose rating the answers suggest.")})
    if question is None:
        question = Question(questionnaire=locked)
    for field, value in {
        "name": name,
        "kind": kind,
        "label_es": label_es,
        "label_en": label_en,
        "hint_es": hint_es,
        "hint_en": hint_en,
        "order": order,
        "required": required,
        "threat": threat,
        "rates": rates,
        "choices": choices,
    }.items():
        setattr(question, field, value)
    question.full_clean()
    question.save()
    form_export.xlsform_bytes(form_export.form_spec(sectors=[locked.sector], assessment=None))
    questionnaire_mark_edited(questionnaire=locked)
    questionnaire.edited = True
    return _version_record(locked, by, latest)
