"""The questionnaires page and an import's page cost the same queries at any size."""

from __future__ import annotations

from django.urls import reverse

from amparo.imports.models import ImportJob
from amparo.questionnaires.models import AnswerTally, Question
from amparo.tests.queries import page_queries


def _jobs(round_lor, world, count: int, problems: int) -> list[ImportJob]:
    return [
        ImportJob.objects.create(
            kind="field_answers",
            region=round_lor.region,
            target=round_lor,
            created_by=world.users["admin"],
            original_name=f"kobo-{n}.csv",
            file_format="csv",
            status="ready",
            rows_read=problems + 1,
            rows_valid=1,
            problem_count=problems,
            problems=[[row + 2, "tur/x", "unknown_choice", "?"] for row in range(problems)],
        )
        for n in range(count)
    ]


def test_the_questionnaires_page_does_not_grow_with_answers_or_imports(world, round_lor) -> None:
    client = world.client("admin")
    url = reverse("questionnaires", args=["PE-LOR", round_lor.pk])
    _jobs(round_lor, world, 1, 1)
    question = Question.objects.filter(kind="choice").first()
    AnswerTally.objects.create(
        assessment=round_lor, question=question, value=question.choices[0]["name"], count=1
    )
    small = page_queries(client, url)
    _jobs(round_lor, world, 15, 3)
    for question in Question.objects.all():
        for choice in question.choices:
            AnswerTally.objects.get_or_create(
                assessment=round_lor, question=question, value=choice["name"], defaults={"count": 4}
            )
    assert AnswerTally.objects.count() > 100
    assert page_queries(client, url) == small
    assert small <= 14, small


def test_an_import_page_does_not_grow_with_its_problems(world, round_lor) -> None:
    client = world.client("admin")
    (few,) = _jobs(round_lor, world, 1, 1)
    (many,) = _jobs(round_lor, world, 1, 400)
    small = page_queries(client, reverse("import-job", args=["PE-LOR", round_lor.pk, few.pk]))
    large = page_queries(client, reverse("import-job", args=["PE-LOR", round_lor.pk, many.pk]))
    assert large == small <= 9, small
