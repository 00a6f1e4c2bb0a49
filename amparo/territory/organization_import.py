"""Organizations and their contacts from a spreadsheet: the columns (Spanish or English
headers), the checks of each row and the likely duplicates (pure; no Django import).

One row is an organization (a church, a fraternity member, a ministry office, ...) and,
optionally, one of its institutional contacts. A row that repeats an organization of an
earlier row (same name, kind and city) adds its contact to it. Any error makes the file
unimportable (nothing is written); likely duplicates are skipped unless the person
confirms their rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from amparo.imports.checking import CheckReport, Problem, body_rows, header_row
from amparo.tabular import Row

MAX_ROWS = 5000
# field -> (Spanish header, English header); both are accepted, in any order and case.
COLUMNS: dict[str, tuple[str, str]] = {
    "kind": ("tipo", "kind"),
    "name": ("nombre", "name"),
    "region": ("región", "region"),
    "city": ("ciudad", "city"),
    "parent": ("pertenece a", "part of"),
    "sector": ("sector", "sector"),
    "notes": ("notas", "notes"),
    "contact_name": ("contacto", "contact"),
    "contact_position": ("cargo", "position"),
    "contact_email": ("correo", "email"),
    "contact_phone": ("teléfono", "phone"),
}
REQUIRED = ("kind", "name")
MAX_LENGTH = {
    "name": 200,
    "city": 100,
    "parent": 200,
    "notes": 2000,
    "contact_name": 200,
    "contact_position": 200,
    "contact_email": 254,
    "contact_phone": 40,
}
CONTACT_FIELDS = ("contact_name", "contact_position", "contact_email", "contact_phone")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# Duplicates the person may confirm (the row is then imported as a new organization).
CONFIRMABLE = frozenset({"likely_duplicate", "likely_duplicate_in_file"})


def folded(text: str) -> str:
    """Text compared without case, accents, punctuation or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def header_fields(header: list[str]) -> dict[int, str]:
    """Which field each column holds, by its Spanish or English header (a trailing ``*``
    marks a required column in the template and is ignored)."""
    known = {folded(name): f for f, names in COLUMNS.items() for name in names}
    return {
        i: known[folded(cell.rstrip("* "))]
        for i, cell in enumerate(header)
        if folded(cell.rstrip("* ")) in known
    }


@dataclass(frozen=True)
class ImportContext:
    region: str  # the job's region code: rows that name none go there
    kinds: Mapping[str, str]  # folded code or label (es, en) -> kind code
    regions: Mapping[str, str]  # folded region code or name -> region code
    allowed_regions: frozenset[str]  # codes of the regions the person may change
    sectors: Mapping[str, str]  # folded sector code -> sector code
    # the organizations already in the given regions: region code -> [(name, city)]
    existing: Callable[[frozenset[str]], Mapping[str, list[tuple[str, str]]]]
    confirmed: frozenset[int] = frozenset()  # rows the person confirmed as not duplicates


@dataclass(frozen=True)
class ContactRow:
    name: str
    position: str
    email: str
    phone: str


@dataclass(frozen=True)
class OrganizationRow:
    row: int
    region: str
    kind: str
    name: str
    city: str
    parent: str  # the parent's name as written; empty for none
    sector: str  # a sector code or empty
    notes: str
    contact: ContactRow | None
    new: bool  # False: the row adds its contact to an organization of an earlier row


@dataclass
class OrganizationParse(CheckReport):
    rows: list[OrganizationRow] = field(default_factory=list)  # what would be written
    # (region, name written in a skipped row) -> the name of the organization it repeats,
    # so that a row naming it as its parent finds the organization that is kept
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)

    def error(self, row: int, column: str, reason: str, value: str = "") -> None:
        self.add(Problem(row, column, reason, value[:200]))
        self.fatal = True


@dataclass
class _Seen:
    """What earlier rows and the region already hold, to find repeats and duplicates."""

    exact: dict[tuple[str, str], tuple[str, str, bool]]  # (region, name) -> kind, city, in file
    likely: dict[tuple[str, str, str], str]  # (region, folded name, folded city) -> name
    in_file: set[tuple[str, str, str]] = field(default_factory=set)


def _cells(row: list[str], columns: Mapping[int, str]) -> dict[str, str]:
    cells = dict.fromkeys(COLUMNS, "")
    for i, name in columns.items():
        if i < len(row):
            cells[name] = row[i].strip()
    return cells


def _column(field_name: str) -> str:
    return COLUMNS[field_name][0]


def _check_cells(number: int, cells: dict[str, str], ctx: ImportContext, report) -> dict | None:
    """The row's values, or None when it has an error (recorded on ``report``)."""
    errors_before = report.problem_count
    for name in REQUIRED:
        if not cells[name]:
            report.error(number, _column(name), "missing_value")
    for name, limit in MAX_LENGTH.items():
        if len(cells[name]) > limit:
            report.error(number, _column(name), "too_long", cells[name])
    kind = ctx.kinds.get(folded(cells["kind"])) if cells["kind"] else None
    if cells["kind"] and kind is None:
        report.error(number, _column("kind"), "unknown_kind", cells["kind"])
    region = ctx.region
    if cells["region"]:
        region = ctx.regions.get(folded(cells["region"]), "")
        if not region:
            report.error(number, _column("region"), "unknown_region", cells["region"])
        elif region not in ctx.allowed_regions:
            report.error(number, _column("region"), "region_not_allowed", cells["region"])
    sector = ""
    if cells["sector"]:
        sector = ctx.sectors.get(folded(cells["sector"]), "")
        if not sector:
            report.error(number, _column("sector"), "unknown_sector", cells["sector"])
    if cells["contact_email"] and not EMAIL.match(cells["contact_email"]):
        report.error(number, _column("contact_email"), "bad_email", cells["contact_email"])
    if not cells["contact_name"] and any(cells[f] for f in CONTACT_FIELDS[1:]):
        report.error(number, _column("contact_name"), "missing_contact_name")
    if cells["parent"] and cells["parent"] == cells["name"]:
        report.error(number, _column("parent"), "own_parent", cells["parent"])
    if report.problem_count > errors_before:
        return None
    return {**cells, "kind": kind, "region": region, "sector": sector}


