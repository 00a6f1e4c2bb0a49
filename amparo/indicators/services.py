"""Writes for indicators: the catalog, baselines and targets, observations from the grid
form and from files (one transaction, all or nothing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED, Unchanged, apply_changes
from amparo.indicators.models import (
    Aggregation,
    DisaggregationDimension,
    DisaggregationValue,
    Indicator,
    Observation,
    Target,
)
from amparo.indicators.observation_import import ObservationRow
from amparo.mitigation.models import Measure
from amparo.policy.models import PolicyItem
from amparo.policy.services import items_by_tag, tagged
from amparo.territory.models import Region, Sector

CATALOG_FIELDS = (
    "name_es",
    "name_en",
    "level",
    "unit",
    "direction",
    "aggregation",
    "frequency",
    "disaggregations",
    "computed_from",
    "caveat_es",
    "caveat_en",
    "source",
    "verified",
)


@transaction.atomic
def indicators_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's indicators by code, by the catalog's rules (``amparo/catalog/sync.py``):
    indicators users edited or created are never overwritten, and are listed in ``count``
    once per catalog change. Ratios come after the indicators they divide, since a ratio
    always has its two parts."""
    content = read_pack_file(pack, "indicators")["indicators"]
    sectors = {s.code: s for s in Sector.objects.all()}
    # Kept current by the load, so a ratio finds the parts created before it.
    by_code = {
        i.code: i
        for i in Indicator.objects.select_related(
            "sector", "numerator", "denominator"
        ).prefetch_related("policy_items")
    }
    by_tag = items_by_tag()

    def values(entry: dict) -> dict[str, object]:
        return {
            **{k: entry[k] for k in CATALOG_FIELDS},
            "is_key": entry.get("key", False),
            "sector": sectors.get(entry.get("sector") or ""),
            "numerator": by_code.get(entry.get("numerator") or ""),
            "denominator": by_code.get(entry.get("denominator") or ""),
            "standard": entry.get("standard") or {},
        }

    def differs(indicator: Indicator, entry: dict) -> bool:
        return any(getattr(indicator, k) != v for k, v in values(entry).items()) or (
            {p.pk for p in indicator.policy_items.all()} != tagged(entry.get("policy", []), by_tag)
        )

    def create(entry: dict, **catalog: object) -> Indicator:
        indicator = Indicator.objects.create(code=entry["code"], **values(entry), **catalog)
        indicator.policy_items.set(tagged(entry.get("policy", []), by_tag))
        return indicator

    def update(indicator: Indicator, entry: dict) -> None:
        wanted = values(entry)
        changed = [k for k, v in wanted.items() if getattr(indicator, k) != v]
        for name in changed:
            setattr(indicator, name, wanted[name])
        indicator.save(update_fields=changed)
        indicator.policy_items.set(tagged(entry.get("policy", []), by_tag))

    catalog_entries_apply(
        kind=CatalogKind(
            name="indicators",
            create=create,
            differs=differs,
            update=update,
        ),
        entries=sorted(content, key=lambda e: e["aggregation"] == "ratio"),
        rows=by_code,
        count=count,
    )


DIMENSION_FIELDS = ("name_es", "name_en", "note_es", "note_en", "source", "verified")
VALUE_FIELDS = (
    "label_es", "label_en", "min_age", "max_age", "sdg_series", "source", "verified",
)  # fmt: skip


def _fields(entry: dict, names: tuple[str, ...]) -> dict[str, object]:
    """The entry's values for ``names``; a text the pack leaves ``null`` is empty."""
    return {
        n: ("" if entry.get(n) is None and n not in ("min_age", "max_age") else entry.get(n))
        for n in names
    }


def _bring(row: object, wanted: dict[str, object]) -> None:
    changed = [k for k, v in wanted.items() if getattr(row, k) != v]
    for name in changed:
        setattr(row, name, wanted[name])
    row.save(update_fields=changed)


