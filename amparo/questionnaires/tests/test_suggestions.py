"""The ratings the answers suggest: "don't know" is no answer to a rating and does not
pull the suggestion towards the middle."""

from __future__ import annotations

from amparo.catalog import read_pack_file
from amparo.questionnaires.models import AnswerTally, Question
from amparo.questionnaires.suggestions import rating_suggestion


def test_no_dont_know_option_of_the_catalog_carries_a_rating() -> None:
    rated = [
        (questionnaire["code"], question["name"])
        for questionnaire in read_pack_file("pe", "questionnaires")["questionnaires"]
        for question in questionnaire["questions"]
        for choice in question["choices"]
        if choice["name"] == "dont_know" and choice.get("rating") is not None
    ]
    assert rated == []


def test_dont_know_answers_do_not_move_the_suggestion(round_lor) -> None:
    question = Question.objects.get(questionnaire__code="Q-TUR", name="lodgings_check_minors")
    assert question.rates == "likelihood"
    AnswerTally.objects.create(assessment=round_lor, question=question, value="never", count=3)
    before = rating_suggestion(round_lor, question.threat)
    AnswerTally.objects.create(assessment=round_lor, question=question, value="dont_know", count=10)
    after = rating_suggestion(round_lor, question.threat)
    assert before == after
    assert (after.likelihood, after.answers) == (5, 3)
