"""The partnership stages as a whole: every move from every stage, tried through the
service, is allowed exactly when the pipeline says so, and a refused move writes nothing.
A random walk of moves always leaves a history that chains from stage to stage."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.partnerships import services
from amparo.partnerships.models import Partnership, PartnershipMove
from amparo.territory.models import Organization

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
STAGES = ["contacted", "interested", "signed", "active", "paused", "ended"]
# The pipeline as the program describes it, written out pair by pair.
ALLOWED = {
    ("contacted", "interested"), ("contacted", "ended"),
    ("interested", "signed"), ("interested", "contacted"), ("interested", "ended"),
    ("signed", "active"), ("signed", "paused"), ("signed", "ended"),
    ("active", "paused"), ("active", "ended"),
    ("paused", "active"), ("paused", "ended"),
    ("ended", "contacted"),
}  # fmt: skip
START = date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _partnership(world, name: str = "Fraternidad", agreement: bool = True) -> Partnership:
    organization = Organization.objects.create(name=name, kind="fraternity", region=world.region_a)
    partnership = services.partnership_create(
        region=world.region_a, organization=organization, since=START,
        by=world.users["coordinator"],
    )  # fmt: skip
    if agreement:
        services.agreement_attach(
            partnership=partnership, upload=SimpleUploadedFile("convenio.pdf", PDF)
        )
    return partnership


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STAGES, STAGES)))
def test_every_move_is_allowed_exactly_when_the_pipeline_says_so(world, source, target) -> None:
    partnership = _partnership(world)
    Partnership.objects.filter(pk=partnership.pk).update(stage=source)
    moves_before = PartnershipMove.objects.count()
    day = START + timedelta(days=5)
    if (source, target) in ALLOWED:
        moved = services.partnership_move(
            partnership=partnership, to=target, on=day, by=world.users["coordinator"]
        )
        assert (moved.stage, moved.since) == (target, day)
        last = PartnershipMove.objects.latest("pk")
        assert (last.from_stage, last.to_stage, last.on) == (source, target, day)
        assert last.by == world.users["coordinator"]
    else:
        with translation.override("es"), pytest.raises(ValidationError) as refused:
            services.partnership_move(
                partnership=partnership, to=target, on=day, by=world.users["coordinator"]
            )
        assert "Una alianza no puede pasar de" in refused.value.messages[0]
        stored = Partnership.objects.get(pk=partnership.pk)
        assert (stored.stage, stored.since) == (source, START)
        assert PartnershipMove.objects.count() == moves_before


def test_signing_needs_the_agreement_and_waits_for_it(world) -> None:
    partnership = _partnership(world, agreement=False)
    coordinator = world.users["coordinator"]
    services.partnership_move(partnership=partnership, to="interested", on=START, by=coordinator)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.partnership_move(partnership=partnership, to="signed", on=START, by=coordinator)
    assert refused.value.messages == ["Attach the signed agreement first."]
    assert Partnership.objects.get(pk=partnership.pk).stage == "interested"
    services.agreement_attach(partnership=partnership, upload=SimpleUploadedFile("c.pdf", PDF))
    services.partnership_move(partnership=partnership, to="signed", on=START, by=coordinator)
    assert Partnership.objects.get(pk=partnership.pk).stage == "signed"


def test_a_move_cannot_be_dated_before_the_current_stage_began(world) -> None:
    partnership = _partnership(world)
    coordinator = world.users["coordinator"]
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.partnership_move(
            partnership=partnership, to="interested", on=START - timedelta(days=1), by=coordinator
        )
    assert refused.value.messages == [
        "La fecha no puede ser anterior al inicio de la etapa actual."
    ]
    assert PartnershipMove.objects.filter(partnership=partnership).count() == 1
    # The same day is fine.
    services.partnership_move(partnership=partnership, to="interested", on=START, by=coordinator)


def test_an_unknown_stage_is_refused_by_name(world) -> None:
    partnership = _partnership(world)
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.partnership_move(
            partnership=partnership, to="married", on=START, by=world.users["coordinator"]
        )
    assert "“married”" in refused.value.messages[0]


def test_an_organization_is_followed_once_and_only_in_its_region(world) -> None:
    partnership = _partnership(world)
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError) as twice:
        services.partnership_create(
            region=world.region_a, organization=partnership.organization, since=START,
            by=coordinator,
        )  # fmt: skip
    assert "organization" in twice.value.message_dict
    elsewhere = Organization.objects.create(name="Otra", kind="church", region=world.region_b)
    with pytest.raises(ValidationError) as foreign:
        services.partnership_create(
            region=world.region_a, organization=elsewhere, since=START, by=coordinator
        )
    assert "organization" in foreign.value.message_dict
    assert Partnership.objects.count() == 1
    assert PartnershipMove.objects.count() == 1


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(STAGES), st.integers(-3, 10)), max_size=8))
def test_any_walk_leaves_a_history_that_chains_stage_to_stage(world, walk) -> None:
    name = f"Fraternidad {Partnership.objects.count()}"
    partnership = _partnership(world, name=name)
    stage, since = "contacted", START
    for target, shift in walk:
        day = since + timedelta(days=shift)
        try:
            services.partnership_move(
                partnership=partnership, to=target, on=day, by=world.users["coordinator"]
            )
        except ValidationError:
            assert (stage, target) not in ALLOWED or shift < 0
            continue
        assert (stage, target) in ALLOWED and shift >= 0
        stage, since = target, day
    history = list(PartnershipMove.objects.filter(partnership=partnership).order_by("pk"))
    assert history[0].to_stage == "contacted"
    for before, after in itertools.pairwise(history):
        assert after.from_stage == before.to_stage
        assert after.on >= before.on
    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.stage, stored.since) == (history[-1].to_stage, history[-1].on)
