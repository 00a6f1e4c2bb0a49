"""Downloading a round's field form: the region team takes the all-sectors form, a focal
point their own sector's, and everyone else is refused as the access rule says."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook


def _export(client, round_, sector: str, code: str = "PE-LOR"):
    return client.get(reverse("questionnaire-export", args=[code, round_.pk]) + f"?sector={sector}")


def _settings_row(response) -> dict[str, object]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"survey", "choices", "settings"} <= set(workbook.sheetnames)
    header, values = list(workbook["settings"].iter_rows(values_only=True))[:2]
    return dict(zip(header, values, strict=False))


def test_a_coordinator_downloads_the_form_for_all_sectors(world, round_lor) -> None:
    response = _export(world.client("coordinator"), round_lor, "all")
    settings_row = _settings_row(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="amparo-PE-LOR-ronda{round_lor.number}-all.xlsx"'
    )
    assert str(settings_row["version"]).endswith(f"-pe-lor-r{round_lor.number}")


def test_a_focal_point_downloads_their_own_sectors_form(world, round_lor) -> None:
    response = _export(world.client("focal"), round_lor, "TUR")
    assert _settings_row(response)["form_id"] == "amparo_tur"
    assert response["Content-Disposition"].endswith(f'ronda{round_lor.number}-tur.xlsx"')


@pytest.mark.parametrize(
    "role, sector, expected",
    [
        ("focal", "all", 403),  # the whole region's form is for the region team
        ("focal", "EDU", 404),  # a sector they cannot see
        ("viewer", "TUR", 403),
        ("viewer", "all", 403),
        ("outsider", "TUR", 404),
        ("coordinator", "XXX", 404),
    ],
)
def test_a_download_is_refused_as_the_access_rule_says(
    world, round_lor, role, sector, expected
) -> None:
    assert _export(world.client(role), round_lor, sector).status_code == expected


def test_without_a_sector_the_all_sectors_form_is_meant(world, round_lor) -> None:
    url = reverse("questionnaire-export", args=["PE-LOR", round_lor.pk])
    assert world.client("focal").get(url).status_code == 403
    response = world.client("coordinator").get(url)
    assert response["Content-Disposition"].endswith('-all.xlsx"')


def test_a_round_of_another_region_has_no_form_here(world, round_lor) -> None:
    from amparo.assessment import services as assessment_services

    other = assessment_services.assessment_start(region=world.region_b, clone_previous=False)
    assert _export(world.client("admin"), other, "all").status_code == 404
    assert _export(world.client("coordinator"), other, "all", code="PE-UCA").status_code == 404


def test_the_page_offers_each_download_to_those_who_may_take_it(world, round_lor) -> None:
    url = reverse("questionnaires", args=["PE-LOR", round_lor.pk])
    export = reverse("questionnaire-export", args=["PE-LOR", round_lor.pk])
    coordinator = world.client("coordinator").get(url).text
    assert f"{export}?sector=all" in coordinator and f"{export}?sector=TUR" in coordinator
    focal = world.client("focal").get(url).text
    assert f"{export}?sector=TUR" in focal and f"{export}?sector=all" not in focal
    viewer = world.client("viewer").get(url)
    assert viewer.status_code == 200 and export not in viewer.text
