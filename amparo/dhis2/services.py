"""Writes of the DHIS2 mapping (program admins)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.dhis2.models import CodeKind, Dhis2Code
from amparo.indicators.models import DisaggregationValue, Indicator
from amparo.territory.models import Region


def _known(kind: str, key: str) -> bool:
    if kind == CodeKind.DATA_ELEMENT:
        return Indicator.objects.filter(code=key).exists()
    if kind == CodeKind.ORG_UNIT:
        return Region.objects.filter(code=key).exists()
    if kind == CodeKind.CATEGORY_OPTION_COMBO:
        if key == "":
            return True
        dimension, _eq, value = key.partition("=")
        return DisaggregationValue.objects.filter(dimension__code=dimension, code=value).exists()
    return key == ""


@transaction.atomic
def code_save(*, kind: str, key: str, code: str) -> Dhis2Code:
    """Name ``key`` (an indicator, a region, a disaggregation or, for the attribute option
    combo, nothing) as ``code`` in DHIS2, replacing the name it had. The key must exist in
    amparo, and a code may name only one key within a kind."""
    key, code = key.strip(), code.strip()
    if not _known(kind, key):
        raise ValidationError({"key": _("amparo has nothing by this name for this kind.")})
    if not code:
        raise ValidationError({"code": _("Give the DHIS2 code or UID.")})
    row = Dhis2Code.objects.filter(kind=kind, key=key).first() or Dhis2Code(kind=kind, key=key)
    row.code = code
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def code_delete(*, row: Dhis2Code) -> None:
    row.delete()
