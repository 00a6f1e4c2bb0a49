from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from amparo.accounts.models import Membership, Role


@pytest.mark.parametrize(
    ("role", "with_region", "with_sector"),
    [
        (Role.PROGRAM_ADMIN, True, False),
        (Role.COORDINATOR, False, False),
        (Role.COORDINATOR, True, True),
        (Role.FOCAL_POINT, True, False),
        (Role.FOCAL_POINT, False, True),
        (Role.VIEWER, True, True),
    ],
)
def test_it_refuses_scopes_that_do_not_fit_the_role(world, role, with_region, with_sector) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.users["outsider"],
            role=role,
            region=world.region_a if with_region else None,
            sector=world.sector if with_sector else None,
        )


def test_it_refuses_the_same_membership_twice(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.users["coordinator"], role=Role.COORDINATOR, region=world.region_a
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["admin"], role=Role.PROGRAM_ADMIN)


def test_it_lets_a_person_coordinate_two_regions(world) -> None:
    Membership.objects.create(
        user=world.users["coordinator"], role=Role.COORDINATOR, region=world.region_b
    )
    assert world.users["coordinator"].memberships.count() == 2
