"""The background worker pulls answers from field servers without anyone asking."""

from __future__ import annotations

from amparo.fieldservers.models import PublishedForm
from amparo.fieldservers.tests.conftest import kobo_submission
from amparo.fieldservers.tests.test_pull import _add, published
from amparo.ops import jobs
from amparo.ops.models import JobOutcome


def test_the_recurring_field_sync_job_pulls_due_forms_once(
    world, round_lor, kobo, kobo_connection
) -> None:
    form = published(world, round_lor, kobo_connection)
    _add(kobo, form, kobo_submission(round_lor, 1))
    assert jobs.REGISTRY["field-syncs"] is jobs.FIELD_SYNCS
    state = jobs.run_job(jobs.FIELD_SYNCS)
    assert state.last_outcome == JobOutcome.OK
    assert state.last_message == "pulled 1 published form(s)"
    assert PublishedForm.objects.get(pk=form.pk).next_at is not None  # the next pull set
    # Run again at once (as cron would, next to the worker): nothing done twice.
    assert jobs.run_job(jobs.FIELD_SYNCS) is None
