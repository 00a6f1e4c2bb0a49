"""Every kind of import as a ``case``: how to make its files, where its pages are and what
it writes, so that the pipeline's shared behaviour is tested once for every kind."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Model
from django.urls import reverse

from amparo.assessment import services as assessment_services
from amparo.imports import services
from amparo.imports.kinds import ImportKind
from amparo.imports.models import ImportJob
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.indicators.models import Observation
from amparo.questionnaires.import_kind import FIELD_ANSWERS
from amparo.questionnaires.models import Submission
from amparo.questionnaires.tests.test_xlsform_and_import import kobo_csv
from amparo.territory.models import Region, Sector


@dataclass
class Case:
    kind: ImportKind
    region: Region
    target: Model | None
    rows: Callable[[int, int], bytes]  # (valid, invalid) -> a CSV file
    written: Callable[[], int]  # how many rows the kind's own tables hold
    upload_url: str
    back_url: str  # where a discarded job's page sends the person
    page_url: Callable[[ImportJob, str], str]  # (job, "" | "confirm" | "discard") -> URL
    problem_text: str  # how the page names the problem of an invalid row (Spanish)

    def upload(self, world, name: str, content: bytes, role: str = "admin") -> ImportJob:
        """Upload ``content`` as ``role`` through the service."""
        return services.import_job_create(
            kind=self.kind,
            by=world.users[role],
            region=self.region,
            target=self.target,
            upload=SimpleUploadedFile(name, content),
        )

    def checked(self, world, content: bytes, role: str = "admin") -> ImportJob:
        return services.import_check(job=self.upload(world, "rows.csv", content, role))

    def job(self, **fields: object) -> ImportJob:
        """A job of this kind made directly, as the pipeline would leave it."""
        return ImportJob.objects.create(
            kind=self.kind.name, region=self.region, target=self.target, **fields
        )


def _values_csv(valid: int, invalid: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "region", "period", "value", "source"])
    for n in range(valid):
        writer.writerow(["OUT-TRAINED", "PE-LOR", f"{2000 + n}-T1", str(n), "DRE"])
    for n in range(invalid):
        writer.writerow(["OUT-TRAINED", "PE-LOR", f"{2000 + valid + n}-T1", "abc", ""])
    return buffer.getvalue().encode()


def _answers_case(world) -> Case:
    loreto = world.region_a
    round_a = assessment_services.assessment_start(region=loreto, clone_previous=False)
    choice = Sector.objects.get(code="TUR").questionnaires.get().questions.filter(kind="choice")
    name = choice.first().name
    pages = {"": "import-job", "confirm": "import-confirm", "discard": "import-discard"}
    return Case(
        kind=FIELD_ANSWERS,
        region=loreto,
        target=round_a,
        rows=lambda valid, invalid: kobo_csv(
            round_a, [{}] * valid + [{name: "not-a-choice"}] * invalid
        ),
        written=Submission.objects.count,
        upload_url=reverse("import-upload", args=[loreto.code, round_a.pk]),
        back_url=reverse("questionnaires", args=[loreto.code, round_a.pk]),
        page_url=lambda job, page: reverse(pages[page], args=[loreto.code, round_a.pk, job.pk]),
        problem_text="no es una de las opciones",
    )


def _values_case(world) -> Case:
    loreto = world.region_a
    pages = {
        "": "indicator-import-job",
        "confirm": "indicator-import-confirm",
        "discard": "indicator-import-discard",
    }
    return Case(
        kind=OBSERVATIONS,
        region=loreto,
        target=None,
        rows=_values_csv,
        written=Observation.objects.count,
        upload_url=reverse("indicator-import", args=[loreto.code]),
        back_url=reverse("indicator-import", args=[loreto.code]),
        page_url=lambda job, page: reverse(pages[page], args=[loreto.code, job.pk]),
        problem_text="no es un número",
    )


CASES = {"field_answers": _answers_case, "observations": _values_case}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())


@pytest.fixture(params=sorted(CASES))
def case(request, world, catalog) -> Case:
    return CASES[request.param](world)
