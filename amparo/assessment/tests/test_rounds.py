"""Round lifecycle, completion rules, cloning and the diff, through services and pages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from amparo.assessment import services
from amparo.assessment.models import Assessment, RoundStatus
from amparo.assessment.tests.conftest import add_finding


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _to_review(assessment, user):
    services.assessment_move(assessment=assessment, to="in_progress", by=user)
    return services.assessment_move(assessment=assessment, to="in_review", by=user)


def test_rounds_are_numbered_per_region_and_use_the_default_matrix(world, threats) -> None:
    first = services.assessment_start(region=world.region_a, clone_previous=True)
    second = services.assessment_start(region=world.region_a, clone_previous=True)
    other = services.assessment_start(region=world.region_b, clone_previous=True)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.matrix.code == "5x5" and second.previous == first


def test_a_round_cannot_skip_a_step(world, round_a) -> None:
    with pytest.raises(ValidationError, match="cannot go from"):
        services.assessment_move(assessment=round_a, to="completed", by=world.users["coordinator"])


def test_completing_is_refused_with_the_reasons(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(3, 3), residual=(4, 4))
    _to_review(round_a, world.users["coordinator"])
    with pytest.raises(ValidationError) as refused:
        services.assessment_move(assessment=round_a, to="completed", by=world.users["coordinator"])
    text = " ".join(refused.value.messages)
    assert "Sector EDU has no finding" in text
    assert "TUR-01: the residual rating is above the inherent one" in text
    assert Assessment.objects.get(pk=round_a.pk).status == RoundStatus.IN_REVIEW


def test_completing_anyway_records_why(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"])
    _to_review(round_a, world.users["coordinator"])
    done = services.assessment_move(
        assessment=round_a,
        to="completed",
        by=world.users["coordinator"],
        override_reason="EDU office closed during the round",
    )
    assert done.status == "completed"
    assert done.completion_note == "EDU office closed during the round"
    assert done.completed_by == world.users["coordinator"]


def test_a_clean_round_completes_without_a_note(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], residual=(3, 3))
    add_finding(round_a, threats["EDU-01"])
    _to_review(round_a, world.users["coordinator"])
    done = services.assessment_move(
        assessment=round_a, to="completed", by=world.users["coordinator"]
    )
    assert done.status == "completed" and done.completion_note == ""
    with pytest.raises(ValidationError, match="completed"):
        services.finding_save(
            assessment=done,
            by=world.users["coordinator"],
            threat=threats["TUR-02"],
            inherent_likelihood=1,
            inherent_impact=1,
        )


def test_a_cloned_round_starts_from_the_previous_findings_and_shows_the_diff(
    world, round_a, threats
) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(4, 4), residual=(3, 3))
    add_finding(round_a, threats["EDU-01"], inherent=(2, 2))
    second = services.assessment_start(region=world.region_a, clone_previous=True)
    assert second.findings.count() == 2
    tur = second.findings.get(threat__code="TUR-01")
    services.finding_save(
        assessment=second,
        by=world.users["coordinator"],
        finding=tur,
        residual_likelihood=2,
        residual_impact=2,
    )
    second.findings.get(threat__code="EDU-01").delete()
    add_finding(second, threats["TUR-02"])
    page = world.client("coordinator").get(reverse("round-detail", args=["PE-LOR", second.pk]))
    text = page.content.decode()
    assert "TUR-02" in text.split("Nuevos hallazgos")[1][:200]
    assert "EDU-01" in text.split("Hallazgos retirados")[1][:200]
    rerated = re.findall(r"<li>([^<]*con nueva calificación[^<]*)</li>", text)
    assert [" ".join(line.split()) for line in rerated] == [
        "TUR-01 con nueva calificación: inherente 4×4 → 4×4; residual 3×3 → 2×2"
    ]


def test_ratings_outside_the_matrix_are_refused(world, round_a, threats) -> None:
    with pytest.raises(ValidationError) as refused:
        services.finding_save(
            assessment=round_a,
            by=world.users["coordinator"],
            threat=threats["TUR-01"],
            inherent_likelihood=6,
            inherent_impact=1,
        )
    assert "inherent_likelihood" in refused.value.message_dict
    assert round_a.findings.count() == 0


def test_the_page_offers_completion_anyway_only_with_problems(world, round_a, threats) -> None:
    _to_review(round_a, world.users["coordinator"])
    client = world.client("coordinator")
    page = client.get(reverse("round-detail", args=["PE-LOR", round_a.pk])).content.decode()
    assert 'name="override_reason"' in page
    response = client.post(
        reverse("round-move", args=["PE-LOR", round_a.pk]), {"to": "completed"}, follow=True
    )
    assert "Todavía no se puede completar" in response.content.decode()
    response = client.post(
        reverse("round-move", args=["PE-LOR", round_a.pk]),
        {"to": "completed", "override_reason": "Plazo del gobierno regional"},
    )
    round_a.refresh_from_db()
    assert round_a.status == "completed"


def test_a_cloned_round_keeps_the_measures_behind_lowered_residuals(world, round_a, threats):
    from amparo.mitigation.models import Measure

    lowered = add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(2, 2))
    add_finding(round_a, threats["EDU-01"], inherent=(2, 2))
    measure = Measure.objects.create(
        region=world.region_a,
        sector=world.sector,
        kind="policy",
        title="Ordenanza",
        status="implemented",
        lowers_likelihood=3,
        lowers_impact=3,
    )
    measure.findings.add(lowered)
    second = services.assessment_start(region=world.region_a, clone_previous=True)
    copy = second.findings.get(threat__code="TUR-01")
    assert list(copy.measures.all()) == [measure]
    assert list(lowered.measures.all()) == [measure]  # the old round keeps its link
    assert services.completion_problems(second) == []
    _to_review(second, world.users["coordinator"])
    done = services.assessment_move(
        assessment=second, to="completed", by=world.users["coordinator"]
    )
    assert done.status == "completed"


def test_a_measure_expected_to_change_nothing_does_not_justify_a_lower_residual(
    world, round_a, threats
):
    from amparo.mitigation.models import Measure

    finding = add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(1, 1))
    justified = add_finding(round_a, threats["TUR-02"], inherent=(5, 5), residual=(3, 4))
    add_finding(round_a, threats["EDU-01"], inherent=(2, 2))
    common = {"region": world.region_a, "sector": world.sector, "status": "implemented"}
    idle = Measure.objects.create(kind="policy", title="Sin efecto", **common)
    idle.findings.add(finding)
    working = Measure.objects.create(
        kind="program", title="Con efecto", lowers_likelihood=2, lowers_impact=1, **common
    )
    working.findings.add(justified)
    Measure.objects.create(kind="procedure", title="Propuesta", lowers_likelihood=4, **common)
    problems = services.completion_problems(round_a)
    assert [(p.kind, p.subject) for p in problems] == [("below_suggestion", "TUR-01")]
    assert services.describe_issue(problems[0]) == (
        "TUR-01: the residual rating is lower than the measures in effect are expected to "
        "bring it (likelihood 5, impact 5)."
    )
    working.findings.add(finding)  # now 5-2, 5-1 is suggested: (3, 4) is high, 1x1 low
    assert [p.subject for p in services.completion_problems(round_a)] == ["TUR-01"]
    _to_review(round_a, world.users["coordinator"])
    with pytest.raises(ValidationError, match="lower than the measures in effect"):
        services.assessment_move(assessment=round_a, to="completed", by=world.users["coordinator"])


def test_findings_are_not_copied_into_a_matrix_too_small_for_them(world, round_a, threats):
    add_finding(round_a, threats["TUR-01"], inherent=(4, 2), residual=(2, 2))
    small = services.matrix_create(
        code="3x3",
        name_es="Matriz 3x3",
        name_en="3x3 matrix",
        likelihood_levels=3,
        impact_levels=3,
    )
    with pytest.raises(ValidationError, match="use likelihood up to 4 and impact up to 2"):
        services.assessment_start(region=world.region_a, clone_previous=True, matrix=small)
    assert world.region_a.assessments.count() == 1
    client = world.client("coordinator")
    response = client.post(
        reverse("round-start", args=["PE-LOR"]),
        {"clone_previous": "on", "matrix": small.pk},
        follow=True,
    )
    assert "Elija una matriz más grande" in response.content.decode()
    assert world.region_a.assessments.count() == 1
    fresh = services.assessment_start(region=world.region_a, clone_previous=False, matrix=small)
    assert fresh.matrix == small and fresh.findings.count() == 0


def test_a_new_round_can_use_another_matrix(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(3, 3))
    larger = services.matrix_create(
        code="7x7",
        name_es="Matriz 7x7",
        name_en="7x7 matrix",
        likelihood_levels=7,
        impact_levels=7,
    )
    client = world.client("coordinator")
    page = client.get(reverse("round-list", args=["PE-LOR"])).content.decode()
    assert "Matriz 7x7" in page
    client.post(
        reverse("round-start", args=["PE-LOR"]), {"clone_previous": "on", "matrix": larger.pk}
    )
    second = world.region_a.assessments.get(number=2)
    assert second.matrix == larger
    assert second.findings.get().inherent == (3, 3)


def test_the_demos_completed_rounds_have_no_problem_or_say_why(db, settings) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    for _run in range(2):  # the demo can run again
        call_command("demo", stdout=StringIO())
        completed = Assessment.objects.filter(is_demo=True, status=RoundStatus.COMPLETED)
        assert completed.exists()
        for done in completed:
            problems = services.completion_problems(done)
            assert not problems or "demostración" in done.completion_note, (done, problems)
            assert done.completed_at is not None


def test_a_round_without_problems_asks_no_reason_to_complete(world, round_a, threats) -> None:
    add_finding(round_a, threats["TUR-01"], residual=(3, 3))
    add_finding(round_a, threats["EDU-01"])
    _to_review(round_a, world.users["coordinator"])
    page = (
        world.client("coordinator")
        .get(reverse("round-detail", args=["PE-LOR", round_a.pk]))
        .content.decode()
    )
    assert 'value="completed"' in page
    assert 'name="override_reason"' not in page
    assert "Sin problemas" in page
