"""Read-side functions for questionnaire pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from amparo.assessment.models import Assessment
from amparo.questionnaires.models import AnswerTally, Question, Questionnaire
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
