from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
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


def _catalog_changed(monkeypatch, code: str, **changes: object) -> None:
    """The next loads read a catalog whose entry ``code`` has ``changes``."""
    real = services.read_pack_file

    def changed(pack: str, name: str) -> dict:
        content = real(pack, name)
        for entry in content.get("threats", []):
            if entry["code"] == code:
                entry.update(changes)
        return content

    monkeypatch.setattr(services, "read_pack_file", changed)


def test_a_catalog_update_keeps_a_users_edit_and_says_so_once(db, monkeypatch) -> None:
    call_command("load_catalog", stdout=StringIO())
    threat = Threat.objects.order_by("code").first()
    services.threat_save(threat=threat, title_es="Mi redacción")
    Threat.objects.exclude(pk=threat.pk).filter(code__endswith="-02").update(title_en="old text")
    _catalog_changed(monkeypatch, threat.code, title_en="The catalog's new wording")
    call_command("load_catalog", stdout=(out := StringIO()))
    threat.refresh_from_db()
    assert threat.title_es == "Mi redacción"
    assert threat.title_en != "The catalog's new wording"
    assert (
        f"kept users' edits of 1 entries that the catalog changed: {threat.code}" in out.getvalue()
    )
    assert not Threat.objects.filter(title_en="old text").exists()  # unedited ones are updated
    call_command("load_catalog", stdout=(again := StringIO()))
    assert "kept users' edits" not in again.getvalue()


def test_an_edited_threat_is_not_reported_while_the_catalog_stays_the_same(db) -> None:
    call_command("load_catalog", stdout=StringIO())
    threat = Threat.objects.order_by("code").first()
    services.threat_save(threat=threat, title_es="Mi redacción", title_en="My wording")
    for _load in range(2):
        call_command("load_catalog", stdout=(out := StringIO()))
        assert "kept users' edits" not in out.getvalue()
    threat.refresh_from_db()
    assert (threat.title_es, threat.title_en) == ("Mi redacción", "My wording")


def test_a_users_threat_with_a_catalog_code_is_left_alone_and_reported(world) -> None:
    mine = Threat.objects.create(
        code="TUR-01", sector=world.other_sector, title_es="Mío", title_en="Mine"
    )
    call_command("load_catalog", stdout=(out := StringIO()))
    mine.refresh_from_db()
    assert (mine.title_es, mine.title_en, mine.sector) == ("Mío", "Mine", world.other_sector)
    assert not mine.from_catalog and mine.source == ""
    assert "the catalog has threats with the same code: TUR-01" in out.getvalue()
    assert Threat.objects.filter(code="TUR-02", from_catalog=True).exists()


def test_the_code_and_sector_of_a_catalog_threat_are_fixed(world) -> None:
    call_command("load_catalog", stdout=StringIO())
    threat = Threat.objects.get(code="TUR-01")
    client = world.client("admin")
    url = reverse("threat-edit", args=[threat.pk])
    form = client.get(url).context["form"]
    assert form.fields["code"].disabled and form.fields["sector"].disabled
    data = {name: value for name, value in form.initial.items() if name in form.fields}
    data.update(code="TUR-99", sector=world.other_sector.pk, title_es="Nuevo título")
    assert client.post(url, data).status_code == 302
    threat.refresh_from_db()
    assert (threat.code, threat.sector.code, threat.title_es) == ("TUR-01", "TUR", "Nuevo título")
    with pytest.raises(ValidationError) as refused:
        services.threat_save(threat=threat, code="TUR-99")
    assert "code" in refused.value.message_dict
    assert Threat.objects.get(pk=threat.pk).code == "TUR-01"
    call_command("load_catalog", stdout=StringIO())
    assert Threat.objects.filter(code__startswith="TUR-01").count() == 1


def test_a_users_own_threat_can_change_code_and_sector(world) -> None:
    mine = Threat.objects.create(code="MY-01", sector=world.sector, title_es="M", title_en="M")
    form = world.client("admin").get(reverse("threat-edit", args=[mine.pk])).context["form"]
    assert not form.fields["code"].disabled
    services.threat_save(threat=mine, code="MY-02", sector=world.other_sector)
    mine.refresh_from_db()
    assert (mine.code, mine.sector) == ("MY-02", world.other_sector)


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


def test_an_unusable_matrix_is_refused_in_the_persons_language(world) -> None:
    from django.utils import translation

    from amparo.assessment.scoring import LevelSpec

    matrix = services.matrix_default_ensure()
    spec = matrix.spec()
    broken = spec.__class__(
        spec.likelihoods,
        spec.impacts,
        (LevelSpec("low", "Bajo", "Low", "verde", 1),),
        spec.grid,
    )
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.matrix_save(matrix=matrix, spec=broken, name_es="M", name_en="M")
    assert "Los colores se escriben como #rrggbb, por ejemplo #b71c1c: verde." in (
        refused.value.messages
    )
    assert "La cuadrícula usa niveles desconocidos: critical, high, medium." in (
        refused.value.messages
    )
    matrix.refresh_from_db()
    assert matrix.name_es == "Matriz 5x5"


def _matrix_form_data(client, code: str) -> dict[str, object]:
    form = client.get(reverse("matrix-edit", args=[code])).context["form"]
    return {name: field.initial for name, field in form.fields.items()}


def test_an_admin_renames_levels_and_changes_their_colours(world) -> None:
    matrix = services.matrix_default_ensure()
    client = world.client("admin")
    data = _matrix_form_data(client, "5x5")
    data.update(level_4_es="Extremo", level_4_en="Extreme", level_4_colour="#6a1b9a")
    assert client.post(reverse("matrix-edit", args=["5x5"]), data).status_code == 302
    matrix.refresh_from_db()
    critical = matrix.spec().level("critical")
    assert (critical.name_es, critical.name_en, critical.colour) == (
        "Extremo",
        "Extreme",
        "#6a1b9a",
    )
    assert critical.rank == 4
    assert "#6a1b9a" in client.get(reverse("matrix-detail", args=["5x5"])).content.decode()


