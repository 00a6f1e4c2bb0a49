"""Measures through services and pages: from the library, the lifecycle with evidence, the
treatment of findings, and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from amparo.mitigation import services
from amparo.mitigation.models import Evidence, Measure, MeasureMove
from amparo.mitigation.tests.conftest import add_finding, pdf_upload

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_measure_from_the_library_links_the_findings_it_treats(world, round_a, threats, controls):
    tur = add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    add_finding(round_a, threats["TUR-02"])
    measure = services.measure_from_control(
        region=world.region_a, control=controls["TUR-POL-01"], by=world.users["coordinator"]
    )
    assert (measure.kind, measure.sector, measure.status) == ("policy", world.sector, "proposed")
    assert list(measure.findings.all()) == [tur]
    assert measure.owner == world.users["coordinator"]


def _to_implemented(measure, by):
    for status in ("drafting", "approved"):
        services.measure_move(measure=measure, to=status, by=by)
    services.evidence_add(
        measure=measure, by=by, description="Ordenanza firmada", upload=pdf_upload()
    )
    return services.measure_move(measure=measure, to="implemented", by=by)


def test_the_lifecycle_records_who_and_needs_evidence_and_a_second_person(world, measure_a):
    coordinator, admin = world.users["coordinator"], world.users["admin"]
    services.measure_move(measure=measure_a, to="drafting", by=coordinator)
    services.measure_move(measure=measure_a, to="approved", by=coordinator)
    with translation.override("en"), pytest.raises(ValidationError, match="Add evidence"):
        services.measure_move(measure=measure_a, to="implemented", by=coordinator)
    services.evidence_add(
        measure=measure_a, by=coordinator, description="Acta", url="https://example.org/acta"
    )
    implemented = services.measure_move(measure=measure_a, to="implemented", by=coordinator)
    assert implemented.implemented_by == coordinator
    with translation.override("en"), pytest.raises(ValidationError, match="Someone other"):
        services.measure_move(measure=implemented, to="verified", by=coordinator)
    verified = services.measure_move(measure=implemented, to="verified", by=admin)
    assert verified.verified_by == admin
    moves = list(
        MeasureMove.objects.filter(measure=measure_a).values_list("to_status", "by__username")
    )
    assert moves[-2:] == [("implemented", "coordinator"), ("verified", "admin")]
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from"):
        services.measure_move(measure=verified, to="dropped", by=admin, reason="x")


def test_dropping_needs_a_reason_and_keeps_it(world, measure_a) -> None:
    with pytest.raises(ValidationError):
        services.measure_move(measure=measure_a, to="dropped", by=world.users["coordinator"])
    dropped = services.measure_move(
        measure=measure_a,
        to="dropped",
        by=world.users["coordinator"],
        reason="La ordenanza ya existe",
    )
    assert dropped.drop_reason == "La ordenanza ya existe"


def test_a_dropped_measure_proposed_again_loses_its_drop_reason(world, measure_a) -> None:
    coordinator = world.users["coordinator"]
    services.measure_move(measure=measure_a, to="dropped", by=coordinator, reason="Ya existe")
    again = services.measure_move(measure=measure_a, to="proposed", by=coordinator)
    assert (again.status, again.drop_reason) == ("proposed", "")
    again.refresh_from_db()
    assert again.drop_reason == ""
    notes = list(MeasureMove.objects.filter(measure=measure_a).values_list("note", flat=True))
    assert "Ya existe" in notes  # the history still says why it was dropped then


def test_uploads_are_refused_when_not_what_they_claim(world, measure_a) -> None:
    fake = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.evidence_add(
            measure=measure_a, by=world.users["coordinator"], description="x", upload=fake
        )
    assert not Evidence.objects.exists()


def test_a_serious_finding_warns_until_it_has_all_three_kinds(world, round_a, threats, controls):
    finding = add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    client = world.client("coordinator")
    url = reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk])
    assert "todavía le falta" in client.get(url).content.decode()
    for code in controls:
        services.measure_from_control(
            region=world.region_a, control=controls[code], by=world.users["coordinator"]
        )
    assert "todavía le falta" not in client.get(url).content.decode()


def test_implemented_measures_suggest_a_residual(world, round_a, threats, measure_a) -> None:
    finding = add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    measure_a.findings.set([finding])
    Measure.objects.filter(pk=measure_a.pk).update(lowers_likelihood=2, lowers_impact=1)
    measure_a.refresh_from_db()
    _to_implemented(measure_a, world.users["coordinator"])
    page = (
        world.client("coordinator")
        .get(reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk]))
        .content.decode()
    )
    assert "probabilidad 3, impacto 4" in page


def test_a_lower_residual_needs_a_measure_once_the_region_has_measures(world, round_a, threats):
    from amparo.assessment.services import completion_problems

    add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(2, 2))
    assert not [p for p in completion_problems(round_a) if p.kind == "lowered_without_measure"]
    Measure.objects.create(
        region=world.region_a, sector=world.other_sector, kind="program", title="Otra"
    )
    kinds = [p.kind for p in completion_problems(round_a)]
    assert "lowered_without_measure" in kinds


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_and_change_measures(world, measure_a, role) -> None:
    client = world.client(role)
    read = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 200, "outsider": 404}[role]
    change = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 403, "outsider": 404}[role]
    c = "PE-LOR"
    for name in ("measure-list", "measure-systemic"):
        assert client.get(reverse(name, args=[c])).status_code == read, name
    assert client.get(reverse("measure-detail", args=[c, measure_a.pk])).status_code == read
    assert client.get(reverse("measure-edit", args=[c, measure_a.pk])).status_code == change
    assert client.get(reverse("measure-create", args=[c])).status_code == change
    assert client.get(reverse("measure-library", args=[c])).status_code == change
    other = {"admin": 200}.get(role, 404)
    assert client.get(reverse("measure-list", args=["PE-UCA"])).status_code == other


def test_focal_points_manage_their_sector_only(world, measure_a) -> None:
    other = Measure.objects.create(
        region=world.region_a, sector=world.other_sector, kind="program", title="Programa EDU"
    )
    client = world.client("focal")
    listing = client.get(reverse("measure-list", args=["PE-LOR"])).content.decode()
    assert "Ordenanza regional" in listing and "Programa EDU" not in listing
    assert client.get(reverse("measure-detail", args=["PE-LOR", other.pk])).status_code == 404
    response = client.post(reverse("measure-move", args=["PE-LOR", other.pk]), {"to": "drafting"})
    assert response.status_code == 404
    form = client.get(reverse("measure-create", args=["PE-LOR"])).context["form"]
    assert list(form.fields["sector"].queryset) == [world.sector]


def test_evidence_downloads_check_access_every_time(world, measure_a) -> None:
    evidence = services.evidence_add(
        measure=measure_a,
        by=world.users["coordinator"],
        description="Ordenanza",
        upload=pdf_upload(),
    )
    url = reverse("evidence-download", args=["PE-LOR", measure_a.pk, evidence.pk])
    response = world.client("focal").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ordenanza.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert world.client("viewer").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302
    assert "ordenanza" not in evidence.file.name  # stored under a random name


def test_an_upload_through_the_page_reports_a_bad_file(world, measure_a) -> None:
    response = world.client("coordinator").post(
        reverse("evidence-add", args=["PE-LOR", measure_a.pk]),
        {"description": "Acta", "file": SimpleUploadedFile("acta.exe", b"MZ")},
    )
    assert response.status_code == 422
    assert "Suba un PDF" in response.content.decode()


def test_editing_a_measure_keeps_the_findings_of_earlier_rounds(world, round_a, threats, measure_a):
    from amparo.assessment.services import assessment_start, completion_problems

    first = add_finding(round_a, threats["TUR-01"], inherent=(5, 5), residual=(2, 2))
    measure_a.findings.set([first])
    _to_implemented(measure_a, world.users["coordinator"])
    second_round = assessment_start(region=world.region_a, clone_previous=True)
    copy = second_round.findings.get(threat=threats["TUR-01"])
    services.measure_save(
        region=world.region_a,
        by=world.users["coordinator"],
        measure=measure_a,
        findings=[copy],
        title="Ordenanza regional revisada",
    )
    assert set(measure_a.findings.all()) == {first, copy}
    assert "lowered_without_measure" not in [p.kind for p in completion_problems(round_a)]
    services.measure_save(
        region=world.region_a, by=world.users["coordinator"], measure=measure_a, findings=[]
    )
    assert list(measure_a.findings.all()) == [first]
