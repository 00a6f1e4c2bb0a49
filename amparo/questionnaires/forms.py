"""The question editor's forms: the question itself and its options (a formset with a
few empty rows to add options; an option left empty is dropped)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Threat
from amparo.questionnaires.models import Question, Questionnaire

EXTRA_OPTIONS = 3


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "order",
            "name",
            "kind",
            "label_es",
            "label_en",
            "hint_es",
            "hint_en",
            "required",
            "threat",
            "rates",
        ]
        help_texts = {
            "name": _("The column name in the exported answers; change it only before fieldwork."),
            "threat": _("The threat whose rating the answers suggest, if any."),
        }

    def __init__(self, *args: object, questionnaire: Questionnaire, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threat"].queryset = Threat.objects.filter(sector=questionnaire.sector_id)
        self.fields["threat"].label = _("Suggests a rating of")
        self.fields["rates"].label = _("Rating suggested")


class OptionForm(forms.Form):
    name = forms.CharField(label=_("Field name"), max_length=40, required=False)
    label_es = forms.CharField(label=_("Option (Spanish)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Option (English)"), max_length=200, required=False)
    rating = forms.IntegerField(
        label=_("Rating (1-5, 5 worst)"), min_value=1, max_value=5, required=False
    )


OptionFormSet = forms.formset_factory(OptionForm, extra=EXTRA_OPTIONS, max_num=30)


def options_of(formset: forms.BaseFormSet) -> list[dict[str, object]]:
    """The options filled in, in order; rows left empty are dropped."""
    return [
        {
            "name": data["name"].strip(),
            "label_es": data["label_es"].strip(),
            "label_en": data["label_en"].strip(),
            "rating": data.get("rating"),
        }
        for data in (form.cleaned_data for form in formset.forms)
        if data and any(str(data.get(k) or "").strip() for k in ("name", "label_es", "label_en"))
    ]


def option_initial(question: Question | None) -> list[dict[str, object]]:
    return [dict(c) for c in question.choices] if question else []
