"""The questionnaire editor for program admins: the questionnaires, a questionnaire's
questions with its latest form version and what changed, the question form (with its
options), each version, and a preview of the form as the field team sees it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.form_errors import save_or_form_errors
from amparo.questionnaires import queries, services
from amparo.questionnaires.forms import OptionFormSet, QuestionForm, option_initial, options_of
from amparo.questionnaires.models import Questionnaire


def _questionnaire(request: HttpRequest, code: str) -> Questionnaire:
    access.require_program_admin(request.user)
    return get_object_or_404(Questionnaire.objects.select_related("sector"), code=code)


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    return render(
        request,
        "questionnaires/editor_list.html",
        {"questionnaires": queries.questionnaires_for_editing()},
    )


@login_required
def questionnaire_detail(request: HttpRequest, code: str) -> HttpResponse:
    questionnaire = _questionnaire(request, code)
    return render(
        request,
        "questionnaires/editor_detail.html",
        {
            "questionnaire": questionnaire,
            "questions": queries.questionnaire_questions(questionnaire),
            "current": queries.version_view(questionnaire),
            "versions": queries.version_list(questionnaire),
        },
    )


@login_required
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    questionnaire = _questionnaire(request, code)
    shown = queries.version_view(questionnaire, number)
    if shown is None:
        raise Http404
    return render(
        request,
        "questionnaires/editor_version.html",
        {"questionnaire": questionnaire, "current": shown},
    )


@login_required
def questionnaire_preview(request: HttpRequest, code: str) -> HttpResponse:
    questionnaire = _questionnaire(request, code)
    return render(
        request,
        "questionnaires/editor_preview.html",
        {
            "questionnaire": questionnaire,
            "questions": queries.questionnaire_questions(questionnaire),
        },
    )


@login_required
def question_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    questionnaire = _questionnaire(request, code)
    question = get_object_or_404(questionnaire.questions, pk=pk) if pk else None
    initial = {"order": questionnaire.questions.count() + 1} if question is None else None
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question, initial=initial, questionnaire=questionnaire)
    options = OptionFormSet(data, initial=option_initial(question), prefix="options")
    if data is not None and form.is_valid() and options.is_valid():
        fields = dict(form.cleaned_data)
        # None: refused (the errors are on the form); False: saved, nothing changed.
        version = save_or_form_errors(
            form,
            lambda: (
                services.question_save(
                    questionnaire=questionnaire,
                    question=question,
                    by=request.user,
                    choices=options_of(options),
                    **fields,
                )
                or False
            ),
        )
        if version is not None:
            if version:
                messages.success(
                    request,
                    _("Saved: form version %(number)s (%(version)s).")
                    % {"number": version.number, "version": version.form_version},
                )
            else:
                messages.success(request, _("Nothing changed."))
            return redirect("questionnaire-detail", code=questionnaire.code)
    return render(
        request,
        "questionnaires/editor_question.html",
        {"questionnaire": questionnaire, "question": question, "form": form, "options": options},
        status=422 if form.errors or options.errors else 200,
    )
