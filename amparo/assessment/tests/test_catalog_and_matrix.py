from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from amparo.assessment import services
from amparo.assessment.models import RiskMatrix, Threat
from amparo.territory.models import Sector


def test_the_catalog_ships_at_least_four_threats_per_sector_with_sources(db) -> None:
    call_command("load_catalog", stdout=StringIO())
    for sector in Sector.objects.all():
        threats = Threat.objects.filter(sector=sector)
        assert threats.count() >= 4, sector.code
        assert all(t.source and t.title_es and t.title_en for t in threats)
    assert Threat.objects.filter(sector__code="PRO", verified=False).exists()


def test_a_catalog_update_keeps_a_users_edit_and_says_so(db) -> None:
    call_command("load_catalog", stdout=StringIO())
    threat = Threat.objects.order_by("code").first()
    services.threat_save(threat=threat, title_es="Mi redacción")
    Threat.objects.filter(pk=threat.pk).update(title_en="changed underneath")
    Threat.objects.exclude(pk=threat.pk).filter(code__endswith="-02").update(title_en="old text")
    call_command("load_catalog", stdout=(out := StringIO()))
    threat.refresh_from_db()
    assert threat.title_es == "Mi redacción"
    assert (
        f"kept users' edits of 1 entries that the catalog changed: {threat.code}" in out.getvalue()
    )
    assert not Threat.objects.filter(title_en="old text").exists()  # unedited ones are updated


def test_loading_twice_changes_nothing(db) -> None:
    call_command("load_catalog", stdout=StringIO())
    call_command("load_catalog", stdout=(out := StringIO()))
    assert "created none; updated none" in out.getvalue()


def test_an_admin_edits_the_grid_and_levels_follow(world) -> None:
    matrix = services.matrix_default_ensure()
    client = world.client("admin")
    form = client.get(reverse("matrix-edit", args=["5x5"])).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["cell_1_1"] = "critical"
    response = client.post(reverse("matrix-edit", args=["5x5"]), data)
    assert response.status_code == 302
    matrix.refresh_from_db()
    from amparo.assessment.scoring import risk_level

    assert risk_level(matrix.spec(), 1, 1).code == "critical"
    assert RiskMatrix.objects.count() == 1
