"""Writes of the national policy: its catalog load and program admins' changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.policy.models import ItemKind, PolicyInstrument, PolicyItem

INSTRUMENT_FIELDS = (
    "kind", "name_es", "name_en", "norm", "published", "horizon", "objectives_total",
    "guidelines_total", "services_total", "note_es", "note_en", "source", "verified",
)  # fmt: skip
ITEM_FIELDS = (
    "kind", "number", "name_es", "name_en", "name_partial", "recipient_es", "recipient_en",
    "condition", "provider", "provider_es", "provider_en", "regional_role", "note_es",
    "note_en", "source", "verified",
)  # fmt: skip


def _text(entry: dict[str, Any], name: str) -> str:
    return entry.get(name) or ""


def instrument_values(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    """The fields of an instrument row as its catalog entry gives them."""
    from datetime import date

    published = entry.get("published")
    return {
        "kind": kind,
        "name_es": entry["name_es"],
        "name_en": entry["name_en"],
        "norm": _text(entry, "norm"),
        "published": date.fromisoformat(published) if published else None,
        "horizon": entry.get("horizon"),
        "objectives_total": entry.get("objectives_total"),
        "guidelines_total": entry.get("guidelines_total"),
        "services_total": entry.get("services_total"),
        "note_es": _text(entry, "note_es"),
        "note_en": _text(entry, "note_en"),
        "source": _text(entry, "source"),
        "verified": bool(entry.get("verified")),
    }


def item_values(entry: dict[str, Any]) -> dict[str, Any]:
    """The fields of a policy entry row as its catalog entry gives them. A name the source
    shows only in part is kept as read, marked partial: nothing is filled in by guessing."""
    partial = not entry.get("name_es") and bool(entry.get("name_partial_es"))
    suffix = "_partial" if partial else ""
    return {
        "kind": entry["kind"],
        "number": entry.get("number"),
        "name_es": _text(entry, f"name{suffix}_es"),
        "name_en": _text(entry, f"name{suffix}_en"),
        "name_partial": partial,
        "recipient_es": _text(entry, "recipient_es"),
        "recipient_en": _text(entry, "recipient_en"),
        "condition": _text(entry, "condition"),
        "provider": _text(entry, "provider"),
        "provider_es": _text(entry, "provider_es"),
        "provider_en": _text(entry, "provider_en"),
        "regional_role": _text(entry, "regional_role"),
        "note_es": _text(entry, "note_es"),
        "note_en": _text(entry, "note_en"),
        "source": _text(entry, "source"),
        "verified": bool(entry.get("verified")),
    }


def policy_entries(content: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """The pack's instruments and their entries, each entry keyed by its tag
    (``PNFTP:L1.1``) with its ``kind`` and its parent's tag, parents before children."""
    policy, protocol = content["policy"], content.get("protocol")
    instruments = [{**policy, "instrument_kind": "policy"}]
    items: list[dict] = []

    def add(kind: str, prefix: str, entry: dict, parent: str | None) -> None:
        parent_tag = f"{prefix}:{parent}" if parent else None
        items.append(
            {**entry, "kind": kind, "item_code": entry["code"], "code": f"{prefix}:{entry['code']}"}
            | {"instrument": prefix, "parent": parent_tag}
        )

    for entry in content.get("objectives", []):
        add(ItemKind.OBJECTIVE, policy["code"], entry, None)
    for entry in content.get("guidelines", []):
        add(ItemKind.GUIDELINE, policy["code"], entry, entry.get("objective"))
    for entry in content.get("services", []):
        add(ItemKind.SERVICE, policy["code"], entry, entry.get("guideline"))
    if protocol:
        instruments.append({**protocol, "instrument_kind": "protocol"})
        for entry in protocol.get("axes", []):
            add(ItemKind.AXIS, protocol["code"], entry, None)
    return instruments, items