@pytest.mark.parametrize("colour", ["red", "#6a1b9", "#6a1b9g", "6a1b9a0"])
def test_a_colour_that_is_not_rrggbb_is_refused(world, colour) -> None:
    matrix = services.matrix_default_ensure()
    client = world.client("admin")
    data = _matrix_form_data(client, "5x5")
    data["level_1_colour"] = colour
    response = client.post(reverse("matrix-edit", args=["5x5"]), data)
    assert response.status_code == 422
    assert "#rrggbb" in response.content.decode()
    matrix.refresh_from_db()
    assert matrix.spec().level("low").colour == "#2e7d32"


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 302), ("coordinator", 403), ("viewer", 403), ("outsider", 403)],
)
def test_only_program_admins_create_matrices(world, role, status) -> None:
    client = world.client(role)
    data = {
        "code": "3x4",
        "name_es": "Matriz 3x4",
        "name_en": "3x4 matrix",
        "likelihood_levels": "3",
        "impact_levels": "4",
    }
    response = client.post(reverse("matrix-create"), data)
    assert response.status_code == status
    assert RiskMatrix.objects.filter(code="3x4").exists() == (status == 302)
    if status == 302:
        assert response.url == reverse("matrix-edit", args=["3x4"])
        matrix = RiskMatrix.objects.get(code="3x4")
        assert (len(matrix.likelihoods), len(matrix.impacts)) == (3, 4)
        assert [len(row) for row in matrix.grid] == [4, 4, 4]
        assert reverse("matrix-create") in client.get(reverse("matrix-list")).content.decode()


@pytest.mark.parametrize("size", ["1", "8"])
def test_a_matrix_has_two_to_seven_levels_per_axis(world, size) -> None:
    client = world.client("admin")
    data = {
        "code": "odd",
        "name_es": "Rara",
        "name_en": "Odd",
        "likelihood_levels": size,
        "impact_levels": "3",
    }
    assert client.post(reverse("matrix-create"), data).status_code == 422
    assert not RiskMatrix.objects.filter(code="odd").exists()
    with pytest.raises(ValidationError):
        services.matrix_create(
            code="odd", name_es="R", name_en="O", likelihood_levels=int(size), impact_levels=3
        )


def test_a_matrix_a_completed_round_uses_is_kept_and_can_be_copied(world) -> None:
    from amparo.assessment.models import RoundStatus

    matrix = services.matrix_default_ensure()
    done = services.assessment_start(region=world.region_a, clone_previous=False)
    client = world.client("admin")
    data = _matrix_form_data(client, "5x5")
    data["cell_1_1"] = "critical"
    done.status = RoundStatus.COMPLETED
    done.save()
    response = client.post(reverse("matrix-edit", args=["5x5"]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("matrix-detail", args=["5x5"])
    assert "Copie la matriz" in response.content.decode()
    assert reverse("matrix-copy", args=["5x5"]) in response.content.decode()
    matrix.refresh_from_db()
    assert matrix.grid[0][0] == "low"
    with pytest.raises(ValidationError, match="Una ronda completada usa esta matriz"):
        services.matrix_save(matrix=matrix, spec=matrix.spec(), name_es="Otra", name_en="Other")
    response = client.post(reverse("matrix-copy", args=["5x5"]))
    copy = RiskMatrix.objects.get(code="5x5-copia")
    assert response.url == reverse("matrix-edit", args=["5x5-copia"])
    assert (copy.grid, copy.levels, copy.is_default) == (matrix.grid, matrix.levels, False)
    data = _matrix_form_data(client, "5x5-copia")
    data["cell_1_1"] = "critical"
    assert client.post(reverse("matrix-edit", args=["5x5-copia"]), data).status_code == 302
    copy.refresh_from_db()
    assert copy.grid[0][0] == "critical"
    assert world.client("coordinator").post(reverse("matrix-copy", args=["5x5"])).status_code == 403


def test_a_threat_without_an_english_description_shows_the_spanish_one(world, settings) -> None:
    Threat.objects.create(
        code="TUR-09",
        sector=world.sector,
        title_es="Hospedajes sin registro",
        title_en="Unregistered lodgings",
        description_es="Alojamientos que no piden documentos a los menores.",
    )
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("threat-list")).content.decode()
    assert "Unregistered lodgings" in page
    assert "Alojamientos que no piden documentos a los menores." in page


def test_the_new_matrix_form_offers_the_sizes_the_service_accepts(db) -> None:
    from amparo.assessment.forms import MatrixCreateForm

    form = MatrixCreateForm()
    for name in ("likelihood_levels", "impact_levels"):
        assert [n for n, _ in form.fields[name].choices] == list(services.MATRIX_SIZES)


def test_a_matrix_with_the_longest_code_can_be_copied_many_times(world) -> None:
    original = services.matrix_default_ensure()
    code = "m" * 40
    RiskMatrix.objects.filter(pk=original.pk).update(code=code)
    client = world.client("admin")
    for _ in range(11):
        assert client.post(reverse("matrix-copy", args=[code])).status_code == 302
    codes = set(RiskMatrix.objects.exclude(code=code).values_list("code", flat=True))
    assert len(codes) == 11
    assert all(len(c) <= 40 for c in codes)
    assert "m" * 34 + "-copia" in codes and "m" * 31 + "-copia-11" in codes
