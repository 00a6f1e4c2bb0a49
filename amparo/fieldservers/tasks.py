"""Pulls in the background: "sync now" enqueues one form's pull for the worker."""

from __future__ import annotations

from django_tasks import task

from amparo.fieldservers import services
from amparo.fieldservers.models import PublishedForm


@task()
def pull_form(form_id: int) -> None:
    form = PublishedForm.objects.filter(pk=form_id).first()
    if form is not None:
        services.form_pull(form=form)
