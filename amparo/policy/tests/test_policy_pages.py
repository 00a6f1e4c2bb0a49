"""The national policy pages: members read the policy with what is missing, program admins
complete and correct it; both languages; bounded queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from amparo.catalog.sync import LoadCount
from amparo.policy.models import PolicyInstrument, PolicyItem
from amparo.policy.services import policy_catalog_load


@pytest.fixture
def policy(world) -> PolicyInstrument:
    policy_catalog_load(pack="pe", count=LoadCount())
    return PolicyInstrument.objects.get(code="PNFTP")


def test_members_read_how_much_is_recorded_and_what_to_verify(
    world, policy, django_assert_max_num_queries
) -> None:
    client = world.client("viewer")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("policy-list"))
    text = page.content.decode()
    assert "2 de 19 lineamientos registrados" in text
    assert "5 de 42 servicios registrados" in text
    assert "Ministerio del Interior (MININTER)" in text
    assert "nombre incompleto" in text and "por verificar" in text
    assert reverse("policy-item-create", args=["PNFTP"]) not in text  # viewers only read
    admin = world.client("admin")
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = admin.get(reverse("policy-list"))
    assert "2 of 19 guidelines recorded" in english.content.decode()
    assert reverse("policy-item-create", args=["PNFTP"]) in english.content.decode()


def test_queries_stay_bounded_as_entries_grow(world, policy, django_assert_max_num_queries):
    guideline = PolicyItem.objects.get(code="L1.1")
    for n in range(6, 30):
        PolicyItem.objects.create(
            instrument=policy, kind="service", code=f"S{n}", number=n, parent=guideline
        )
    client = world.client("viewer")
    with django_assert_max_num_queries(8):
        client.get(reverse("policy-list"))


def test_an_admin_adds_a_guideline_from_the_official_text(world, policy) -> None:
    op2 = PolicyItem.objects.get(code="OP2")
    response = world.client("admin").post(
        reverse("policy-item-create", args=["PNFTP"]),
        {
            "kind": "guideline",
            "code": "L2.1",
            "parent": op2.pk,
            "name_es": "Lineamiento del texto oficial",
            "name_en": "Guideline from the official text",
            "source": "El Peruano",
            "verified": "on",
        },
    )
    assert response.status_code == 302
    added = PolicyItem.objects.get(code="L2.1")
    assert added.parent == op2 and added.verified and not added.from_catalog


def test_an_admin_completes_a_partial_service_and_it_is_kept(world, policy) -> None:
    s5 = PolicyItem.objects.get(code="S5")
    l11 = PolicyItem.objects.get(code="L1.1")
    url = reverse("policy-item-edit", args=["PNFTP", s5.pk])
    form = world.client("admin").get(url).context["form"]
    assert form.fields["code"].disabled
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        name_es="Nombre completo",
        name_en="Full name",
        name_partial="",
        parent=l11.pk,
        provider="RREE",
        verified="on",
    )
    data.pop("name_partial")
    response = world.client("admin").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    s5.refresh_from_db()
    assert (s5.name_es, s5.parent, s5.provider, s5.edited) == ("Nombre completo", l11, "RREE", True)
    assert not s5.name_partial


def test_a_wrong_parent_is_shown_on_the_form(world, policy) -> None:
    axis = PolicyItem.objects.get(code="E1")
    response = world.client("admin").post(
        reverse("policy-item-create", args=["PNFTP"]),
        {"kind": "service", "code": "S6", "parent": axis.pk},
    )
    assert response.status_code == 422


def test_an_admin_corrects_the_totals_of_the_policy(world, policy) -> None:
    url = reverse("policy-edit", args=["PNFTP"])
    form = world.client("admin").get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(services_total=43, published="2021-07-27", verified="on")
    response = world.client("admin").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    policy.refresh_from_db()
    assert policy.services_total == 43 and policy.edited
