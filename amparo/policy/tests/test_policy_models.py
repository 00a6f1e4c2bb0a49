"""How policy entries read in each language, and who may open the policy's forms."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from amparo.catalog.sync import LoadCount
from amparo.policy.models import PolicyInstrument, PolicyItem
from amparo.policy.services import policy_catalog_load


@pytest.fixture
def loaded(world) -> None:
    policy_catalog_load(pack="pe", count=LoadCount())


def test_entries_read_in_the_active_language_with_fallbacks(loaded) -> None:
    s4 = PolicyItem.objects.select_related("instrument").get(code="S4")
    assert s4.tag == "PNFTP:S4" and str(s4).startswith("PNFTP:S4 · ")
    with translation.override("en"):
        assert s4.provider_name == "Ministry of the Interior (MININTER)"
        assert s4.recipient.startswith("Officials and staff")
    with translation.override("es"):
        assert s4.provider_name == "Ministerio del Interior (MININTER)"
    blank = PolicyItem(instrument=s4.instrument, kind="service", code="S9", provider="RREE")
    with translation.override("en"):
        assert blank.provider_name == "RREE"
        assert blank.name == "(name not recorded)" and blank.note == ""
    spanish_only = PolicyItem(instrument=s4.instrument, kind="service", code="S8", name_es="Solo")
    with translation.override("en"):
        assert spanish_only.name == "Solo"
    protocol = PolicyInstrument.objects.get(code="PI")
    with translation.override("en"):
        assert protocol.note.startswith("The protocol applies to regional and local bodies")


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coordinator", 403), ("focal", 403), ("viewer", 403), ("outsider", 403)],
)
def test_only_program_admins_open_the_forms(world, loaded, role, status) -> None:
    client = world.client(role)
    item = PolicyItem.objects.get(code="L1.1")
    assert client.get(reverse("policy-edit", args=["PNFTP"])).status_code == status
    assert client.get(reverse("policy-item-create", args=["PNFTP"])).status_code == status
    assert client.get(reverse("policy-item-edit", args=["PNFTP", item.pk])).status_code == status


def test_an_entry_is_edited_only_under_its_own_policy(world, loaded) -> None:
    axis = PolicyItem.objects.get(code="E1")
    admin = world.client("admin")
    assert admin.get(reverse("policy-item-edit", args=["PNFTP", axis.pk])).status_code == 404
    assert admin.get(reverse("policy-item-edit", args=["PI", axis.pk])).status_code == 200
    assert admin.get(reverse("policy-edit", args=["NOPE"])).status_code == 404


def test_the_parent_choices_are_the_policys_objectives_and_guidelines(world, loaded) -> None:
    item = PolicyItem.objects.get(code="L1.1")
    form = world.client("admin").get(reverse("policy-item-edit", args=["PNFTP", item.pk]))
    choices = {p.code for p in form.context["form"].fields["parent"].queryset}
    assert choices == {"OP1", "OP2", "OP3", "L3.1"}
    assert form.context["form"].fields["code"].disabled


def test_an_empty_database_says_the_policy_is_not_loaded(world) -> None:
    page = world.client("viewer").get(reverse("policy-list")).content.decode()
    assert "La política nacional aún no se ha cargado" in page
    alignment = world.client("viewer").get(reverse("policy-alignment")).content.decode()
    assert "0 cubiertos · 0 en curso · 0 sin cubrir" in alignment
