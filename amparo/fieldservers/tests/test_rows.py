"""Server JSON into export rows (pure): the columns the field-answer checks read, the keys
that survive edits, rejected submissions left out, and the cursor of a page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.fieldservers.rows import kobo_record, odk_record, page_rows
from amparo.questionnaires.submissions import map_columns

ODK = {
    "__id": "uuid:abc",
    "__system": {
        "submissionDate": "2027-01-02T10:00:00.000Z",
        "updatedAt": None,
        "reviewState": "approved",
        "formVersion": "3",
    },
    "meta": {"instanceID": "uuid:abc"},
    "amparo_region": "PE-LOR",
    "tur": {"hostels": "yes", "count": 4, "ok": True, "where": {"type": "Point"}},
    "photos@odata.navigationLink": "Submissions('uuid:abc')/photos",
}


def test_odk_groups_become_dash_columns_and_system_fields_the_exports_names():
    record = odk_record(ODK)
    assert record["tur-hostels"] == "yes"
    assert record["tur-count"] == "4"
    assert record["tur-ok"] == "true"
    assert record["tur-where-type"] == "Point"
    assert record["SubmissionDate"] == "2027-01-02T10:00:00.000Z"
    assert record["ReviewState"] == "approved"
    assert record["KEY"] == "uuid:abc"
    assert record["meta-instanceID"] == "abc"
    assert not any("@odata" in key for key in record)


def test_an_odk_edit_keeps_the_first_instance_id_as_its_key():
    edited = {**ODK, "meta": {"instanceID": "uuid:v2", "deprecatedID": "uuid:abc"}}
    assert odk_record(edited)["meta-instanceID"] == "abc"


def test_kobo_keeps_its_names_and_the_root_uuid_survives_edits():
    record = kobo_record(
        {
            "_id": 7,
            "_uuid": "v2",
            "meta/instanceID": "uuid:v2",
            "meta/rootUuid": "uuid:first",
            "tur/hostels": "yes",
            "_attachments": [{"filename": "x.jpg"}],
            "_geolocation": [None, None],
            "_notes": [],
        }
    )
    assert record["tur/hostels"] == "yes"
    assert record["meta/instanceID"] == "first" and record["_uuid"] == "first"
    assert record["_attachments"] == "" and record["_id"] == "7"


def test_kobo_without_root_uuid_uses_its_instance_id():
    assert kobo_record({"meta/instanceID": "uuid:x1"})["meta/instanceID"] == "x1"
    assert kobo_record({"_uuid": "x2"})["meta/instanceID"] == "x2"


def test_rejected_odk_submissions_are_left_out_and_counted():
    rejected = {**ODK, "__id": "uuid:r", "__system": {**ODK["__system"], "reviewState": "rejected"}}
    page = page_rows("odk", [ODK, rejected])
    assert page.skipped == 1
    assert len(page.rows) == 2  # header and the approved one


def test_the_page_cursor_is_its_latest_submission_or_edit():
    edited = {**ODK, "__system": {**ODK["__system"], "updatedAt": "2027-02-01T00:00:00.000Z"}}
    assert page_rows("odk", [ODK]).cursor == "2027-01-02T10:00:00.000Z"
    assert page_rows("odk", [ODK, edited]).cursor == "2027-02-01T00:00:00.000Z"
    kobo = [
        {"_submission_time": "2027-01-01T09:00:00"},
        {"_submission_time": "2027-01-01T08:00:00", "_last_edited": "2027-01-03T00:00:00"},
    ]
    assert page_rows("kobo", kobo).cursor == "2027-01-03T00:00:00"
    assert page_rows("kobo", []).cursor == ""


def test_rows_are_read_as_an_odk_export_by_the_field_answer_checks():
    page = page_rows("odk", [ODK])
    columns = map_columns(page.rows[0], ())
    assert columns.source == "odk"
    assert page.rows[1][columns.instance[0]] == "abc"
    assert columns.review is not None and columns.submitted is not None


def test_a_page_that_is_not_a_list_of_objects_is_refused():
    import pytest

    with pytest.raises(ValueError):
        page_rows("kobo", ["not an object"])


answers = st.dictionaries(
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
    max_size=6,
)


def _record(n: int, answers: dict) -> dict:
    return {f"tur/{k}": v for k, v in answers.items()} | {"_id": n}


def _odk(n: int, answers: dict) -> dict:
    return {"__id": f"uuid:{n}", "__system": {"submissionDate": f"2027-01-01T00:00:{n:02d}Z"},
            "tur": answers}  # fmt: skip


def _expected(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@given(st.lists(answers, max_size=8))
def test_every_row_has_the_headers_width_whatever_the_answers(records):
    page = page_rows("kobo", [_record(n, r) for n, r in enumerate(records)])
    assert len(page.rows) == len(records) + 1
    assert all(len(row) == len(page.rows[0]) for row in page.rows)
    assert len(set(page.rows[0])) == len(page.rows[0])


@given(st.lists(answers, max_size=8))
def test_odk_rows_keep_every_answer_under_its_group(records):
    page = page_rows("odk", [_odk(n, r) for n, r in enumerate(records)])
    header = page.rows[0]
    for record, row in zip(records, page.rows[1:], strict=True):
        for key, value in record.items():
            assert row[header.index(f"tur-{key}")] == _expected(value)


def test_submissions_read_at_the_cursor_are_left_out_but_not_others_at_that_time():
    at = "2027-01-01T09:00:00"
    page = [
        {"_uuid": "a", "_submission_time": at},
        {"_uuid": "b", "_submission_time": at},
        {"_uuid": "c", "_submission_time": "2027-01-01T08:00:00", "_last_edited": at},
    ]
    result = page_rows("kobo", page, seen_at=at, seen=frozenset({"a"}))
    assert [row[result.rows[0].index("_uuid")] for row in result.rows[1:]] == ["b", "c"]
    assert result.at_cursor == {"a", "b", "c"} and result.skipped == 0


def test_the_keys_at_the_cursor_are_those_of_the_latest_time_only():
    page = [
        {"_uuid": "a", "_submission_time": "2027-01-01T09:00:00"},
        {"_uuid": "b", "_submission_time": "2027-01-01T10:00:00"},
    ]
    result = page_rows("kobo", page)
    assert (result.cursor, result.at_cursor) == ("2027-01-01T10:00:00", {"b"})
