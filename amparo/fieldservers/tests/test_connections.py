"""Connections: kept by program admins, secrets encrypted with the key from the
environment and never shown, logged, backed up in clear or sent elsewhere; tested and
disabled; publishing a round's form as a new form or a new version."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from amparo.fieldservers import client, services, vault
from amparo.fieldservers.models import Connection, PublishedForm, ServerKind
from amparo.fieldservers.tests.conftest import connect
from amparo.imports.models import ImportJob
from amparo.ops import backup
from amparo.territory.models import Sector

ROOT = Path(__file__).resolve().parents[3]


class TestSecrets:
    def test_the_secret_is_stored_encrypted_and_reads_back(self, world, kobo, kobo_connection):
        stored = Connection.objects.get(pk=kobo_connection.pk).secret_sealed
        assert kobo.state.token not in stored
        assert vault.unseal(stored) == kobo.state.token

    def test_a_secret_sealed_with_another_key_is_reported_not_crashed(
        self, world, kobo, kobo_connection, settings
    ):
        settings.AMPARO_FIELD_SECRETS_KEY = "YW5vdGhlci1rZXktb2YtMzItYnl0ZXMtZXhhY3RseSE="
        result = services.connection_test(by=world.users["admin"], connection=kobo_connection)
        assert "no se puede leer" in result or "cannot be read" in result

    def test_an_empty_secret_keeps_the_stored_one_but_a_new_address_needs_it(
        self, world, kobo, kobo_connection
    ):
        fields = {
            "kind": "kobo",
            "name": "kobo-campo",
            "base_url": kobo.url,
            "project_id": None,
            "username": "",
            "secret": "",
            "interval_minutes": 30,
            "confirm_before_writing": True,
        }
        admin = world.users["admin"]
        saved = services.connection_save(by=admin, connection=kobo_connection, **fields)
        assert vault.unseal(saved.secret_sealed) == kobo.state.token
        assert saved.interval_minutes == 30
        with pytest.raises(ValidationError) as refused:
            services.connection_save(
                by=admin, connection=saved, **{**fields, "base_url": "https://elsewhere.example"}
            )
        assert "secret" in refused.value.message_dict

    def test_backups_hold_the_secret_only_encrypted(self, world, kobo, kobo_connection, tmp_path):
        path = tmp_path / "backup.zip"
        backup.backup(path)
        with zipfile.ZipFile(path) as archive:
            data = archive.read("data.json").decode()
        rows = [r for r in json.loads(data) if r["model"] == "fieldservers.connection"]
        assert rows and kobo.state.token not in data
        assert rows[0]["fields"]["secret_sealed"].startswith("gAAAA")  # a Fernet token

    def test_the_secret_is_never_logged(self, world, kobo, kobo_connection, caplog):
        caplog.set_level(logging.DEBUG)
        kobo.state.fail("/me/", 500, times=2)
        services.connection_test(by=world.users["admin"], connection=kobo_connection)
        assert caplog.records and kobo.state.token not in caplog.text

    def test_the_secret_goes_only_to_the_connections_own_host(self, world, kobo, kobo_connection):
        http = services.client_for(kobo_connection).http
        with pytest.raises(client.ServerRefused):
            http.url("@evil.example/steal")
        kobo.state.fail("/me/", 302, headers={"Location": "http://evil.example/me/"})
        result = services.connection_test(by=world.users["admin"], connection=kobo_connection)
        assert "evil.example" in result
        assert all(s.headers.get("authorization") == "Token t0k3n" for s in kobo.state.seen)

    def test_production_settings_refuse_to_start_without_the_key(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
        env.pop("AMPARO_FIELD_SECRETS_KEY", None)
        result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, str(ROOT / "manage.py"), "check"],
            env={**env, "DEBUG": "false", "SECRET_KEY": "x" * 60},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2
        assert "AMPARO_FIELD_SECRETS_KEY must be set when DEBUG is false" in result.stderr
        bad = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "check"],
            env={**env, "DEBUG": "false", "SECRET_KEY": "x" * 60, "AMPARO_FIELD_SECRETS_KEY": "x"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "AMPARO_FIELD_SECRETS_KEY must be a key made with" in bad.stderr


class TestConnections:
    def test_only_program_admins_keep_connections(self, world, kobo):
        with pytest.raises(PermissionDenied):
            services.connection_save(
                by=world.users["coordinator"],
                connection=None,
                kind="kobo",
                name="x",
                base_url=kobo.url,
                project_id=None,
                username="",
                secret="t",
                interval_minutes=15,
                confirm_before_writing=False,
            )

    def test_odk_needs_a_project_and_an_account(self, world, odk):
        with pytest.raises(ValidationError, match="proyecto"):
            connect(world, odk, ServerKind.ODK, project_id=None)

    def test_an_address_with_credentials_or_a_query_is_refused(self, world, kobo):
        with pytest.raises(ValidationError):
            connect(world, kobo, ServerKind.KOBO, base_url="https://user:pw@kobo.example.org")
        with pytest.raises(ValidationError):
            connect(world, kobo, ServerKind.KOBO, base_url="ftp://kobo.example.org")

    def test_testing_says_who_is_connected_and_how_many_forms(self, world, kobo, odk):
        kobo.state.forms = {"a1": {}, "a2": {}}
        kobo_connection = connect(world, kobo, ServerKind.KOBO)
        odk_connection = connect(world, odk, ServerKind.ODK, name="odk")
        admin = world.users["admin"]
        assert services.connection_test(by=admin, connection=kobo_connection) == (
            "conectado como equipo-loreto, 2 formularios visibles"
        )
        assert "conectado como equipo-loreto, 0" in services.connection_test(
            by=admin, connection=odk_connection
        )
        kobo.state.token = "revoked"
        assert services.connection_test(by=admin, connection=kobo_connection) == (
            "el servidor rechazó el token"
        )
        kobo_connection.refresh_from_db()
        assert kobo_connection.test_result == "el servidor rechazó el token"

    def test_a_disabled_connection_publishes_nothing(self, world, round_lor, kobo, kobo_connection):
        services.connection_disable(by=world.users["admin"], connection=kobo_connection)
        with pytest.raises(ValidationError, match="desactivada"):
            services.form_publish(
                by=world.users["admin"],
                assessment=round_lor,
                connection=kobo_connection,
                sector=None,
            )


class TestPublishing:
    def test_kobo_gets_a_new_form_then_a_new_version(self, world, round_lor, kobo, kobo_connection):
        by = world.users["coordinator"]
        sector = Sector.objects.get(code="TUR")
        first = services.form_publish(
            by=by, assessment=round_lor, connection=kobo_connection, sector=sector
        )
        assert (first.server_form_id, first.server_version) == ("a1Kobo", "v1")
        imports = [s for s in kobo.state.seen if s.path == "/api/v2/imports/"]
        assert b"PK" in imports[0].body and b'name="destination"' not in imports[0].body
        again = services.form_publish(
            by=by, assessment=round_lor, connection=kobo_connection, sector=sector
        )
        assert (again.pk, again.server_form_id, again.server_version) == (first.pk, "a1Kobo", "v2")
        imports = [s for s in kobo.state.seen if s.path == "/api/v2/imports/"]
        assert f"{kobo.url}/api/v2/assets/a1Kobo/".encode() in imports[1].body
        assert [s.method for s in kobo.state.seen if "deployment" in s.path] == ["POST", "PATCH"]

    def test_odk_gets_a_new_form_then_a_draft_published_as_a_new_version(
        self, world, round_lor, odk, odk_connection
    ):
        by = world.users["admin"]
        first = services.form_publish(
            by=by, assessment=round_lor, connection=odk_connection, sector=None
        )
        assert first.server_form_id == f"amparo_all_pe_lor_{round_lor.number}"
        assert first.server_version == "1"
        created = next(s for s in odk.state.seen if s.path == "/v1/projects/7/forms")
        assert created.query == {"publish": "true"}
        assert created.headers["content-type"] == client.XLSX
        again = services.form_publish(
            by=by, assessment=round_lor, connection=odk_connection, sector=None
        )
        assert again.server_version == "2"
        paths = [s.path for s in odk.state.seen if s.method == "POST"]
        assert f"/v1/projects/7/forms/{first.server_form_id}/draft/publish" in paths

    def test_the_servers_refusal_is_shown_with_its_message(
        self, world, round_lor, odk, odk_connection, kobo, kobo_connection
    ):
        odk.state.refuse_publish = "The given XLSForm file has an error: missing survey."
        with pytest.raises(ValidationError, match="missing survey"):
            services.form_publish(
                by=world.users["admin"],
                assessment=round_lor,
                connection=odk_connection,
                sector=None,
            )
        kobo.state.refuse_publish = "bad"
        with pytest.raises(ValidationError, match="Invalid XLSForm"):
            services.form_publish(
                by=world.users["admin"],
                assessment=round_lor,
                connection=kobo_connection,
                sector=None,
            )
        assert not PublishedForm.objects.exists()

    def test_a_focal_point_may_not_publish(self, world, round_lor, kobo, kobo_connection):
        from django.http import Http404

        with pytest.raises((PermissionDenied, Http404)):
            services.form_publish(
                by=world.users["focal"],
                assessment=round_lor,
                connection=kobo_connection,
                sector=Sector.objects.get(code="TUR"),
            )


class TestCommands:
    def test_publish_form_and_sync_submissions(self, world, round_lor, kobo, kobo_connection):
        from io import StringIO

        from amparo.fieldservers.tests.conftest import kobo_submission

        out = StringIO()
        call_command(
            "publish_form",
            round=round_lor.pk,
            sector="tur",
            server=kobo_connection.name,
            stdout=out,
        )
        assert "Published a1Kobo, version v1." in out.getvalue()
        form = PublishedForm.objects.get()
        assert form.published_by is None  # the command line is nobody in particular
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        out = StringIO()
        call_command(
            "sync_submissions", round=round_lor.pk, server=kobo_connection.name, stdout=out
        )
        assert "ok, 1 new, 0 held, 0 rejected" in out.getvalue()
        assert round_lor.submissions.count() == 1

    def test_commands_name_what_is_wrong(self, world, round_lor, kobo, kobo_connection):
        with pytest.raises(CommandError, match="No such server"):
            call_command("publish_form", round=round_lor.pk, server="nope")
        with pytest.raises(CommandError, match="No such round"):
            call_command("publish_form", round=999999, server=kobo_connection.name)
        with pytest.raises(CommandError, match="No published form"):
            call_command("sync_submissions", server="nope")
        services.form_publish(
            by=world.users["admin"], assessment=round_lor, connection=kobo_connection, sector=None
        )
        kobo.state.token = "revoked"
        with pytest.raises(CommandError, match="1 pull"):
            call_command("sync_submissions")


class TestPages:
    def test_an_admin_adds_a_connection_and_never_sees_the_secret_again(self, world, kobo):
        page = world.client("admin")
        response = page.post(
            reverse("fieldserver-create"),
            {
                "kind": "kobo",
                "name": "kobo-lima",
                "base_url": kobo.url,
                "secret": "top-secret-token",
                "interval_minutes": 15,
            },
        )
        assert response.status_code == 302
        connection = Connection.objects.get(name="kobo-lima")
        for url in (reverse("fieldserver-list"), reverse("fieldserver-edit", args=[connection.pk])):
            html = page.get(url).content.decode()
            assert "top-secret-token" not in html and connection.secret_sealed not in html

    def test_test_and_disable_buttons(self, world, kobo, kobo_connection):
        page = world.client("admin")
        response = page.post(reverse("fieldserver-test", args=[kobo_connection.pk]), follow=True)
        assert "conectado como equipo-loreto" in response.content.decode()
        page.post(reverse("fieldserver-enable", args=[kobo_connection.pk]))
        kobo_connection.refresh_from_db()
        assert not kobo_connection.enabled
        page.post(reverse("fieldserver-enable", args=[kobo_connection.pk]), {"enabled": "on"})
        kobo_connection.refresh_from_db()
        assert kobo_connection.enabled

    def test_a_coordinator_publishes_syncs_and_sees_the_status(
        self, world, round_lor, kobo, kobo_connection, django_assert_max_num_queries
    ):
        from amparo.fieldservers.tests.conftest import kobo_submission

        page = world.client("coordinator")
        url = reverse("round-fieldservers", args=["PE-LOR", round_lor.pk])
        response = page.post(
            reverse("fieldserver-publish", args=["PE-LOR", round_lor.pk]),
            {"connection": kobo_connection.pk, "sector": "TUR"},
            follow=True,
        )
        assert "a1Kobo · v1" in response.content.decode()
        form = PublishedForm.objects.get()
        bad = kobo_submission(round_lor, 2)
        bad["amparo_round"] = "9"
        kobo.state.submissions["a1Kobo"] += [kobo_submission(round_lor, 1), bad]
        page.post(reverse("fieldserver-sync", args=["PE-LOR", round_lor.pk, form.pk]))
        with django_assert_max_num_queries(14):
            html = page.get(url).content.decode()
        form.refresh_from_db()
        synced = form.synced_at.astimezone().strftime("%H:%M")
        assert f"Última sincronización {synced}: 1 nuevas, 1 retenidas" in html
        assert "próxima a las" in html
        job = ImportJob.objects.get(kind="field_sync")
        assert reverse("fieldserver-job", args=["PE-LOR", round_lor.pk, job.pk]) in html
        assert job.problems[0][2] == "wrong_round"
        review = page.get(reverse("fieldserver-job", args=["PE-LOR", round_lor.pk, job.pk]))
        assert review.status_code == 200 and "amparo_round" in review.content.decode()

    def test_a_refused_token_is_shown_on_the_page(self, world, round_lor, kobo, kobo_connection):
        form = services.form_publish(
            by=world.users["admin"], assessment=round_lor, connection=kobo_connection, sector=None
        )
        kobo.state.token = "revoked"
        services.form_pull(form=form)
        html = (
            world.client("coordinator")
            .get(reverse("round-fieldservers", args=["PE-LOR", round_lor.pk]))
            .content.decode()
        )
        assert "El servidor rechazó el token" in html
        assert "Sincronizar ahora" in html
