"""Read-side functions for questionnaire pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from amparo.assessment.models import Assessment
from amparo.questionnaires.models import (
    AnswerTally,
    Question,
    Questionnaire,
    QuestionnaireVersion,
)
from amparo.questionnaires.versions import VersionDiff, version_diff
from amparo.territory.models import Sector


@dataclass
class QuestionSummary:
    question: Question
    counts: list[tuple[str, int]]  # (choice label, count) or a single ("", n)
    answers: int
    mean: float | None = None


def questionnaires_with_tallies(
    assessment: Assessment, sectors: QuerySet[Sector]
) -> list[tuple[Questionnaire, list[QuestionSummary]]]:
    """Each visible sector's questionnaire with the round's answers per choice."""
    tallies: dict[int, list[AnswerTally]] = defaultdict(list)
    for tally in AnswerTally.objects.filter(
        assessment=assessment, question__questionnaire__sector__in=sectors
    ):
        tallies[tally.question_id].append(tally)
    questionnaires = (
        Questionnaire.objects.filter(sector__in=sectors)
        .select_related("sector")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.select_related("threat")))
    )
    out = []
    for questionnaire in questionnaires:
        summaries = []
        for question in questionnaire.questions.all():
            rows = tallies.get(question.pk, [])
            answers = sum(t.count for t in rows)
            if question.kind in ("yes_no", "choice"):
                by_name = {t.value: t.count for t in rows}
                counts = [
                    (question.choice_label(c["name"]), by_name.get(c["name"], 0))
                    for c in question.choices
                ]
                mean = None
            else:
                counts = []
                total = sum(t.total for t in rows)
                mean = round(total / answers, 1) if answers and question.kind == "integer" else None
            summaries.append(QuestionSummary(question, counts, answers, mean))
        out.append((questionnaire, summaries))
    return out


def questionnaires_for_editing() -> QuerySet[Questionnaire]:
    """Every questionnaire with its sector and number of questions (one query)."""
    return (
        Questionnaire.objects.select_related("sector")
        .annotate(n_questions=Count("questions"))
        .order_by("sector__code", "code")
    )


def questionnaire_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions in form order with the threat each suggests a rating of (one query)."""
    return list(questionnaire.questions.select_related("threat").order_by("order", "pk"))


@dataclass(frozen=True)
class VersionView:
    version: QuestionnaireVersion
    previous: QuestionnaireVersion | None
    diff: VersionDiff | None  # None for the first version


def version_view(questionnaire: Questionnaire, number: int | None = None) -> VersionView | None:
    """A version (the latest without ``number``) and what changed since the one before
    (two queries); None when the questionnaire has no version yet or no such number."""
    versions = questionnaire.versions.order_by("-number")
    if number is not None:
        versions = versions.filter(number__lte=number)
    pair = list(versions.select_related("created_by")[:2])
    if not pair or (number is not None and pair[0].number != number):
        return None
    previous = pair[1] if len(pair) > 1 else None
    diff = version_diff(previous.questions, pair[0].questions) if previous else None
    return VersionView(pair[0], previous, diff)


def version_list(questionnaire: Questionnaire) -> list[QuestionnaireVersion]:
    return list(questionnaire.versions.select_related("created_by").order_by("-number")[:50])
