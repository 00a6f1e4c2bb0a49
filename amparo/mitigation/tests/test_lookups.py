"""Measures' visible-or-404 lookups (``mitigation.queries``), built on access."""

from __future__ import annotations

import pytest
from django.http import Http404

from amparo.accounts.models import Membership, Role
from amparo.mitigation import queries
from amparo.mitigation.models import Measure


@pytest.fixture
def measures(world) -> dict[tuple[str, str], Measure]:
    return {
        (region.code, sector.code): Measure.objects.create(
            region=region, sector=sector, kind="policy", title=f"{region.code} {sector.code}"
        )
        for region in (world.region_a, world.region_b)
        for sector in (world.sector, world.other_sector)
    }


def test_it_finds_a_measure_by_id_as_on_its_pages(world, measures) -> None:
    own = measures[("PE-LOR", "TUR")]
    other_sector = measures[("PE-LOR", "EDU")]
    other_region = measures[("PE-UCA", "TUR")]
    assert queries.measure_by_id_or_404(world.users["focal"], own.pk) == own
    assert queries.measure_by_id_or_404(world.users["admin"], other_region.pk) == other_region
    for role, pk in (
        ("focal", other_sector.pk),
        ("coordinator", other_region.pk),
        ("outsider", own.pk),
        ("admin", other_region.pk + 1000),
    ):
        with pytest.raises(Http404):
            queries.measure_by_id_or_404(world.users[role], pk)


def test_it_keeps_a_measure_to_the_region_in_its_address(world, measures) -> None:
    measure = measures[("PE-LOR", "TUR")]
    assert queries.measure_or_404(world.users["viewer"], world.region_a, measure.pk) == measure
    with pytest.raises(Http404):
        queries.measure_or_404(world.users["admin"], world.region_b, measure.pk)


def test_followed_measures_shrink_with_the_membership(world, measures) -> None:
    focal = world.users["focal"]
    for measure in measures.values():
        measure.owner = focal
        measure.save()
    assert {m.title for m in queries.measures_followed(focal)} == {"PE-LOR TUR"}
    Membership.objects.filter(user=focal).delete()
    del focal._amparo_grants
    assert not queries.measures_followed(focal).exists()
    Membership.objects.create(user=focal, role=Role.PROGRAM_ADMIN)
    del focal._amparo_grants
    assert queries.measures_followed(focal).count() == 4
