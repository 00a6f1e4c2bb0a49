"""Program admins edit the questionnaires here. Any change marks the questionnaire as
edited, so that a catalog update keeps it and reports it instead of overwriting it."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from amparo.questionnaires import services
from amparo.questionnaires.models import Question, Questionnaire


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "questionnaire",
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
            "choices",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if "choices" in cleaned:
            try:
                services.question_choices_check(
                    kind=cleaned.get("kind", ""), choices=cleaned["choices"]
                )
            except ValidationError as error:
                self.add_error("choices", error)
        return cleaned


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "title_es", "sector", "from_catalog", "edited"]
    list_filter = ["sector", "edited"]
    list_select_related = ["sector"]
    search_fields = ["code", "title_es", "title_en"]
    readonly_fields = ["from_catalog", "edited"]
    inlines = [QuestionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            services.questionnaire_mark_edited(questionnaire=form.instance)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["name", "questionnaire", "order", "kind", "threat", "rates"]
    list_filter = ["questionnaire", "kind"]
    list_select_related = ["questionnaire", "threat"]
    search_fields = ["name", "label_es", "label_en"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.questionnaire_mark_edited(questionnaire=obj.questionnaire)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        services.questionnaire_mark_edited(questionnaire=obj.questionnaire)

    def delete_queryset(self, request, queryset) -> None:
        questionnaire_ids = set(queryset.values_list("questionnaire_id", flat=True))
        super().delete_queryset(request, queryset)
        for questionnaire in Questionnaire.objects.filter(pk__in=questionnaire_ids):
            services.questionnaire_mark_edited(questionnaire=questionnaire)