def disaggregations_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's disaggregation vocabularies (``disaggregations.json``) by code, by
    the catalog's rules: dimensions and values program admins edited or added are never
    overwritten, and are listed in ``count`` once per catalog change. Values are keyed
    as observations store them: ``sex=f``."""
    content = read_pack_file(pack, "disaggregations")["dimensions"]
    dimensions = {d.code: d for d in DisaggregationDimension.objects.all()}
    catalog_entries_apply(
        kind=CatalogKind(
            name="disaggregations",
            create=lambda e, **catalog: DisaggregationDimension.objects.create(
                code=e["code"], **_fields(e, DIMENSION_FIELDS), **catalog
            ),
            differs=lambda r, e: any(
                getattr(r, k) != v for k, v in _fields(e, DIMENSION_FIELDS).items()
            ),
            update=lambda r, e: _bring(r, _fields(e, DIMENSION_FIELDS)),
        ),
        entries=[{k: v for k, v in d.items() if k != "values"} for d in content],
        rows=dimensions,
        count=count,
    )
    values = [
        {**value, "code": f"{d['code']}={value['code']}", "value": value["code"]}
        for d in content
        for value in d["values"]
    ]
    catalog_entries_apply(
        kind=CatalogKind(
            name="disaggregation_values",
            create=lambda e, **catalog: DisaggregationValue.objects.create(
                dimension=dimensions[e["code"].split("=", 1)[0]],
                code=e["value"],
                **_fields(e, VALUE_FIELDS),
                **catalog,
            ),
            differs=lambda r, e: any(
                getattr(r, k) != v for k, v in _fields(e, VALUE_FIELDS).items()
            ),
            update=lambda r, e: _bring(r, _fields(e, VALUE_FIELDS)),
        ),
        entries=values,
        rows={v.key: v for v in DisaggregationValue.objects.select_related("dimension")},
        count=count,
    )


def disaggregation_vocabularies() -> dict[str, frozenset[str]]:
    """The values of every dimension that has a vocabulary, by dimension code: an
    observation of such a dimension must use one of them."""
    found: dict[str, set[str]] = {}
    for dimension, value in DisaggregationValue.objects.values_list("dimension__code", "code"):
        found.setdefault(dimension, set()).add(value)
    return {k: frozenset(v) for k, v in found.items()}


@transaction.atomic
def dimension_save(
    *,
    dimension: DisaggregationDimension | None = None,
    code: str | Unchanged = UNCHANGED,
    name_es: str | Unchanged = UNCHANGED,
    name_en: str | Unchanged = UNCHANGED,
    note_es: str | Unchanged = UNCHANGED,
    note_en: str | Unchanged = UNCHANGED,
    source: str | Unchanged = UNCHANGED,
    verified: bool | Unchanged = UNCHANGED,
) -> DisaggregationDimension:
    """Create or change a dimension (fields left ``UNCHANGED`` keep their value); a catalog
    one changed here is marked edited and keeps its code (observations store it)."""
    given = {"code": code, "name_es": name_es, "name_en": name_en, "note_es": note_es,
             "note_en": note_en, "source": source, "verified": verified}  # fmt: skip
    fields = {name: value for name, value in given.items() if value is not UNCHANGED}
    dimension = dimension or DisaggregationDimension()
    if dimension.pk and fields.get("code", dimension.code) != dimension.code:
        raise ValidationError({"code": _("Observations use this code: it cannot change.")})
    apply_changes(dimension, fields)
    if dimension.pk and dimension.from_catalog:
        dimension.edited = True
    dimension.full_clean()
    dimension.save()
    return dimension


@transaction.atomic
def disaggregation_value_save(
    *,
    dimension: DisaggregationDimension,
    value: DisaggregationValue | None = None,
    code: str | Unchanged = UNCHANGED,
    label_es: str | Unchanged = UNCHANGED,
    label_en: str | Unchanged = UNCHANGED,
    min_age: int | Unchanged | None = UNCHANGED,
    max_age: int | Unchanged | None = UNCHANGED,
    sdg_series: str | Unchanged = UNCHANGED,
    source: str | Unchanged = UNCHANGED,
    verified: bool | Unchanged = UNCHANGED,
) -> DisaggregationValue:
    """Add a value to a dimension or change one (fields left ``UNCHANGED`` keep their
    value); a catalog value changed here is marked edited. A value observations already
    use keeps its code; ages run upwards, and the key (``sex=f``) fits the 40 characters an
    observation keeps."""
    given = {"code": code, "label_es": label_es, "label_en": label_en, "min_age": min_age,
             "max_age": max_age, "sdg_series": sdg_series, "source": source,
             "verified": verified}  # fmt: skip
    fields = {name: new for name, new in given.items() if new is not UNCHANGED}
    value = value or DisaggregationValue(dimension=dimension)
    errors: dict[str, str] = {}
    new_code = fields.get("code", value.code)
    if value.pk and new_code != value.code:
        key = value.key
        used = Observation.objects.filter(  # alone, or part of a combined group
            Q(disaggregation=key)
            | Q(disaggregation__startswith=f"{key};")
            | Q(disaggregation__endswith=f";{key}")
            | Q(disaggregation__contains=f";{key};")
        ).exists()
        if used or value.from_catalog:
            errors["code"] = _("Observations or the catalog use this code: it cannot change.")
    if len(f"{dimension.code}={new_code}") > 40:
        errors["code"] = _("The dimension and value together must fit in 40 characters.")
    low, high = fields.get("min_age", value.min_age), fields.get("max_age", value.max_age)
    if low is not None and high is not None and high < low:
        errors["max_age"] = _("The upper age cannot be below the lower one.")
    if errors:
        raise ValidationError(errors)
    apply_changes(value, fields)
    if value.pk and value.from_catalog:
        value.edited = True
    value.full_clean()
    value.save()
    return value


@transaction.atomic
def target_save(
    *, indicator: Indicator, region: Region, kind: str, period: date, value: Decimal | None
) -> None:
    """Set a baseline or target, or remove it when ``value`` is None."""
    if value is None:
        Target.objects.filter(indicator=indicator, region=region, kind=kind, period=period).delete()
        return
    Target.objects.update_or_create(
        indicator=indicator, region=region, kind=kind, period=period, defaults={"value": value}
    )


@transaction.atomic
def observations_save(
    *,
    region: Region,
    by: User,
    values: dict[Indicator, tuple[date, Decimal | None]],
    source: str = "",
) -> int:
    """Save a row of the entry grid: one value per indicator for its period; an emptied cell
    removes the value. Computed and ratio indicators cannot be typed."""
    written = 0
    for indicator, (period, value) in values.items():
        if not indicator.typed:
            raise ValidationError(
                _("%(code)s is computed; it cannot be typed.") % {"code": indicator.code}
            )
        if value is None:
            Observation.objects.filter(
                indicator=indicator, region=region, period=period, disaggregation=""
            ).delete()
            continue
        if value < 0:
            raise ValidationError(
                _("%(code)s: a value cannot be negative.") % {"code": indicator.code}
            )
        Observation.objects.update_or_create(
            indicator=indicator,
            region=region,
            period=period,
            disaggregation="",
            defaults={"value": value, "source": source, "created_by": by},
        )
        written += 1
    return written


@transaction.atomic
def observations_import(*, rows: list[ObservationRow], by: User) -> int:
    """Write checked rows from a file in one transaction (a value already there is replaced)."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    for row in rows:
        Observation.objects.update_or_create(
            indicator=indicators[row.indicator],
            region=regions[row.region],
            period=row.period,
            disaggregation=row.disaggregation,
            defaults={"value": row.value, "source": row.source, "note": row.note, "created_by": by},
        )
    return len(rows)


