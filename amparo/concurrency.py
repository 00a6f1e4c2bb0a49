"""Optimistic concurrency for rows that several people edit (findings, measures, events).

Each such row has a ``version`` that goes up by one on every change. An edit states the
version it was based on; ``claim`` moves the stored row to the next version only if it is
still at that one, in a single ``UPDATE ... WHERE version = expected``, so of two
simultaneous saves exactly one wins and the other gets ``VersionConflict`` before anything
of it is written. Changes that apply to whatever the row holds now (status moves, lifecycle
actions) use ``claim_current``, which moves the version on too, so an edit form opened
before them is noticed as stale. Both must run inside the caller's transaction: the
``UPDATE`` also locks the row until it ends.

Services that save such a row take each field as a keyword argument that defaults to
``UNCHANGED``, so a caller states only what it changes (an API ``PATCH``, an accepted
suggestion) and the rest stays as stored. Pages edit these rows through ``edit_page``, the
one flow from a submitted form to the saved row, the form's errors or the conflict page;
the API has its counterpart in ``amparo.api.versioned``.

The comparison shown to the person lives in ``amparo.conflicts`` (pure).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django import forms
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from amparo.conflicts import MAX_VERSION, FieldComparison, compare_fields, differing, is_stale
from amparo.form_errors import save_or_form_errors

M = TypeVar("M", bound=models.Model)

CHANGES_SHOWN = 5


class VersionConflict(Exception):
    """The row was changed by someone else after the edit was loaded; nothing was written."""

    def __init__(self, *, expected: int, stored: int | None) -> None:
        self.expected = expected
        self.stored = stored
        super().__init__(f"expected version {expected}, stored {stored}")


def _require_transaction(model: type[models.Model]) -> None:
    if not transaction.get_connection(model._default_manager.db).in_atomic_block:
        raise RuntimeError("claim the row inside the transaction that saves it")


def claim(instance: models.Model, *, expected: int) -> None:
    """Take ``instance``'s row for this transaction if it is still at version ``expected``
    (and ``instance`` was loaded at that version), and move it to the next version.

    Raises ``VersionConflict`` otherwise. On success ``instance.version`` is the new
    version, ready for ``instance.save()`` in the same transaction.
    """
    model = type(instance)
    _require_transaction(model)
    rows = model._default_manager.filter(pk=instance.pk)
    # An instance loaded at another version would carry that version's other fields.
    if is_stale(expected=expected, stored=instance.version):
        raise VersionConflict(expected=expected, stored=instance.version)
    if not rows.filter(version=expected).update(version=F("version") + 1):
        stored = rows.values_list("version", flat=True).first()
        raise VersionConflict(expected=expected, stored=stored)
    instance.version = expected + 1


def claim_current(rows: QuerySet[M], pk: int) -> M:
    """Take the row ``pk`` as it is now, move it to its next version and return it freshly
    read (with ``rows``' joins), locked until the transaction ends. For changes that do
    not depend on what the person saw, such as a status move."""
    _require_transaction(rows.model)
    if not rows.model._default_manager.filter(pk=pk).update(version=F("version") + 1):
        raise rows.model.DoesNotExist
    return rows.get(pk=pk)


class Unchanged(enum.Enum):
    """The type of ``UNCHANGED``: an argument the caller left out of a change."""

    UNCHANGED = "unchanged"


# The default of a service's field arguments: the stored value (a new row's default) stays.
UNCHANGED = Unchanged.UNCHANGED


def apply_changes(instance: models.Model, values: Mapping[str, object]) -> set[str]:
    """Set on ``instance`` each of ``values`` that is not ``UNCHANGED``; the names set."""
    changed = {name for name, value in values.items() if value is not UNCHANGED}
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def next_version(rows: QuerySet) -> int:
    """The version the one row of ``rows`` gets on its next write (1 for a new row); for
    bulk writers such as the demo data, inside their transaction."""
    current = rows.values_list("version", flat=True).first()
    return 1 if current is None else current + 1


# --- forms ------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The version an edit form was loaded with, sent back hidden and checked on save."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("This form lacks the version it was opened with; open it again."),
        "invalid": _("This form's version is not valid; open it again."),
        "min_value": _("This form's version is not valid; open it again."),
        "max_value": _("This form's version is not valid; open it again."),
    }

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, max_value=MAX_VERSION, **kwargs)


def add_version_field(form: forms.ModelForm) -> None:
    """Give an edit form of an existing row its hidden ``version`` (initially the row's)."""
    if form.instance.pk is None:
        return
    form.fields["version"] = VersionField()
    form.initial.setdefault("version", form.instance.version)


# --- the conflict, for the person -------------------------------------------------------


@dataclass(frozen=True)
class SavedMeanwhile:
    when: datetime
    who: str
    version: int


@dataclass(frozen=True)
class Conflict:
    """What a conflict page shows: who saved meanwhile, and both versions field by field."""

    current_version: int
    saved_meanwhile: list[SavedMeanwhile]
    fields: list[FieldComparison]

    @property
    def differing(self) -> list[str]:
        return differing(self.fields)


def saved_since(instance: models.Model, version: int) -> list[SavedMeanwhile]:
    """The audit trail's records of ``instance`` newer than ``version``, newest first (one
    query, at most ``CHANGES_SHOWN``)."""
    records = (
        instance.history.filter(version__gt=version)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:CHANGES_SHOWN]
    )
    return [SavedMeanwhile(r.history_date, str(r.history_user or "—"), r.version) for r in records]


def _stored(field: forms.Field, instance: models.Model, name: str) -> object:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list(getattr(instance, name).values_list("pk", flat=True))
    return field.prepare_value(forms.models.model_to_dict(instance, fields=[name]).get(name))


def _labels(field: forms.Field, values: set[str]) -> dict[str, str]:
    """Readable text for the coded values a field holds (one query for a model field)."""
    if isinstance(field, forms.ModelChoiceField):
        pks = [v for v in values if v.isdigit()]
        if not pks:
            return {}
        objects = field.queryset.model._default_manager.filter(pk__in=pks)
        return {str(o.pk): str(field.label_from_instance(o)) for o in objects}
    if isinstance(field, forms.ChoiceField):
        return {str(k): str(v) for k, v in field.choices if not isinstance(v, list | tuple)}
    if isinstance(field, forms.BooleanField):
        return {"1": str(_("yes")), "0": str(_("no"))}
    return {}


def _codes(value: object) -> set[str]:
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def _row_fields(form: forms.ModelForm) -> list[tuple[str, forms.Field]]:
    """The fields of ``form`` that show the row's own values: the visible model fields
    (not ``version``, nor a form-only field such as an override reason)."""
    names = form._meta.fields or ()
    return [
        (name, field)
        for name, field in form.fields.items()
        if name in names and name != "version" and not field.widget.is_hidden
    ]


def conflict_for(form: forms.ModelForm, current: models.Model) -> Conflict:
    """Compare the stored row ``current`` with the values ``form`` (valid, stale) carries,
    over the row's fields on the form."""
    rows, labels = [], {}
    for name, field in _row_fields(form):
        stored = _stored(field, current, name)
        submitted = field.prepare_value(form.cleaned_data.get(name))
        if isinstance(field, forms.ModelMultipleChoiceField):
            submitted = [field.prepare_value(v) for v in form.cleaned_data.get(name) or []]
        labels[name] = _labels(field, _codes(stored) | _codes(submitted))
        rows.append((name, str(field.label), stored, submitted))
    expected = form.cleaned_data.get("version") or 0
    return Conflict(current.version, saved_since(current, expected), compare_fields(rows, labels))


def reapply_initial(form: forms.ModelForm, current: models.Model) -> dict[str, object]:
    """Initial values for a form that puts the person's values on top of ``current``."""
    return {**form.cleaned_data, "version": current.version}


# --- the one flow of an edit page ------------------------------------------------------


def edit_page(
    request: HttpRequest,
    form: forms.ModelForm,
    *,
    save: Callable[[dict[str, Any], int | None], M],
    reload: Callable[[], M],
    refill: Callable[[M, dict[str, object]], forms.ModelForm],
    template: str,
    context: Callable[[M | None], dict[str, object]],
    saved: Callable[[M], HttpResponse],
) -> HttpResponse:
    """The one way a page edits (or creates) a row that carries a version.

    On a valid POST, ``save(values, expected_version)`` calls the service with the form's
    values (without ``version``) and the version the form was loaded with (None for a new
    row); the answer is then ``saved(row)``. A rule the service refuses becomes errors on
    the form (422). When someone saved the row meanwhile the answer is 409, with the
    conflict: the row as ``reload()`` reads it now and the person's values field by field,
    who saved meanwhile, and ``refill(current, initial)``, the edit form holding the
    person's values on top of the current version. Anything else shows the form (200, or
    422 with its errors). ``context(row)`` is the page around the form, for the row shown
    (None for a new one).
    """
    shown = form.instance if form.instance.pk else None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        expected = values.pop("version", None)
        try:
            row = save_or_form_errors(form, lambda: save(values, expected))
        except VersionConflict:
            current = reload()
            page = {
                **context(current),
                "conflict": conflict_for(form, current),
                "form": refill(current, reapply_initial(form, current)),
            }
            return render(request, template, page, status=409)
        if row is not None:
            return saved(row)
    return render(
        request,
        template,
        {**context(shown), "form": form},
        status=422 if form.errors else 200,
    )
