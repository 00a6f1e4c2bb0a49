"""Writes of questionnaires that users edit (in the admin site): the checks of a question's
choices, and the mark that keeps an edited questionnaire from catalog updates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.questionnaires.models import Questionnaire

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