INDICATOR_FIELDS = (
    "code", "name_es", "name_en", "level", "unit", "direction", "aggregation", "numerator",
    "denominator", "frequency", "sector", "disaggregations", "caveat_es", "caveat_en", "is_key",
    "policy_items",
)  # fmt: skip


def indicator_problems(
    *, indicator: Indicator | None, values: dict[str, object]
) -> dict[str, list[str]]:
    """What is wrong with ``values`` for ``indicator`` (None: a new one), by field: the
    rules of ``indicator_save``; the form shows them next to the fields."""
    errors: dict[str, list[str]] = {}
    if (
        indicator is not None
        and indicator.from_catalog
        and values.get("code", indicator.code) != indicator.code
    ):
        errors["code"] = [_("The code of a catalog indicator cannot change.")]
    numerator, denominator = values.get("numerator"), values.get("denominator")
    if values.get("aggregation") == Aggregation.RATIO:
        for name, part in (("numerator", numerator), ("denominator", denominator)):
            if part is None:
                errors[name] = [_("A ratio needs a numerator and a denominator.")]
            elif indicator is not None and part.pk == indicator.pk:
                errors[name] = [_("An indicator cannot be a part of itself.")]
            elif part.aggregation == Aggregation.RATIO:
                errors[name] = [_("A part of a ratio cannot be a ratio itself.")]
    elif numerator is not None or denominator is not None:
        errors["aggregation"] = [_("Only a ratio has a numerator and a denominator.")]
    return errors


