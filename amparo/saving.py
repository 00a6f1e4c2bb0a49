"""The one way views hand validated form input to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def save_or_form_errors(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run ``action``; a rule it refuses becomes errors on ``form`` (None is returned)."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None
