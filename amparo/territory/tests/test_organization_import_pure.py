"""The checks of an organization import, without the database: headers in either
language, row errors, repeats, likely duplicates and parents."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.territory.organization_import import (
    COLUMNS,
    ImportContext,
    folded,
    header_fields,
    kinds_lookup,
    parse_organizations,
    template_rows,
)

KINDS = kinds_lookup(
    [
        ("church", ["Iglesia", "Church"]),
        ("fraternity", ["Fraternidad de pastores", "Pastors' fraternity"]),
        ("sector_office", ["Oficina sectorial", "Sector office"]),
    ]
)
HEADER = ["tipo", "nombre", "ciudad", "pertenece a", "contacto", "correo"]


def ctx(existing=None, confirmed=(), allowed=("PE-LOR",)) -> ImportContext:
    known = existing or {}
    return ImportContext(
        region="PE-LOR",
        kinds=KINDS,
        regions={"pe lor": "PE-LOR", "loreto": "PE-LOR", "pe uca": "PE-UCA", "ucayali": "PE-UCA"},
        allowed_regions=frozenset(allowed),
        sectors={"tur": "TUR"},
        existing=lambda codes: {c: known.get(c, []) for c in codes},
        confirmed=frozenset(confirmed),
    )


def parse(rows, context=None, header=HEADER):
    return parse_organizations(iter([header, *rows]), context or ctx())


def reasons(report) -> list[tuple[int, str]]:
    return [(p.row, p.reason) for p in report.problems]


def test_spanish_and_english_headers_are_both_read() -> None:
    es = header_fields(template_rows("es"))
    en = header_fields(template_rows("en"))
    assert sorted(es.values()) == sorted(en.values()) == sorted(COLUMNS)
    assert header_fields(["Teléfono", "E-MAIL", "Correo", "REGION"]) == {
        0: "contact_phone",
        2: "contact_email",
        3: "region",
    }


def test_a_file_without_kind_or_name_columns_is_refused() -> None:
    report = parse([["Iglesia"]], header=["tipo"])
    assert report.fatal and reasons(report) == [(1, "missing_column")]


def test_valid_rows_become_organizations_with_their_contacts() -> None:
    report = parse(
        [
            ["Iglesia", "Iglesia Bautista Belén", "Iquitos", "", "Ana Ríos", "ana@iglesia.pe"],
            ["fraternity", "Fraternidad de Iquitos", "Iquitos", "", "", ""],
        ]
    )
    assert not report.fatal and not report.problems
    church, fraternity = report.rows
    assert (church.kind, church.region, church.contact.email) == (
        "church",
        "PE-LOR",
        "ana@iglesia.pe",
    )
    assert fraternity.contact is None
    assert report.rows_valid == 2 and report.rows_already == 0


def test_each_row_error_is_named_and_makes_the_file_unimportable() -> None:
    header = [*HEADER, "región", "sector", "cargo"]
    report = parse(
        [
            ["mosque", "A", "", "", "", "", "", "", ""],
            ["church", "B", "", "", "Luis", "luis@", "", "", ""],
            ["church", "C", "", "", "", "", "Ucayali", "", ""],
            ["church", "D", "", "", "", "", "Lima", "", ""],
            ["church", "E", "", "", "", "", "", "XYZ", ""],
            ["church", "", "", "", "", "", "", "", ""],
            ["church", "F", "", "", "", "", "", "", "Pastor"],
            ["church", "G", "", "G", "", "", "", "", ""],
        ],
        header=header,
    )
    assert report.fatal and report.rows_valid < report.rows_read
    assert reasons(report) == [
        (2, "unknown_kind"),
        (3, "bad_email"),
        (4, "region_not_allowed"),
        (5, "unknown_region"),
        (6, "unknown_sector"),
        (7, "missing_value"),
        (8, "missing_contact_name"),
        (9, "own_parent"),
    ]


def test_a_parent_is_one_of_the_region_or_of_the_file() -> None:
    existing = {"PE-LOR": [("Concilio Regional", "Iquitos")]}
    report = parse(
        [
            ["church", "Iglesia Uno", "Iquitos", "Fraternidad Nauta", "", ""],
            ["church", "Iglesia Dos", "Iquitos", "Concilio Regional", "", ""],
            ["fraternity", "Fraternidad Nauta", "Nauta", "", "", ""],
            ["church", "Iglesia Tres", "Iquitos", "Nadie", "", ""],
        ],
        ctx(existing),
    )
    assert reasons(report) == [(5, "unknown_parent")]
    assert report.fatal


def test_organizations_inside_each_other_in_a_circle_are_refused() -> None:
    report = parse(
        [
            ["church", "A", "", "B", "", ""],
            ["church", "B", "", "A", "", ""],
        ]
    )
    assert report.fatal and {r for _, r in reasons(report)} == {"parent_cycle"}


def test_a_likely_duplicate_is_skipped_unless_its_row_is_confirmed() -> None:
    existing = {"PE-LOR": [("Iglesia Bautista Belén", "Iquitos")]}
    rows = [["church", "IGLESIA BAUTISTA BELEN", "iquitos", "", "", ""]]
    report = parse(rows, ctx(existing))
    assert not report.fatal
    assert reasons(report) == [(2, "likely_duplicate")]
    assert report.rows == [] and report.rows_already == 1 and report.rows_valid == 1
    confirmed = parse(rows, ctx(existing, confirmed=[2]))
    assert [r.name for r in confirmed.rows] == ["IGLESIA BAUTISTA BELEN"]
    assert confirmed.rows_already == 0


def test_the_same_name_in_another_city_is_not_a_likely_duplicate() -> None:
    existing = {"PE-LOR": [("Iglesia Bautista Belén", "Iquitos")]}
    report = parse([["church", "Iglesia Bautista Belen", "Nauta", "", "", ""]], ctx(existing))
    assert not report.problems and len(report.rows) == 1


def test_likely_duplicates_within_the_file_are_found_too() -> None:
    report = parse(
        [
            ["church", "Iglesia Pentecostal Nauta", "Nauta", "", "", ""],
            ["church", "Iglesia pentecostal  Nauta.", "NAUTA", "", "", ""],
        ]
    )
    assert reasons(report) == [(3, "likely_duplicate_in_file")]
    assert [r.row for r in report.rows] == [2]


def test_a_row_already_in_the_region_is_skipped_and_a_repeat_adds_a_contact() -> None:
    existing = {"PE-LOR": [("Iglesia Central", "Iquitos")]}
    report = parse(
        [
            ["church", "Iglesia Central", "Iquitos", "", "", ""],
            ["church", "Iglesia Nueva", "Iquitos", "", "Ana", ""],
            ["church", "Iglesia Nueva", "Iquitos", "", "Luis", ""],
            ["church", "Iglesia Nueva", "Iquitos", "", "", ""],
        ],
        ctx(existing),
    )
    assert reasons(report) == [(2, "exists"), (5, "repeated_in_file")]
    assert [(r.name, r.new, r.contact.name) for r in report.rows] == [
        ("Iglesia Nueva", True, "Ana"),
        ("Iglesia Nueva", False, "Luis"),
    ]
    assert report.rows_already == 2


def test_the_same_name_in_another_city_of_the_region_is_an_error() -> None:
    existing = {"PE-LOR": [("Iglesia Central", "Iquitos")]}
    report = parse([["church", "Iglesia Central", "Nauta", "", "", ""]], ctx(existing))
    assert report.fatal and reasons(report) == [(2, "name_taken")]


def test_a_child_of_a_skipped_duplicate_belongs_to_the_organization_kept() -> None:
    existing = {"PE-LOR": [("Fraternidad de Iquitos", "Iquitos")]}
    report = parse(
        [
            ["fraternity", "FRATERNIDAD DE IQUITOS", "Iquitos", "", "", ""],
            ["church", "Iglesia Sur", "Iquitos", "FRATERNIDAD DE IQUITOS", "", ""],
        ],
        ctx(existing),
    )
    assert not report.fatal
    assert report.aliases[("PE-LOR", "FRATERNIDAD DE IQUITOS")] == "Fraternidad de Iquitos"


names = st.text(alphabet="abcÁé .-", min_size=1, max_size=12).filter(lambda s: s.strip())


@given(names)
def test_folding_ignores_case_accents_punctuation_and_spacing(name) -> None:
    assert folded(name) == folded(f"  {name.upper()}. ")
    assert folded(folded(name)) == folded(name)


@given(st.lists(st.tuples(names, st.sampled_from(["Iquitos", "Nauta", ""])), max_size=12))
def test_every_row_is_written_skipped_or_an_error(rows) -> None:
    report = parse([["church", name, city, "", "", ""] for name, city in rows])
    assert report.rows_read == len(rows)
    if not report.fatal:
        assert len(report.rows) + report.rows_already == len(rows)
        written = [(r.region, folded(r.name), folded(r.city)) for r in report.rows]
        assert len(written) == len(set(written))  # no likely duplicate is written


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6, unique=True))
def test_confirming_every_duplicate_writes_every_distinct_name(base) -> None:
    rows = [["church", n, "X", "", "", ""] for n in base]
    rows += [["church", n.upper(), "x", "", "", ""] for n in base]
    first = parse(rows)
    duplicates = [p.row for p in first.problems if p.reason == "likely_duplicate_in_file"]
    assert len(duplicates) == len(base)
    confirmed = parse(rows, ctx(confirmed=duplicates))
    assert len(confirmed.rows) == 2 * len(base) and not confirmed.problems


def test_the_templates_required_marks_are_ignored_when_reading_it_back() -> None:
    header = template_rows("es")
    assert "tipo *" in header and "nombre *" in header
    report = parse(
        [["Iglesia", "Iglesia Uno", "", "Iquitos", "", "", "", "", "", "", ""]], header=header
    )
    assert not report.problems and report.rows[0].city == "Iquitos"


def test_text_over_the_columns_limit_is_an_error() -> None:
    report = parse([["church", "x" * 201, "", "", "", ""]])
    assert report.fatal and reasons(report) == [(2, "too_long")]


def test_a_row_that_cannot_be_read_makes_the_file_unimportable() -> None:
    report = parse_organizations(
        iter([HEADER, ["church", "A", "", "", "", ""], ValueError("cell too large")]), ctx()
    )
    assert report.fatal and reasons(report) == [(3, "unreadable_row")]


def test_a_file_with_too_many_rows_is_refused(monkeypatch) -> None:
    from amparo.territory import organization_import

    monkeypatch.setattr(organization_import, "MAX_ROWS", 3)
    report = parse([["church", f"I{n}", "", "", "", ""] for n in range(5)])
    assert report.fatal and reasons(report)[-1] == (5, "too_many_rows")


def test_empty_rows_are_skipped_and_short_rows_read_as_empty_cells() -> None:
    report = parse([["", "", "", "", "", ""], ["church", "Iglesia Corta"]])
    assert report.rows_read == 1 and report.rows[0].name == "Iglesia Corta"


def test_a_region_named_in_the_row_goes_there_when_the_person_may_change_it() -> None:
    header = ["tipo", "nombre", "región"]
    report = parse(
        [["church", "Iglesia de Pucallpa", "PE-UCA"]],
        ctx(allowed=("PE-LOR", "PE-UCA")),
        header=header,
    )
    assert report.rows[0].region == "PE-UCA"


def test_an_organization_of_the_same_name_in_another_region_is_not_a_duplicate() -> None:
    existing = {"PE-UCA": [("Iglesia Central", "Iquitos")]}
    report = parse([["church", "Iglesia Central", "Iquitos", "", "", ""]], ctx(existing))
    assert not report.problems and len(report.rows) == 1