def _contact(values: Mapping[str, str]) -> ContactRow | None:
    if not values["contact_name"]:
        return None
    return ContactRow(
        values["contact_name"],
        values["contact_position"],
        values["contact_email"],
        values["contact_phone"],
    )


def _place(number: int, values: dict, ctx: ImportContext, seen: _Seen, report) -> None:
    """Decide what the checked row becomes: a new organization, a contact of an earlier
    row's organization, a row skipped as already there, or a likely duplicate."""
    region, name, city = values["region"], values["name"], values["city"]
    exact = (region, name)
    likely = (region, folded(name), folded(city))
    row = OrganizationRow(
        number,
        region,
        values["kind"],
        name,
        city,
        values["parent"],
        values["sector"],
        values["notes"],
        _contact(values),
        True,
    )
    if exact in seen.exact:
        kind, known_city, in_file = seen.exact[exact]
        if folded(known_city) != folded(city) or (in_file and kind != row.kind):
            report.error(number, _column("name"), "name_taken", name)
        elif in_file and row.contact is not None:
            report.rows.append(replace(row, new=False))
        else:
            report.rows_already += 1
            report.add(
                Problem(number, _column("name"), "repeated_in_file" if in_file else "exists", name)
            )
        return
    if likely in seen.likely and number not in ctx.confirmed:
        reason = "likely_duplicate_in_file" if likely in seen.in_file else "likely_duplicate"
        report.rows_already += 1
        report.add(Problem(number, _column("name"), reason, f"{name} ≈ {seen.likely[likely]}"))
        report.aliases[exact] = seen.likely[likely]
        return
    seen.exact[exact] = (row.kind, city, True)
    seen.likely.setdefault(likely, name)
    seen.in_file.add(likely)
    report.rows.append(row)


def _check_parents(report: OrganizationParse, seen: _Seen) -> None:
    """Each parent names an organization of the row's region: one already there, or one
    of the file; and no organization ends up inside itself."""
    parents: dict[tuple[str, str], str] = {}
    for row in report.rows:
        if not row.parent:
            continue
        target = report.aliases.get((row.region, row.parent), row.parent)
        if (row.region, target) not in seen.exact:
            report.error(row.row, _column("parent"), "unknown_parent", row.parent)
        elif row.new:
            parents[(row.region, row.name)] = target
    for row in report.rows:
        chain, current = set(), (row.region, row.name)
        while current in parents and current not in chain:
            chain.add(current)
            current = (row.region, parents[current])
        if current in chain:
            report.error(row.row, _column("parent"), "parent_cycle", row.parent)


def parse_organizations(
    rows: Iterator[Row], ctx: ImportContext, on_row: Callable[[int], None] | None = None
) -> OrganizationParse:
    """Check every row; ``rows`` holds the organizations to write only when the report is
    not fatal."""
    report = OrganizationParse()
    header = header_row(rows, report)
    if header is None:
        return report
    columns = header_fields(header)
    missing = [f for f in REQUIRED if f not in columns.values()]
    for name in missing:
        report.refuse(Problem(1, _column(name), "missing_column"))
    if missing:
        return report
    report.unknown_columns = [c for i, c in enumerate(header) if i not in columns and c.strip()]
    checked: list[tuple[int, dict]] = []
    for number, row in body_rows(rows, report, on_row):
        if report.rows_read > MAX_ROWS:
            report.refuse(Problem(number, "", "too_many_rows"))
            return report
        values = _check_cells(number, _cells(row, columns), ctx, report)
        if values is not None:
            checked.append((number, values))
    if report.problem_count:  # an unreadable row is an error too: nothing is written
        report.fatal = True
        return report
    existing = ctx.existing(frozenset(v["region"] for _, v in checked))
    seen = _Seen(exact={}, likely={})
    for region, organizations in existing.items():
        for name, city in organizations:
            seen.exact[(region, name)] = ("", city, False)
            seen.likely.setdefault((region, folded(name), folded(city)), name)
    for number, values in checked:
        _place(number, values, ctx, seen, report)
    _check_parents(report, seen)
    report.rows_valid = report.rows_read - _rows_with_errors(report)
    return report


def _rows_with_errors(report: CheckReport) -> int:
    warnings = CONFIRMABLE | {"exists", "repeated_in_file"}
    return len({p.row for p in report.problems if p.reason not in warnings})


def template_rows(language: str) -> list[str]:
    """The template's header in ``language`` (es or en), required columns marked."""
    index = 0 if language == "es" else 1
    return [names[index] + (" *" if f in REQUIRED else "") for f, names in COLUMNS.items()]


def kinds_lookup(choices: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Folded kind codes and labels -> kind code, from (code, [labels]) pairs."""
    lookup: dict[str, str] = {}
    for code, labels in choices:
        lookup[folded(code)] = code
        for label in labels:
            lookup.setdefault(folded(label), code)
    return lookup