def policy_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's national policy and protocol (``policy.json``) by code, by the
    catalog's rules (``amparo/catalog/sync.py``): entries program admins edited or added
    are never overwritten, and are listed in ``count`` once per catalog change."""
    instruments, items = policy_entries(read_pack_file(pack, "policy"))
    by_code = {i.code: i for i in PolicyInstrument.objects.all()}

    def instrument_update(row: PolicyInstrument, entry: dict) -> None:
        wanted = instrument_values(entry, entry["instrument_kind"])
        changed = [k for k, v in wanted.items() if getattr(row, k) != v]
        for name in changed:
            setattr(row, name, wanted[name])
        row.save(update_fields=changed)

    catalog_entries_apply(
        kind=CatalogKind(
            name="policies",
            create=lambda e, **catalog: PolicyInstrument.objects.create(
                code=e["code"], **instrument_values(e, e["instrument_kind"]), **catalog
            ),
            differs=lambda r, e: any(
                getattr(r, k) != v for k, v in instrument_values(e, e["instrument_kind"]).items()
            ),
            update=instrument_update,
        ),
        entries=instruments,
        rows=by_code,
        count=count,
    )
    rows = {i.tag: i for i in PolicyItem.objects.select_related("instrument", "parent")}

    def wanted(entry: dict) -> dict[str, Any]:
        return {**item_values(entry), "parent": rows.get(entry["parent"] or "")}

    def item_update(row: PolicyItem, entry: dict) -> None:
        values = wanted(entry)
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)

    catalog_entries_apply(
        kind=CatalogKind(
            name="policy_entries",
            create=lambda e, **catalog: PolicyItem.objects.create(
                instrument=by_code[e["instrument"]], code=e["item_code"], **wanted(e), **catalog
            ),
            differs=lambda r, e: any(getattr(r, k) != v for k, v in wanted(e).items()),
            update=item_update,
        ),
        entries=items,
        rows=rows,
        count=count,
    )


def items_by_tag() -> dict[str, PolicyItem]:
    """Every policy entry by its tag, for loads that tag rows (controls, indicators)."""
    return {i.tag: i for i in PolicyItem.objects.select_related("instrument")}


def tagged(tags: list[str], by_tag: dict[str, PolicyItem]) -> set[int]:
    """The ids of the entries ``tags`` name; a tag of an entry not loaded is skipped."""
    return {by_tag[t].pk for t in tags if t in by_tag}


@transaction.atomic
def instrument_save(*, instrument: PolicyInstrument, **fields: object) -> PolicyInstrument:
    """Change a policy or protocol; a catalog row changed here is marked edited. Its code is
    fixed: entries and tags name it."""
    if "code" in fields and fields["code"] != instrument.code:
        raise ValidationError({"code": _("The code of a policy cannot be changed.")})
    for name, value in fields.items():
        setattr(instrument, name, value)
    if instrument.from_catalog:
        instrument.edited = True
    instrument.full_clean()
    instrument.save()
    return instrument


@transaction.atomic
def item_save(
    *, instrument: PolicyInstrument, item: PolicyItem | None = None, **fields: object
) -> PolicyItem:
    """Add an entry to a policy or correct one; a catalog entry changed here is marked
    edited. The code of a catalog entry is fixed (tags name it), and an entry belongs to
    an entry of the same policy: a guideline to an objective, a service to a guideline."""
    item = item or PolicyItem(instrument=instrument)
    errors: dict[str, str] = {}
    if item.pk and item.from_catalog and fields.get("code", item.code) != item.code:
        errors["code"] = _("The code of a catalog entry cannot be changed.")
    for name, value in fields.items():
        setattr(item, name, value)
    parent = item.parent
    expected = {ItemKind.GUIDELINE: ItemKind.OBJECTIVE, ItemKind.SERVICE: ItemKind.GUIDELINE}
    if parent is not None and (
        parent.instrument_id != instrument.pk or expected.get(item.kind) != parent.kind
    ):
        errors["parent"] = _(
            "A guideline belongs to an objective and a service to a guideline of the same policy."
        )
    if errors:
        raise ValidationError(errors)
    if item.pk and item.from_catalog:
        item.edited = True
    item.full_clean()
    item.save()
    return item