@transaction.atomic
def indicator_save(
    *,
    indicator: Indicator | None,
    by: User,
    code: str | Unchanged = UNCHANGED,
    name_es: str | Unchanged = UNCHANGED,
    name_en: str | Unchanged = UNCHANGED,
    level: str | Unchanged = UNCHANGED,
    unit: str | Unchanged = UNCHANGED,
    direction: str | Unchanged = UNCHANGED,
    aggregation: str | Unchanged = UNCHANGED,
    numerator: Indicator | Unchanged | None = UNCHANGED,
    denominator: Indicator | Unchanged | None = UNCHANGED,
    frequency: str | Unchanged = UNCHANGED,
    sector: Sector | Unchanged | None = UNCHANGED,
    disaggregations: list[str] | Unchanged = UNCHANGED,
    caveat_es: str | Unchanged = UNCHANGED,
    caveat_en: str | Unchanged = UNCHANGED,
    is_key: bool | Unchanged = UNCHANGED,
    policy_items: list[PolicyItem] | Unchanged = UNCHANGED,
) -> Indicator:
    """Create an indicator, or change the ``INDICATOR_FIELDS`` given (those left
    ``UNCHANGED`` keep their stored value).

    Rules: a ratio names a numerator and a denominator, two other indicators that are not
    ratios themselves; any other method names neither. A catalog indicator keeps its code
    (files and the catalog refer to it) and is marked edited, so reloading the catalog
    keeps the change. ``by`` is recorded in the history. ``policy_items``, when given,
    replaces the national-policy entries it measures."""
    given = {
        "code": code, "name_es": name_es, "name_en": name_en, "level": level, "unit": unit,
        "direction": direction, "aggregation": aggregation, "numerator": numerator,
        "denominator": denominator, "frequency": frequency, "sector": sector,
        "disaggregations": disaggregations, "caveat_es": caveat_es, "caveat_en": caveat_en,
        "is_key": is_key, "policy_items": policy_items,
    }  # fmt: skip
    values = {name: value for name, value in given.items() if value is not UNCHANGED}
    errors = indicator_problems(indicator=indicator, values=values)
    if errors:
        raise ValidationError(errors)
    policy_items = values.pop("policy_items", None)
    indicator = indicator or Indicator()
    apply_changes(indicator, values)
    if indicator.from_catalog:
        indicator.edited = True
    indicator._history_user = by
    indicator.full_clean()
    indicator.save()
    if policy_items is not None:
        indicator.policy_items.set(policy_items)
    return indicator


@transaction.atomic
def indicator_measures_link(
    *, indicator: Indicator, measures: list[Measure], visible: QuerySet[Measure]
) -> None:
    """Link ``indicator`` to exactly ``measures`` among the ``visible`` ones (a queryset of
    the measures the person may see); links to measures they cannot see are kept."""
    hidden = indicator.measures.exclude(pk__in=visible.values("pk"))
    indicator.measures.set([*hidden, *measures])
