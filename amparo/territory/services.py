"""Writes to territory data. Each function is one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from amparo.catalog import read_pack_file
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED, Unchanged, apply_changes
from amparo.territory.models import Contact, Organization, Region, Sector
from amparo.territory.organization_import import OrganizationRow

COORDINATE_STEP = Decimal("0.00001")


def _upsert(model: type, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[bool, bool]:
    """Create the row or bring it to ``values``; report (created, changed) without touching
    rows that already match, so a second load writes nothing."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        model.objects.create(**lookup, **values)
        return True, False
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return False, bool(changed)


def capital_coordinate_values(coordinates: dict[str, Any] | None) -> dict[str, Any]:
    """A region's capital coordinates as its fields, from a pack entry's
    ``capital_coordinates`` (latitude, longitude in decimal degrees, source, verified); no
    entry leaves the region without coordinates (no travel-time suggestion)."""
    if not coordinates:
        return {
            "capital_latitude": None,
            "capital_longitude": None,
            "coordinates_source": "",
            "coordinates_verified": False,
        }
    return {
        "capital_latitude": Decimal(str(coordinates["latitude"])).quantize(COORDINATE_STEP),
        "capital_longitude": Decimal(str(coordinates["longitude"])).quantize(COORDINATE_STEP),
        "coordinates_source": coordinates["source"],
        "coordinates_verified": bool(coordinates.get("verified", False)),
    }


@transaction.atomic
def territory_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load a pack's regions and sectors, keyed by their codes (no duplicates on re-run)."""
    content = read_pack_file(pack, "territory")
    country = content["country"]
    for entry in content["regions"]:
        values = {k: entry[k] for k in ("name", "capital", "source", "verified")}
        values.update(capital_coordinate_values(entry.get("capital_coordinates")))
        created, changed = _upsert(Region, {"code": entry["code"]}, {**values, "country": country})
        count.add("regions", created=created, changed=changed)
    for entry in content["sectors"]:
        values = {k: entry[k] for k in ("name_es", "name_en", "counterpart", "source", "verified")}
        created, changed = _upsert(Sector, {"code": entry["code"]}, {**values, "country": country})
        count.add("sectors", created=created, changed=changed)


@transaction.atomic
def organization_create(
    *,
    region: Region,
    name: str,
    kind: str,
    sector: Sector | None = None,
    parent: Organization | None = None,
    city: str = "",
    notes: str = "",
) -> Organization:
    """Create an organization in ``region``."""
    organization = Organization(
        region=region, name=name, kind=kind, sector=sector, parent=parent, city=city, notes=notes
    )
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    name: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    sector: Sector | Unchanged | None = UNCHANGED,
    parent: Organization | Unchanged | None = UNCHANGED,
    city: str | Unchanged = UNCHANGED,
    notes: str | Unchanged = UNCHANGED,
) -> Organization:
    """Change an organization; its region never changes through an edit. Fields left
    ``UNCHANGED`` keep their stored value."""
    apply_changes(
        organization,
        {"name": name, "kind": kind, "sector": sector, "parent": parent, "city": city,
         "notes": notes},
    )  # fmt: skip
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def contact_create(
    *, organization: Organization, name: str, title: str = "", email: str = "", phone: str = ""
) -> Contact:
    contact = Contact(organization=organization, name=name, title=title, email=email, phone=phone)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    organization: Organization | Unchanged = UNCHANGED,
    name: str | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
) -> Contact:
    """Change a contact (fields left ``UNCHANGED`` keep their stored value)."""
    apply_changes(
        contact,
        {"organization": organization, "name": name, "title": title, "email": email,
         "phone": phone},
    )  # fmt: skip
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def organizations_import(
    *,
    rows: Sequence[OrganizationRow],
    aliases: Mapping[tuple[str, str], str],
    regions: QuerySet[Region],
) -> int:
    """Write checked rows of an organization import (``organization_import.py``): the new
    organizations, then their parents (an organization already in the region, or one of
    the file; a skipped duplicate stands for the organization it repeats), then the
    contacts. One transaction; returns how many rows were written."""
    by_code = {r.code: r for r in regions.filter(code__in={row.region for row in rows})}
    sectors = {s.code: s for s in Sector.objects.filter(code__in={r.sector for r in rows})}
    created: dict[tuple[str, str], Organization] = {}
    for row in rows:
        if not row.new:
            continue
        organization = Organization(
            region=by_code[row.region],
            kind=row.kind,
            name=row.name,
            city=row.city,
            sector=sectors.get(row.sector),
            notes=row.notes,
        )
        organization.full_clean()
        organization.save()
        created[(row.region, row.name)] = organization
    wanted = {
        (row.region, aliases.get((row.region, row.parent), row.parent))
        for row in rows
        if row.new and row.parent
    }
    parents = {
        (o.region.code, o.name): o
        for o in Organization.objects.select_related("region").filter(
            region__code__in={r for r, _ in wanted}, name__in={n for _, n in wanted}
        )
    }
    for row in rows:
        if row.new and row.parent:
            child = created[(row.region, row.name)]
            child.parent = parents[(row.region, aliases.get((row.region, row.parent), row.parent))]
            child.save(update_fields=["parent", "updated_at"])
    for row in rows:
        if row.contact is not None:
            contact = Contact(
                organization=created[(row.region, row.name)],
                name=row.contact.name,
                title=row.contact.position,
                email=row.contact.email,
                phone=row.contact.phone,
            )
            contact.full_clean()
            contact.save()
    return len(rows)
