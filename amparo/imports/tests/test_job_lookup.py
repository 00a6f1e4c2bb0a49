"""An import job is found through ``imports.queries.import_job_or_404``: by its kind,
region and target, 404 for those who may not see the region, 403 for those who see it but
may not import the kind there, whoever uploaded the job."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.imports import queries
from amparo.imports.models import ImportJob
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.questionnaires.import_kind import FIELD_ANSWERS


@pytest.fixture
def job(world) -> ImportJob:
    return ImportJob.objects.create(
        kind=OBSERVATIONS.name,
        region=world.region_a,
        original_name="valores.csv",
        created_by=world.users["coordinator"],
    )


def test_those_who_may_import_the_kind_find_any_job_of_it(world, job) -> None:
    for role in ("admin", "coordinator"):
        found = queries.import_job_or_404(world.users[role], world.region_a, OBSERVATIONS, job.pk)
        assert found == job


@pytest.mark.parametrize("role", ["focal", "viewer"])
def test_those_who_only_see_the_region_are_refused(world, job, role: str) -> None:
    with pytest.raises(PermissionDenied):
        queries.import_job_or_404(world.users[role], world.region_a, OBSERVATIONS, job.pk)


def test_a_job_is_hidden_outside_its_region_kind_and_id(world, job) -> None:
    admin = world.users["admin"]
    with pytest.raises(Http404):
        queries.import_job_or_404(world.users["outsider"], world.region_a, OBSERVATIONS, job.pk)
    with pytest.raises(Http404):
        queries.import_job_or_404(admin, world.region_b, OBSERVATIONS, job.pk)
    with pytest.raises(Http404):
        queries.import_job_or_404(admin, world.region_a, FIELD_ANSWERS, job.pk)
    with pytest.raises(Http404):
        queries.import_job_or_404(admin, world.region_a, OBSERVATIONS, uuid.uuid4())


def test_a_job_with_a_target_is_found_only_with_that_target(world, job) -> None:
    from amparo.assessment import services as assessment_services

    first = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    second = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    answers = ImportJob.objects.create(
        kind=FIELD_ANSWERS.name, region=world.region_a, target=first, original_name="a.csv"
    )
    admin = world.users["admin"]
    assert queries.import_job_or_404(admin, world.region_a, FIELD_ANSWERS, answers.pk, first)
    with pytest.raises(Http404):
        queries.import_job_or_404(admin, world.region_a, FIELD_ANSWERS, answers.pk, second)
