"""The submission parser on the files Kobo and ODK Central produce, and on broken ones:
it never crashes and reports each problem with its row and column (no database)."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.questionnaires.submissions import (
    MAX_INTEGER,
    FieldSpec,
    ImportContext,
    parse_submissions,
)
from amparo.tabular import csv_rows, xlsx_rows

FIELDS = (
    FieldSpec("tur", "hostels_check", "choice", frozenset({"never", "sometimes", "always"}), True),
    FieldSpec("tur", "has_protocol", "yes_no", frozenset({"yes", "no"})),
    FieldSpec("tur", "inspections", "integer"),
    FieldSpec("tur", "notes", "text"),
)
CONTEXT = ImportContext(FIELDS, frozenset({"v1"}), 2, frozenset({"PE-LOR"}))

KOBO = (
    "start,end,amparo_region,amparo_round,amparo_version,tur/hostels_check,tur/has_protocol,"
    "tur/inspections,tur/notes,meta/instanceID,_id,_uuid,_submission_time,_index,_tags\n"
    "2027-01-01,2027-01-01,PE-LOR,2,v1,never,yes,12,Sin registro,uuid:a1,1,a1,"
    "2027-01-02T10:00:00,1,\n"
    "2027-01-01,2027-01-01,PE-LOR,2,v1,always,no,3,,uuid:a2,2,a2,2027-01-02T11:00:00,2,\n"
)
ODK = (
    "SubmissionDate,amparo_region,amparo_round,amparo_version,tur-inspections,tur-hostels_check,"
    "tur-has_protocol,tur-notes,meta-instanceID,KEY,SubmitterID,SubmitterName,"
    "AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n"
    "2027-01-02T10:00:00.000Z,PE-LOR,2,v1,5,sometimes,yes,,uuid:b1,uuid:b1,7,ana,0,0,,"
    "approved,collect:x,0,v1\n"
    "2027-01-02T10:05:00.000Z,PE-LOR,2,v1,5,sometimes,yes,,uuid:b2,uuid:b2,7,ana,0,0,,"
    "rejected,collect:x,0,v1\n"
)


def _parse(text_or_bytes, reader=csv_rows):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    valid = []
    result = parse_submissions(reader(io.BytesIO(data)), CONTEXT, valid.append)
    return result, valid


def test_a_kobo_csv_export_imports_with_its_group_separator() -> None:
    result, valid = _parse(KOBO)
    assert (result.source, result.rows_read, result.rows_valid, result.problems) == (
        "kobo",
        2,
        2,
        [],
    )
    assert valid[0].instance_id == "a1"
    assert valid[0].answers == {
        ("tur", "hostels_check"): "never",
        ("tur", "has_protocol"): "yes",
        ("tur", "inspections"): "12",
        ("tur", "notes"): "Sin registro",
    }
    assert result.unknown_columns == []


def test_an_odk_central_export_imports_and_skips_rejected_reviews() -> None:
    result, valid = _parse(ODK)
    assert (result.source, result.rows_valid) == ("odk", 1)
    assert valid[0].instance_id == "b1" and valid[0].answers[("tur", "inspections")] == "5"
    assert [(p.row, p.reason) for p in result.problems] == [(3, "rejected_in_review")]


def test_column_order_does_not_matter_and_unknown_columns_are_reported() -> None:
    lines = KOBO.splitlines()
    header = lines[0].split(",")
    order = list(reversed(range(len(header))))
    shuffled = "\n".join(",".join(line.split(",")[i] for i in order) for line in lines)
    result, valid = _parse(shuffled.replace("start", "favourite_colour", 1))
    assert result.rows_valid == 2 and valid[0].answers[("tur", "hostels_check")] == "never"
    assert "favourite_colour" in result.unknown_columns


def test_each_bad_value_is_reported_with_row_and_column() -> None:
    bad = KOBO.replace("never,yes,12", "maybe,si,12.5").replace(
        "PE-LOR,2,v1,always", "PE-UCA,3,v0,always"
    )
    result, valid = _parse(bad)
    assert valid == []
    reasons = {(p.row, p.column, p.reason) for p in result.problems}
    assert (2, "tur/hostels_check", "unknown_choice") in reasons
    assert (2, "tur/has_protocol", "unknown_choice") in reasons
    assert (2, "tur/inspections", "not_an_integer") in reasons
    assert (3, "amparo_region", "region_not_allowed") in reasons
    assert (3, "amparo_round", "wrong_round") in reasons
    assert (3, "amparo_version", "version_mismatch") in reasons


def test_a_submission_twice_in_the_file_is_kept_once() -> None:
    twice = KOBO + KOBO.splitlines()[1] + "\n"
    result, valid = _parse(twice)
    assert len(valid) == 2
    assert [(p.row, p.reason) for p in result.problems] == [(4, "duplicate_in_file")]


def test_files_that_cannot_be_imported_say_why() -> None:
    assert _parse("")[0].problems[0].reason == "empty_file"
    assert _parse("a,b\n1,2\n")[0].problems[0].reason == "missing_column"
    latin1 = KOBO.replace("Sin registro", "Año").encode("latin-1")
    result, _valid = _parse(latin1)
    assert result.fatal and result.problems[-1].reason == "not_utf8"
    assert _parse(b"not a workbook", reader=xlsx_rows)[0].problems[0].reason == "not_xlsx"


def test_a_huge_cell_is_a_row_problem_not_a_crash() -> None:
    huge = KOBO.replace("Sin registro", "x" * (2 * 1024 * 1024))
    result, _valid = _parse(huge)
    assert [p.reason for p in result.problems] == ["unreadable_row"]
    assert result.rows_valid == 1


def test_an_xlsx_export_gives_values_never_formulas() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    header = KOBO.splitlines()[0].split(",")
    sheet.append(header)
    row = KOBO.splitlines()[1].split(",")
    row[header.index("tur/inspections")] = 12
    row[header.index("tur/notes")] = '=HYPERLINK("http://evil")'
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result, valid = _parse(buffer.getvalue(), reader=xlsx_rows)
    # The formula was never calculated, so its cell reads as empty: no formula is imported.
    assert result.rows_valid == 1 and ("tur", "notes") not in valid[0].answers
    assert valid[0].answers[("tur", "inspections")] == "12"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20), max_size=20), max_size=15))
def test_random_csv_never_crashes(rows) -> None:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    result, valid = _parse(buffer.getvalue())
    assert result.rows_valid == len(valid)
    assert all(p.row >= 1 for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_either_reader(data) -> None:
    for reader in (csv_rows, xlsx_rows):
        result, valid = _parse(data, reader=reader)
        assert result.rows_valid == len(valid)


@given(
    st.dictionaries(
        st.sampled_from(["hostels_check", "has_protocol", "inspections", "notes"]),
        st.text(max_size=12),
        min_size=1,
    )
)
def test_a_row_is_valid_exactly_when_every_answer_is(answers) -> None:
    header = [
        "amparo_region",
        "amparo_round",
        "amparo_version",
        "_uuid",
        *[f"tur/{k}" for k in answers],
    ]
    row = ["PE-LOR", "2", "v1", "x1", *answers.values()]
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, row])
    _result, valid = _parse(buffer.getvalue())
    field = {f.name: f for f in FIELDS}

    def ok(name, value):
        value = value.strip()
        spec = field[name]
        if not value:
            return not spec.required
        if spec.kind in ("choice", "yes_no"):
            return value in spec.choices
        if spec.kind == "integer":
            try:
                number = Decimal(value)
            except InvalidOperation:
                return False
            return number.is_finite() and number % 1 == 0 and 0 <= number <= MAX_INTEGER
        return len(value) <= 500

    # A required question whose column is absent is not checked: only the values present are.
    expected = all(ok(k, v) for k, v in answers.items())
    assert (len(valid) == 1) == expected


def _kobo_xlsx(rows: int = 50) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    header = KOBO.splitlines()[0].split(",")
    sheet.append(header)
    template = KOBO.splitlines()[1].split(",")
    for n in range(rows):
        row = list(template)
        row[header.index("_uuid")] = f"x{n}"
        row[header.index("meta/instanceID")] = f"uuid:x{n}"
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezip(content: bytes, change) -> bytes:
    """The workbook with each part passed through ``change(name, bytes)``; None drops it."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = change(info.filename, source.read(info.filename))
            if part is not None:
                target.writestr(info.filename, part)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def test_a_workbook_whose_sheet_is_cut_short_is_reported_not_raised() -> None:
    content = _kobo_xlsx()
    damaged = _rezip(content, lambda name, part: part[: len(part) // 2] if name == SHEET else part)
    result, _valid = _parse(damaged, reader=xlsx_rows)
    assert result.fatal
    assert result.problems[-1].reason == "damaged_file"
    assert result.problems[-1].row > 2  # the rows before the damage were read


def test_a_workbook_with_a_missing_part_is_reported_not_raised() -> None:
    content = _kobo_xlsx()
    for missing in (SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml"):
        damaged = _rezip(
            content, lambda name, part, missing=missing: None if name == missing else part
        )
        result, valid = _parse(damaged, reader=xlsx_rows)
        assert result.rows_valid == len(valid)
        assert result.fatal or result.rows_valid == 50, missing
        if result.fatal:
            assert result.problems[-1].reason in {"not_xlsx", "damaged_file"}, missing


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0), st.binary(min_size=1, max_size=8))
def test_a_damaged_sheet_never_crashes_the_reader(cut, garbage) -> None:
    content = _kobo_xlsx(rows=20)

    def damage(name: str, part: bytes) -> bytes:
        if name != SHEET:
            return part
        at = int(len(part) * cut)
        return part[:at] + garbage

    result, valid = _parse(_rezip(content, damage), reader=xlsx_rows)
    assert result.rows_valid == len(valid) <= 20
    assert all(
        p.reason in {"damaged_file", "not_xlsx", "empty_file", "missing_column"} or p.row > 1
        for p in result.problems
    )


def test_huge_numbers_are_refused_with_their_row_and_column() -> None:
    bad = KOBO.replace("never,yes,12,", "never,yes,1e300,").replace(
        "always,no,3,", "always,no,12345678901234567,"
    )
    result, valid = _parse(bad)
    assert valid == []
    assert [(p.row, p.column, p.reason, p.value) for p in result.problems] == [
        (2, "tur/inspections", "too_large", "1e300"),
        (3, "tur/inspections", "too_large", "12345678901234567"),
    ]


def test_the_largest_whole_number_is_read_exactly() -> None:
    result, valid = _parse(KOBO.replace("never,yes,12,", f"never,yes,{MAX_INTEGER},"))
    assert result.problems == []
    assert valid[0].answers[("tur", "inspections")] == "2147483647"


@given(st.integers(min_value=-(10**40), max_value=10**40), st.sampled_from(["{}", "{}.0", "{}e0"]))
def test_a_whole_number_is_kept_exactly_or_refused_for_its_size(number, shape) -> None:
    text = shape.format(number)
    result, valid = _parse(KOBO.replace("never,yes,12,", f"never,yes,{text},"))
    reasons = [p.reason for p in result.problems]
    if number < 0:
        assert reasons == ["negative"]
    elif number > MAX_INTEGER:
        assert reasons == ["too_large"]
    else:
        assert reasons == [] and valid[0].answers[("tur", "inspections")] == str(number)
