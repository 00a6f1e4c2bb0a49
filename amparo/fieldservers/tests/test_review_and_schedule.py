"""Pulled rows through the pipeline's pages: a coordinator confirms or discards a pull;
what the scheduler picks; the encryption key's checks; the pipeline's ``import_pulled``
on its own."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.assessment.models import RoundStatus
from amparo.env import EnvError, env_fernet_key
from amparo.fieldservers import services, vault
from amparo.fieldservers.import_kind import FIELD_SYNC
from amparo.fieldservers.models import PublishedForm, SyncOutcome
from amparo.fieldservers.rows import page_rows
from amparo.fieldservers.tests.conftest import kobo_submission
from amparo.imports import services as imports
from amparo.imports.models import ImportJob, JobStatus
from amparo.territory.models import Sector


def _form(world, round_lor, connection, sector: str | None = "TUR") -> PublishedForm:
    return services.form_publish(
        by=world.users["coordinator"],
        assessment=round_lor,
        connection=connection,
        sector=Sector.objects.get(code=sector) if sector else None,
    )


@pytest.fixture
def confirming(kobo_connection):
    kobo_connection.confirm_before_writing = True
    kobo_connection.save()
    return kobo_connection


class TestCoordinatorReview:
    def test_a_coordinator_confirms_a_pull_on_its_page(self, world, round_lor, kobo, confirming):
        form = _form(world, round_lor, confirming)
        kobo.state.submissions["a1Kobo"] += [kobo_submission(round_lor, n) for n in (1, 2, 3)]
        services.form_pull(form=form)
        form.refresh_from_db()
        job_id = form.pending_jobs[0]
        page = world.client("coordinator")
        round_page = page.get(reverse("round-fieldservers", args=["PE-LOR", round_lor.pk]))
        assert "3 filas por confirmar" in round_page.content.decode()
        assert "esperando la confirmación de un coordinador" in round_page.content.decode()
        job_page = page.get(reverse("fieldserver-job", args=["PE-LOR", round_lor.pk, job_id]))
        assert "Importar 3 envíos" in job_page.content.decode()
        page.post(reverse("fieldserver-job-confirm", args=["PE-LOR", round_lor.pk, job_id]))
        assert round_lor.submissions.count() == 3
        assert ImportJob.objects.get(pk=job_id).status == JobStatus.DONE
        assert not ImportJob.objects.get(pk=job_id).file  # the pulled rows' file is gone

    def test_a_discarded_pull_is_not_pulled_again(self, world, round_lor, kobo, confirming):
        form = _form(world, round_lor, confirming)
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        services.form_pull(form=form)
        form.refresh_from_db()
        job_id = form.pending_jobs[0]
        page = world.client("coordinator")
        response = page.post(
            reverse("fieldserver-job-discard", args=["PE-LOR", round_lor.pk, job_id])
        )
        assert response.url == reverse("round-fieldservers", args=["PE-LOR", round_lor.pk])
        result = services.form_pull(form=form)
        form.refresh_from_db()
        assert form.cursor == "2027-01-01T10:00:01" and form.pending_jobs == []
        assert round_lor.submissions.count() == 0
        # read again at the cursor (ge) but nothing new to confirm: not waiting
        assert result.outcome == SyncOutcome.OK

    def test_a_viewer_or_another_regions_coordinator_cannot_see_pulls(
        self, world, round_lor, kobo, confirming
    ):
        form = _form(world, round_lor, confirming)
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        services.form_pull(form=form)
        form.refresh_from_db()
        url = reverse("fieldserver-job", args=["PE-LOR", round_lor.pk, form.pending_jobs[0]])
        assert world.client("viewer").get(url).status_code == 403
        assert world.client("focal").get(url).status_code == 403
        assert world.client("outsider").get(url).status_code == 404

    def test_the_round_page_in_english(self, world, round_lor, kobo, kobo_connection):
        form = _form(world, round_lor, kobo_connection)
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        services.form_pull(form=form)
        page = world.client("coordinator")
        page.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = page.get(reverse("round-fieldservers", args=["PE-LOR", round_lor.pk])).content
        text = html.decode()
        assert "Last sync" in text and ": 1 new, 0 held" in text and "Sync now" in text
        assert 'name="viewport"' in text  # the phone layout of every page

    def test_an_odk_connection_without_project_shows_the_reason(self, world):
        page = world.client("admin")
        response = page.post(
            reverse("fieldserver-create"),
            {
                "kind": "odk",
                "name": "odk-x",
                "base_url": "https://odk.example.org",
                "secret": "pw",
                "interval_minutes": 15,
            },
        )
        assert response.status_code == 200
        assert "necesita el número de proyecto" in response.content.decode()

    def test_the_connection_list_is_bounded(
        self, world, kobo, kobo_connection, django_assert_max_num_queries
    ):
        page = world.client("admin")
        with django_assert_max_num_queries(12):
            assert page.get(reverse("fieldserver-list")).status_code == 200


class TestSchedule:
    def test_completed_rounds_and_disabled_servers_are_not_due(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = _form(world, round_lor, kobo_connection)
        now = timezone.now()
        assert [f.pk for f in services.forms_due(now)] == [form.pk]
        round_lor.status = RoundStatus.COMPLETED
        round_lor.save()
        assert services.forms_due(now) == []

    def test_the_most_overdue_first_and_at_most_the_limit(
        self, world, round_lor, kobo, kobo_connection
    ):
        tur = _form(world, round_lor, kobo_connection)
        everyone = _form(world, round_lor, kobo_connection, sector=None)
        now = timezone.now()
        PublishedForm.objects.filter(pk=tur.pk).update(next_at=now - timedelta(hours=1))
        PublishedForm.objects.filter(pk=everyone.pk).update(next_at=now - timedelta(hours=2))
        assert [f.pk for f in services.forms_due(now)] == [everyone.pk, tur.pk]
        assert [f.pk for f in services.forms_due(now, limit=1)] == [everyone.pk]

    def test_sync_now_runs_the_task(self, world, round_lor, kobo, kobo_connection):
        form = _form(world, round_lor, kobo_connection)
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        world.client("coordinator").post(
            reverse("fieldserver-sync", args=["PE-LOR", round_lor.pk, form.pk])
        )
        form.refresh_from_db()
        assert (form.outcome, form.last_new) == (SyncOutcome.OK, 1)

    def test_a_round_completed_during_a_pull_writes_nothing(
        self, world, round_lor, kobo, kobo_connection, monkeypatch
    ):
        form = _form(world, round_lor, kobo_connection)
        kobo.state.submissions["a1Kobo"].append(kobo_submission(round_lor, 1))
        original = FIELD_SYNC.refusal

        def complete_then_refuse(**kwargs):
            type(round_lor).objects.filter(pk=round_lor.pk).update(status=RoundStatus.COMPLETED)
            return original(**kwargs)

        monkeypatch.setattr(FIELD_SYNC, "refusal", complete_then_refuse)
        result = services.form_pull(form=form)
        assert result.outcome == SyncOutcome.FAILED
        assert round_lor.submissions.count() == 0
        form.refresh_from_db()
        assert form.cursor == ""


class TestImportPulled:
    def test_clean_rows_are_written_and_held_ones_kept_with_reasons(self, world, round_lor):
        bad = kobo_submission(round_lor, 2)
        bad["amparo_region"] = "PE-UCA"
        rows = page_rows("kobo", [kobo_submission(round_lor, 1), bad]).rows
        job = imports.import_pulled(
            kind=FIELD_SYNC,
            by=world.users["coordinator"],
            region=world.region_a,
            target=round_lor,
            rows=rows,
            name="kobo · 1",
            confirm_first=False,
        )
        assert (job.status, job.rows_imported, job.problem_count) == (JobStatus.DONE, 1, 1)
        assert job.confirmed_by == world.users["coordinator"] and not job.file

    def test_a_viewer_may_not_import_pulled_rows(self, world, round_lor):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            imports.import_pulled(
                kind=FIELD_SYNC,
                by=world.users["viewer"],
                region=world.region_a,
                target=round_lor,
                rows=page_rows("kobo", [kobo_submission(round_lor, 1)]).rows,
                name="kobo · 1",
                confirm_first=False,
            )

    def test_nothing_new_is_done_at_once_even_when_confirmation_is_asked(self, world, round_lor):
        rows = page_rows("kobo", [kobo_submission(round_lor, 1)]).rows
        by = world.users["coordinator"]
        options = {"kind": FIELD_SYNC, "by": by, "region": world.region_a, "target": round_lor}
        imports.import_pulled(**options, rows=rows, name="1", confirm_first=False)
        again = imports.import_pulled(**options, rows=rows, name="2", confirm_first=True)
        assert (again.status, again.rows_already, again.keep_file) == (JobStatus.DONE, 1, False)
        assert not again.file


class TestKey:
    def test_an_unset_key_is_empty_and_a_generated_one_is_accepted(self):
        from cryptography.fernet import Fernet

        key = Fernet.generate_key().decode()
        assert env_fernet_key({}, "K") == ""
        assert env_fernet_key({"K": f" {key} "}, "K") == key

    @given(st.text(max_size=80))
    def test_anything_but_32_bytes_in_base64_is_refused(self, raw):
        try:
            decoded = base64.urlsafe_b64decode(raw.strip().encode("ascii"))
        except Exception:
            decoded = b""
        if len(decoded) == 32 or not raw.strip():
            return
        with pytest.raises(EnvError, match="K must be a key made with"):
            env_fernet_key({"K": raw}, "K")

    @settings(max_examples=25)
    @given(st.text(max_size=200))
    def test_secrets_read_back_as_sealed_and_never_appear_in_clear(self, secret):
        sealed = vault.seal(secret)
        assert vault.unseal(sealed) == secret
        if len(secret) > 3:
            assert secret not in sealed

    def test_a_tampered_secret_is_unreadable(self):
        sealed = vault.seal("token")
        with pytest.raises(vault.SecretUnreadable):
            vault.unseal(sealed[:-4] + "AAAA")
