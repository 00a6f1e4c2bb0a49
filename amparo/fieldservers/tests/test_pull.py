"""Pulling answers from the fake servers into a round: incremental, page by page, through
the import pipeline's checks; edits update, rejected ones are skipped, problems are held,
failures are retried or reported, and the cursor moves only after a write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.fieldservers import client, services
from amparo.fieldservers.models import PublishedForm, SyncOutcome
from amparo.fieldservers.tests.conftest import kobo_submission, odk_submission
from amparo.imports.models import ImportJob, JobStatus
from amparo.questionnaires.models import AnswerTally, Submission
from amparo.territory.models import Sector


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(client, "PAGE_SIZE", 3)


def published(world, round_lor, connection) -> PublishedForm:
    return services.form_publish(
        by=world.users["coordinator"],
        assessment=round_lor,
        connection=connection,
        sector=Sector.objects.get(code="TUR"),
    )


def _add(server, form: PublishedForm, *submissions) -> None:
    server.state.submissions[form.server_form_id].extend(submissions)


def _requests(server, part: str) -> list:
    return [s for s in server.state.seen if part in s.path]


class TestKobo:
    def test_new_submissions_arrive_page_by_page_without_any_file(
        self, world, round_lor, kobo, kobo_connection, small_pages
    ):
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, *(kobo_submission(round_lor, n) for n in range(1, 8)))
        result = services.form_pull(form=form)
        assert (result.outcome, result.new, result.held) == ("ok", 7, 0)
        assert round_lor.submissions.count() == 7
        data = _requests(kobo, "/data/")
        assert [r.query["start"] for r in data] == ["0", "3", "6"]
        assert {r.query["limit"] for r in data} == {"3"}
        assert all(r.query["format"] == "json" for r in data)
        jobs = ImportJob.objects.filter(kind="field_sync")
        assert jobs.count() == 3 and {j.status for j in jobs} == {JobStatus.DONE}
        assert {s.source for s in Submission.objects.all()} == {"kobo"}

    def test_the_next_pull_asks_only_for_what_is_newer_and_writes_nothing_twice(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, kobo_submission(round_lor, 1), kobo_submission(round_lor, 2))
        services.form_pull(form=form)
        form.refresh_from_db()
        assert form.cursor == "2027-01-01T10:00:02"
        _add(kobo, form, kobo_submission(round_lor, 3))
        result = services.form_pull(form=form)
        assert result.new == 1
        last = _requests(kobo, "/data/")[-1]
        assert '"$gte": "2027-01-01T10:00:02"' in last.query["query"]
        assert round_lor.submissions.count() == 3
        tally = AnswerTally.objects.filter(assessment=round_lor).first()
        assert tally.count <= 3

    def test_rows_with_problems_are_held_with_their_reasons_and_clean_ones_written(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        bad = kobo_submission(round_lor, 2)
        bad["amparo_region"] = "PE-UCA"
        _add(kobo, form, kobo_submission(round_lor, 1), bad)
        result = services.form_pull(form=form)
        assert (result.new, result.held) == (1, 1)
        job = ImportJob.objects.get(kind="field_sync")
        assert [p[2] for p in job.problems] == ["region_not_allowed"]
        form.refresh_from_db()
        assert (form.last_new, form.last_held, form.outcome) == (1, 1, SyncOutcome.OK)

    def test_a_form_version_change_mid_pull_holds_the_other_versions_rows(
        self, world, round_lor, kobo, kobo_connection, small_pages
    ):
        form = published(world, round_lor, kobo_connection)
        old = [kobo_submission(round_lor, n) for n in (1, 2, 3, 4)]
        changed = [kobo_submission(round_lor, n, version="otra") for n in (5, 6)]
        _add(kobo, form, *old, *changed)
        result = services.form_pull(form=form)
        assert (result.new, result.held) == (4, 2)
        held = ImportJob.objects.filter(kind="field_sync", problem_count__gt=0).get()
        assert {p[2] for p in held.problems} == {"version_mismatch"}

    def test_an_edited_submission_updates_its_answers_and_tallies(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        question = (
            Sector.objects.get(code="TUR")
            .questionnaires.get()
            .questions.filter(kind="integer")
            .first()
        )
        _add(kobo, form, kobo_submission(round_lor, 1, **{question.name: "4"}))
        services.form_pull(form=form)
        edited = kobo_submission(round_lor, 1, **{question.name: "9"})
        edited["meta/instanceID"], edited["meta/deprecatedID"] = "uuid:s1-b", "uuid:s1"
        edited["meta/rootUuid"], edited["_last_edited"] = "uuid:s1", "2027-02-01T00:00:00"
        kobo.state.submissions[form.server_form_id] = [edited]
        result = services.form_pull(form=form)
        assert result.new == 1
        submission = round_lor.submissions.get()
        assert submission.answers[f"tur/{question.name}"] == "9"
        tally = AnswerTally.objects.get(assessment=round_lor, question=question)
        assert (tally.count, tally.total) == (1, 9)

    def test_a_refused_token_is_not_retried_and_is_shown(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        kobo.state.token = "another"
        before = len(kobo.state.seen)
        result = services.form_pull(form=form)
        assert result.outcome == SyncOutcome.REFUSED
        assert len(kobo.state.seen) == before + 1
        form.refresh_from_db()
        assert form.outcome_detail == ""
        assert form.get_outcome_display() == "El servidor rechazó el token"
        assert form.cursor == ""

    def test_rate_limits_server_errors_and_bad_json_are_retried(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        waits = []
        _add(kobo, form, kobo_submission(round_lor, 1))
        kobo.state.fail("/data/", 429, headers={"Retry-After": "7"})
        kobo.state.fail("/data/", 500, body=b"<html>oops</html>")
        kobo.state.fail("/data/", 200, body=b'{"results": [')
        result = services.form_pull(form=form, sleep=waits.append)
        assert (result.outcome, result.new) == ("ok", 1)
        assert waits == [7.0, 0.0, 0.0]  # Retry-After, then the back-off (0 in tests)

    def test_a_server_that_keeps_failing_leaves_the_cursor_and_backs_off(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, kobo_submission(round_lor, 1))
        kobo.state.fail("/data/", 503, times=client.ATTEMPTS)
        now = timezone.now()
        result = services.form_pull(form=form, now=now)
        assert result.outcome == SyncOutcome.FAILED
        form.refresh_from_db()
        assert (form.cursor, form.failures, form.next_at) == ("", 1, now + timedelta(minutes=15))
        kobo.state.fail("/data/", 503, times=client.ATTEMPTS)
        services.form_pull(form=form, now=now)
        form.refresh_from_db()
        assert form.next_at == now + timedelta(minutes=30)
        assert services.form_pull(form=form, now=now).new == 1
        form.refresh_from_db()
        assert form.failures == 0 and round_lor.submissions.count() == 1

    def test_a_pull_stopped_half_way_starts_again_without_writing_twice(
        self, world, round_lor, kobo, kobo_connection, small_pages
    ):
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, *(kobo_submission(round_lor, n) for n in range(1, 7)))
        # The first page is written, then the server fails on the second.
        original = client.Http.call

        def flaky(self, method, path, **kwargs):
            if "/data/" in path and kwargs.get("query", {}).get("start") == 3:
                raise client.ServerUnavailable("the server failed (502)")
            return original(self, method, path, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(client.Http, "call", flaky)
            result = services.form_pull(form=form)
        assert result.outcome == SyncOutcome.FAILED
        assert round_lor.submissions.count() == 3
        form.refresh_from_db()
        assert form.cursor == ""
        result = services.form_pull(form=form)
        assert result.new == 3 and round_lor.submissions.count() == 6


class TestOdk:
    def test_submissions_come_through_odata_with_a_date_filter_and_paging(
        self, world, round_lor, odk, odk_connection, small_pages
    ):
        form = published(world, round_lor, odk_connection)
        _add(odk, form, *(odk_submission(round_lor, n) for n in range(1, 6)))
        result = services.form_pull(form=form)
        assert (result.outcome, result.new) == ("ok", 5)
        calls = _requests(odk, ".svc/Submissions")
        assert [c.query["$skip"] for c in calls] == ["0", "3"]
        assert all(c.query["$top"] == "3" for c in calls)
        assert "$filter" not in calls[0].query
        form.refresh_from_db()
        assert form.cursor == "2027-01-01T10:00:05.000Z"
        services.form_pull(form=form)
        last = _requests(odk, ".svc/Submissions")[-1]
        assert last.query["$filter"] == (
            "__system/submissionDate ge 2027-01-01T10:00:05.000Z "
            "or __system/updatedAt ge 2027-01-01T10:00:05.000Z"
        )
        assert {s.source for s in Submission.objects.all()} == {"odk"}

    def test_rejected_submissions_are_skipped_and_edits_update(
        self, world, round_lor, odk, odk_connection
    ):
        form = published(world, round_lor, odk_connection)
        question = (
            Sector.objects.get(code="TUR")
            .questionnaires.get()
            .questions.filter(kind="integer")
            .first()
        )
        _add(odk, form, odk_submission(round_lor, 1, **{question.name: "2"}),
             odk_submission(round_lor, 2, review="rejected"))  # fmt: skip
        result = services.form_pull(form=form)
        assert (result.new, result.skipped, result.held) == (1, 1, 0)
        edited = odk_submission(round_lor, 1, **{question.name: "5"})
        edited["__system"].update(updatedAt="2027-03-01T00:00:00.000Z", reviewState="edited")
        edited["meta"] = {"instanceID": "uuid:s1-v2", "deprecatedID": "uuid:s1"}
        odk.state.submissions[form.server_form_id] = [edited]
        result = services.form_pull(form=form)
        assert result.new == 1
        assert round_lor.submissions.get().answers[f"tur/{question.name}"] == "5"
        assert not round_lor.submissions.filter(instance_id="s2").exists()

    def test_the_session_password_goes_only_to_the_server(
        self, world, round_lor, odk, odk_connection
    ):
        published(world, round_lor, odk_connection)
        sessions = _requests(odk, "/v1/sessions")
        assert sessions and b"s3creto" in sessions[0].body
        others = [s for s in odk.state.seen if s.path != "/v1/sessions"]
        assert all(b"s3creto" not in s.body for s in others)
        assert all(s.headers["authorization"] == "Bearer session-t0k3n" for s in others)

    def test_each_pull_signs_in_once_and_ends_its_session(
        self, world, round_lor, odk, odk_connection
    ):
        form = published(world, round_lor, odk_connection)
        before = len(odk.state.seen)
        services.form_pull(form=form)
        calls = [(s.method, s.path) for s in odk.state.seen[before:]]
        assert calls[0] == ("POST", "/v1/sessions")
        assert calls[-1] == ("DELETE", "/v1/sessions/current")
        assert calls.count(("POST", "/v1/sessions")) == 1

    def test_a_wrong_password_is_a_refused_token(self, world, round_lor, odk, odk_connection):
        form = published(world, round_lor, odk_connection)
        odk.state.password = "changed"
        odk.state.token = "expired"
        assert services.form_pull(form=form).outcome == SyncOutcome.REFUSED


class TestConfirmFirst:
    def test_pulled_rows_wait_for_a_coordinator_and_the_cursor_moves_after(
        self, world, round_lor, kobo, kobo_connection
    ):
        kobo_connection.confirm_before_writing = True
        kobo_connection.save()
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, kobo_submission(round_lor, 1), kobo_submission(round_lor, 2))
        result = services.form_pull(form=form)
        assert (result.outcome, result.new) == (SyncOutcome.WAITING, 2)
        assert round_lor.submissions.count() == 0
        form.refresh_from_db()
        assert form.cursor == "" and len(form.pending_jobs) == 1
        before = len(_requests(kobo, "/data/"))
        assert services.form_pull(form=form).outcome == SyncOutcome.WAITING
        assert len(_requests(kobo, "/data/")) == before  # nothing pulled meanwhile
        from amparo.imports import services as imports

        job = ImportJob.objects.get(pk=form.pending_jobs[0])
        assert job.keep_file  # not pruned while it waits
        imports.import_confirm(job=job, by=world.users["coordinator"], keep_file=False)
        imports.import_write(job=job)
        assert round_lor.submissions.count() == 2
        assert services.form_pull(form=form).outcome == SyncOutcome.OK
        form.refresh_from_db()
        assert form.cursor == "2027-01-01T10:00:02" and form.pending_jobs == []


class TestSchedule:
    def test_due_forms_of_enabled_connections_are_pulled(
        self, world, round_lor, kobo, kobo_connection
    ):
        form = published(world, round_lor, kobo_connection)
        _add(kobo, form, kobo_submission(round_lor, 1))
        now = timezone.now()
        assert services.field_syncs_run_due(now) == 1
        assert services.field_syncs_run_due(now) == 0  # next one in 15 minutes
        assert services.field_syncs_run_due(now + timedelta(minutes=15)) == 1
        services.connection_disable(by=world.users["admin"], connection=kobo_connection)
        assert services.field_syncs_run_due(now + timedelta(hours=1)) == 0

    def test_one_pull_at_a_time(self, world, round_lor, kobo, kobo_connection):
        form = published(world, round_lor, kobo_connection)
        now = timezone.now()
        PublishedForm.objects.filter(pk=form.pk).update(running_until=now + timedelta(minutes=5))
        assert services.form_pull(form=form, now=now).outcome == "busy"
        later = now + timedelta(minutes=31)
        assert services.form_pull(form=form, now=later).outcome == SyncOutcome.OK
