"""The connection pages and the round's page beyond the happy path: editing keeps the
secret, a form refused by the server is said so on the page, the publish form only offers
enabled servers, and every page answers in Spanish and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.fieldservers import tasks, vault
from amparo.fieldservers.models import Connection, PublishedForm


def _page(world, role="admin", lang="es"):
    client = world.client(role)
    if lang == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


class TestConnectionPages:
    def test_editing_changes_the_settings_and_keeps_the_secret(self, world, kobo, kobo_connection):
        page = _page(world)
        url = reverse("fieldserver-edit", args=[kobo_connection.pk])
        form = page.get(url).content.decode()
        assert f'value="{kobo.url}"' in form and 'name="secret"' in form
        assert 'value="t0k3n"' not in form
        response = page.post(
            url,
            {
                "kind": "kobo",
                "name": "kobo-campo",
                "base_url": kobo.url,
                "secret": "",
                "interval_minutes": 60,
                "confirm_before_writing": "on",
            },
        )
        assert response.status_code == 302
        kobo_connection.refresh_from_db()
        assert kobo_connection.interval_minutes == 60 and kobo_connection.confirm_before_writing
        assert vault.unseal(kobo_connection.secret_sealed) == "t0k3n"

    def test_a_missing_connection_is_404(self, world):
        page = _page(world)
        assert page.get(reverse("fieldserver-edit", args=[999])).status_code == 404
        assert page.post(reverse("fieldserver-test", args=[999])).status_code == 404

    @pytest.mark.parametrize("lang", ["es", "en"])
    def test_the_list_in_both_languages(self, world, kobo, kobo_connection, lang):
        html = _page(world, lang=lang).get(reverse("fieldserver-list")).content.decode()
        assert kobo_connection.name in html
        assert ("Servidores de campo" if lang == "es" else "Field servers") in html
        assert ("Probar" if lang == "es" else "Test") in html

    def test_the_menu_offers_field_servers_to_program_admins_only(self, world):
        link = reverse("fieldserver-list")
        assert link in _page(world).get(reverse("home")).content.decode()
        assert link not in _page(world, "coordinator").get(reverse("home")).content.decode()


class TestRoundPage:
    def test_a_refusal_by_the_server_is_shown_with_its_message(
        self, world, round_lor, odk, odk_connection
    ):
        odk.state.refuse_publish = "The XLSForm could not be converted."
        response = _page(world, "coordinator").post(
            reverse("fieldserver-publish", args=["PE-LOR", round_lor.pk]),
            {"connection": odk_connection.pk, "sector": ""},
            follow=True,
        )
        assert "The XLSForm could not be converted." in response.content.decode()
        assert not PublishedForm.objects.exists()

    def test_only_enabled_servers_are_offered(self, world, round_lor, kobo, kobo_connection):
        Connection.objects.filter(pk=kobo_connection.pk).update(enabled=False)
        page = _page(world, "coordinator")
        html = page.get(reverse("round-fieldservers", args=["PE-LOR", round_lor.pk])).content
        assert "un administrador del programa agrega uno" in html.decode()
        response = page.post(
            reverse("fieldserver-publish", args=["PE-LOR", round_lor.pk]),
            {"connection": kobo_connection.pk},
            follow=True,
        )
        assert not PublishedForm.objects.exists()
        assert "Escoja una opción válida" in response.content.decode()

    def test_the_round_page_is_bounded_with_many_forms(
        self, world, round_lor, kobo, kobo_connection, django_assert_max_num_queries
    ):
        from django.utils import timezone

        for n in range(15):
            PublishedForm.objects.create(
                connection=kobo_connection,
                assessment=round_lor,
                sector_code=f"S{n}",
                server_form_id=f"f{n}",
                published_at=timezone.now(),
            )
        page = _page(world, "coordinator")
        with django_assert_max_num_queries(14):
            response = page.get(reverse("round-fieldservers", args=["PE-LOR", round_lor.pk]))
        assert response.content.decode().count("Sincronizar ahora") == 15

    def test_the_pull_task_ignores_a_form_deleted_meanwhile(self, world):
        tasks.pull_form.call(999)  # nothing to pull, nothing raised
