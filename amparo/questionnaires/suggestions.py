"""What a round's field answers suggest for the rating of a threat."""

from __future__ import annotations

from dataclasses import dataclass

from amparo.assessment.models import Assessment, Threat
from amparo.questionnaires.models import AnswerTally


@dataclass(frozen=True)
class Suggestion:
    likelihood: int | None
    impact: int | None
    answers: int


def rating_suggestion(assessment: Assessment, threat: Threat) -> Suggestion:
    """The ratings the round's field answers suggest for ``threat``: the answer-weighted
    mean of the ratings of the chosen options, rounded, per dimension."""
    sums = {"likelihood": [0, 0], "impact": [0, 0]}
    answers = 0
    for tally in AnswerTally.objects.filter(
        assessment=assessment, question__threat=threat
    ).select_related("question"):
        question = tally.question
        rating = next((c.get("rating") for c in question.choices if c["name"] == tally.value), None)
        if question.rates in sums and rating:
            sums[question.rates][0] += rating * tally.count
            sums[question.rates][1] += tally.count
            answers += tally.count

    def mean(dimension: str) -> int | None:
        total, n = sums[dimension]
        return round(total / n) if n else None

    return Suggestion(mean("likelihood"), mean("impact"), answers)
