"""A rule a service refuses shows on the form: next to its field when the form has one,
above the form otherwise, and nothing is returned."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from amparo.form_errors import save_or_form_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _form() -> NameForm:
    form = NameForm({"name": "Ana"})
    assert form.is_valid()
    return form


def _refuse(error: ValidationError):
    def action() -> None:
        raise error

    return action


def test_it_returns_what_the_service_returns_and_adds_no_error() -> None:
    form = _form()
    assert save_or_form_errors(form, lambda: 42) == 42
    assert form.is_valid() and not form.errors


def test_it_puts_a_refusal_about_a_field_on_that_field() -> None:
    form = _form()
    assert save_or_form_errors(form, _refuse(ValidationError({"name": "Taken."}))) is None
    assert form.errors == {"name": ["Taken."]}


def test_it_puts_a_refusal_about_a_field_the_form_lacks_above_the_form() -> None:
    form = _form()
    save_or_form_errors(form, _refuse(ValidationError({"sector": "Fixed."})))
    assert form.non_field_errors() == ["Fixed."]
    assert "name" not in form.errors


def test_it_puts_a_refusal_without_a_field_above_the_form() -> None:
    form = _form()
    save_or_form_errors(form, _refuse(ValidationError(["Too late.", "Not yours."])))
    assert form.non_field_errors() == ["Too late.", "Not yours."]
