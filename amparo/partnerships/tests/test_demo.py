"""The demo's partnerships keep the product's own rules: a signed or active partnership
has its agreement attached; demo meetings have next steps their owners can follow up;
running the demo again changes nothing."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.mitigation import uploads
from amparo.partnerships.demo import demo_agreement_pdf
from amparo.partnerships.models import Meeting, NextStep, Partnership, PartnershipMove
from amparo.partnerships.services import WITH_AGREEMENT


def _snapshot(media: Path) -> dict[str, object]:
    return {
        "partnerships": list(
            Partnership.objects.order_by("pk").values_list("pk", "stage", "agreement")
        ),
        "moves": PartnershipMove.objects.count(),
        "meetings": Meeting.objects.count(),
        "steps": list(NextStep.objects.order_by("pk").values_list("pk", "done_on")),
        "files": sorted(p.as_posix() for p in media.rglob("*") if p.is_file()),
    }


@pytest.fixture
def demo(db, settings, media_root) -> Path:
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    return media_root


def test_every_signed_or_active_demo_partnership_has_a_demo_agreement(demo):
    signed = Partnership.objects.filter(stage__in=WITH_AGREEMENT)
    assert signed.count() >= 4
    for partnership in signed:
        assert partnership.agreement, partnership
        with partnership.agreement.open("rb") as stored:
            content = stored.read()
        verdict = uploads.check_upload(
            partnership.agreement_name, len(content), io.BytesIO(content)
        )
        assert verdict.ok and verdict.content_type == partnership.agreement_type
        pages = PdfReader(io.BytesIO(content)).pages
        text = pages[0].extract_text()
        assert len(pages) == 1
        assert "DEMO" in text and "no es un documento real" in text
        assert partnership.organization.name in " ".join(text.split())
    assert not Partnership.objects.exclude(stage__in=WITH_AGREEMENT).exclude(agreement="").exists()


def test_demo_meetings_have_next_steps_their_owners_can_follow_up(demo):
    meetings = Meeting.objects.prefetch_related("next_steps__owner", "organizations")
    assert meetings.count() >= 4
    assert {m.region.code for m in meetings} >= {"PE-LOR", "PE-UCA"}
    for meeting in meetings:
        assert meeting.is_demo and "(demo)" in meeting.purpose
        assert meeting.organizations.exists()
        assert meeting.next_steps.exists()
        for step in meeting.next_steps.all():
            assert "(demo)" in step.description
            assert step.owner.username.startswith("demo-")
            assert access.can(step.owner, Capability.VIEW_DETAIL, meeting.region), step
    assert NextStep.objects.filter(done_on__isnull=False).exists()
    assert NextStep.objects.filter(done_on__isnull=True).count() >= 4


def test_running_the_demo_again_changes_nothing(demo):
    before = _snapshot(demo)
    call_command("demo", stdout=StringIO())
    assert _snapshot(demo) == before


def test_a_demo_agreement_spells_the_partners_name_as_written():
    name = "Asociación de Iglesias <Señor> & Ñaña (demo)"
    text = PdfReader(io.BytesIO(demo_agreement_pdf(name))).pages[0].extract_text()
    assert name in " ".join(text.split())
