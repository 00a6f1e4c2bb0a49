"""Protections are kept in the database per data version and audience: another process
reads them without working them out again; above the inline size the worker works them
out, and until then every output hides every count and the page says why; a data change
asks the worker again, once per transaction."""

from __future__ import annotations

import contextlib
import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from amparo.disclosure import counted, stored, worker_protection
from amparo.disclosure.models import AudienceUse, ProtectionState, StoredProtection
from amparo.disclosure.release import (
    EVERY_CELL,
    MARKER,
    Release,
    UnknownCells,
    attendance_hidden,
    audience_for,
    church_lists,
    combined_hidden,
    groups_shown,
    pending_note,
    public_audience,
    release_for,
    release_of,
    report_release,
)
from amparo.disclosure.tests.test_release import CODE, FEB, JAN, _cell, victims  # noqa: F401
from amparo.indicators.models import Indicator, Observation
from amparo.territory.models import Region

NOTICE_ES = "Las cifras se están protegiendo tras un cambio reciente de los datos"
NOTICE_EN = "Figures are being protected after a recent data change"
PROTECT_AUDIENCE = (
    worker_protection.protect_audience
)  # the task itself, when the queue is a fixture


@pytest.fixture
def protect_calls(monkeypatch) -> list[int]:
    """The ks the engine was asked to protect for, call by call."""
    calls: list[int] = []
    real = worker_protection.protect_cells

    def counting(table, *, k):
        calls.append(k)
        return real(table, k=k)

    monkeypatch.setattr(worker_protection, "protect_cells", counting)
    return calls


@pytest.fixture
def queued(monkeypatch) -> list[tuple]:
    """The worker as a queue: tasks asked for are recorded, not run."""
    found: list[tuple] = []

    class Queue:
        def enqueue(self, *args) -> None:
            found.append(args)

    monkeypatch.setattr(worker_protection, "protect_audience", Queue())
    return found


@pytest.fixture
def large(settings) -> None:
    """Every data counts as too large to protect inside a request."""
    settings.AMPARO_DISCLOSURE_INLINE_ROWS = 0


@pytest.fixture
def committed(request) -> None:
    """The counted rows as if committed: the work they asked for after the commit is
    done (the test's own transaction never commits)."""
    request.getfixturevalue("victims")
    connection.run_on_commit[:] = [
        c for c in connection.run_on_commit if c[1] is not worker_protection._queue_after_commit
    ]


def run_queued(queued: list[tuple]) -> None:
    for args in queued:
        PROTECT_AUDIENCE.call(*args)
    queued.clear()


@pytest.mark.usefixtures("victims")
def test_it_reads_a_stored_protection_in_another_process(world, protect_calls) -> None:
    viewer = world.users["viewer"]
    first = release_of(viewer)
    assert protect_calls == [5] and not first.pending
    cache.clear()  # another process: nothing in its cache
    assert release_of(viewer) == first and protect_calls == [5]
    row = StoredProtection.objects.get()
    assert row.state == ProtectionState.DONE and row.hidden_count == len(first.hidden) > 0
    assert row.computed_at is not None and row.duration_seconds >= 0
    assert AudienceUse.objects.filter(k=5, known_regions=[]).exists()


@pytest.mark.usefixtures("victims")
def test_cells_survive_the_round_trip_through_the_database(world) -> None:
    hidden = release_of(world.users["viewer"]).hidden
    blob = StoredProtection.objects.get().hidden
    assert stored.decode_cells(blob) == hidden and len(bytes(blob)) < len(repr(hidden))
    assert stored.decode_cells(None) == frozenset()


@pytest.mark.usefixtures("victims")
def test_above_the_inline_size_a_page_hides_every_count_until_protected(
    world, large, queued, protect_calls, django_assert_max_num_queries
) -> None:
    viewer = world.client("viewer")
    with django_assert_max_num_queries(45):
        page = viewer.get(reverse("program-dashboard"))
    text = page.content.decode()
    assert NOTICE_ES in text and 'class="hidden-count"' in text
    view = next(v for v in page.context["board"].indicators if v.indicator.code == CODE)
    assert view.current == MARKER and view.hidden_periods == {JAN, FEB}
    assert protect_calls == [] and queued == [(5, [], False)]
    assert StoredProtection.objects.get().state == ProtectionState.QUEUED
    viewer.get(reverse("region-indicators", args=["PE-LOR"]))
    assert len(queued) == 1  # asked for once, whatever the number of pages meanwhile
    run_queued(queued)
    assert protect_calls == [5]
    page = viewer.get(reverse("program-dashboard"))
    assert NOTICE_ES not in page.content.decode()
    view = next(v for v in page.context["board"].indicators if v.indicator.code == CODE)
    hidden = release_of(world.users["viewer"]).hidden
    months = {JAN: "2026-01", FEB: "2026-02"}
    assert view.hidden_periods == {p for p, label in months.items() if _cell(label) in hidden}
    assert FEB in view.hidden_periods and view.current == MARKER  # February's 4


@pytest.mark.usefixtures("victims")
def test_the_notice_is_in_english_too_and_only_on_pages_with_counts(world, large, queued) -> None:
    viewer = world.client("viewer")
    viewer.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert NOTICE_EN in viewer.get(reverse("region-indicators", args=["PE-LOR"])).content.decode()
    assert NOTICE_EN not in viewer.get(reverse("my-tasks")).content.decode()


@pytest.mark.usefixtures("victims")
def test_a_worked_out_release_shows_no_notice(world) -> None:
    page = world.client("viewer").get(reverse("program-dashboard")).content.decode()
    assert NOTICE_ES not in page and "oculto para proteger" in page


@pytest.mark.usefixtures("victims")
def test_a_new_data_version_never_reuses_the_old_hidden_cells(
    world, protect_calls, settings, queued
) -> None:
    viewer = world.users["viewer"]
    before = release_of(viewer)
    assert _cell("2026-02") in before.hidden  # February's 4
    Observation.objects.filter(period=FEB, disaggregation="").update(value=40)
    after = release_of(viewer)  # small data: worked out again inline
    assert protect_calls == [5, 5] and _cell("2026-02") not in after.hidden
    settings.AMPARO_DISCLOSURE_INLINE_ROWS = 0
    Observation.objects.filter(period=FEB, disaggregation="").update(value=41)
    assert release_of(viewer).pending and protect_calls == [5, 5]  # not the 40's cells
    assert len(queued) == 1


@pytest.mark.usefixtures("victims")
def test_only_the_latest_versions_of_an_audience_are_kept(world) -> None:
    viewer = world.users["viewer"]
    for value in range(40, 45):
        Observation.objects.filter(period=FEB, disaggregation="").update(value=value)
        release_of(viewer)
    assert StoredProtection.objects.count() == stored.KEPT_VERSIONS


@pytest.mark.usefixtures("victims")
def test_the_worker_does_not_work_out_a_stored_protection_again(world, protect_calls) -> None:
    assert worker_protection.protect_audience.call(5, [], False) > 0
    assert worker_protection.protect_audience.call(5, [], False) > 0
    assert protect_calls == [5]
    assert release_of(world.users["viewer"]).hidden and protect_calls == [5]


@pytest.mark.usefixtures("victims")
def test_a_failed_protection_is_marked_and_can_be_claimed_again(world, monkeypatch) -> None:
    def broken(table, *, k):
        raise RuntimeError("solver gone")

    monkeypatch.setattr(worker_protection, "protect_cells", broken)
    with pytest.raises(RuntimeError):
        worker_protection.protect_audience_now(public_audience())
    row = StoredProtection.objects.get()
    assert row.state == ProtectionState.FAILED
    claim = {"version": row.version, "key": row.audience, "k": 11}
    assert not stored.protection_claim(**claim)  # too recent: a worker may retry it
    StoredProtection.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert stored.protection_claim(**claim)
    assert not stored.protection_claim(**claim)


def test_a_data_change_queues_once_per_transaction_for_the_audiences_in_use(
    world, committed, large, queued, django_capture_on_commit_callbacks
) -> None:
    release_of(world.users["viewer"])  # a page asked for the viewer's audience
    release_of(world.users["coordinator"])
    queued.clear()
    indicator = Indicator.objects.get(code=CODE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for month in range(3, 9):
            Observation.objects.create(
                indicator=indicator,
                region=world.region_a,
                period=JAN.replace(month=month),
                value=month,
            )
    assert len(callbacks) == 1
    assert sorted(queued) == [(5, [], False), (5, ["PE-LOR"], False), (11, [], False)]


def test_a_data_change_of_small_data_queues_nothing(
    world, committed, queued, django_capture_on_commit_callbacks
) -> None:
    release_of(world.users["viewer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Observation.objects.filter(period=FEB).delete()
    assert len(callbacks) == 1 and queued == []
    assert not StoredProtection.objects.exclude(state=ProtectionState.DONE).exists()


def test_audiences_not_used_lately_or_of_an_old_k_are_not_protected(world, settings) -> None:
    stored.audience_used(key="a", k=5, known_regions=["PE-LOR"], program_known=False)
    stored.audience_used(key="b", k=5, known_regions=["PE-UCA"], program_known=False)
    stored.audience_used(key="c", k=3, known_regions=[], program_known=False)
    stored.audience_used(key="d", k=5, known_regions=["PE-LOR", "PE-UCA"], program_known=True)
    AudienceUse.objects.filter(audience="b").update(last_used=timezone.now() - timedelta(days=31))
    audiences = worker_protection.audiences_to_protect()
    assert [(a.k, sorted(a.known_regions)) for a in audiences] == [(5, ["PE-LOR"]), (11, [])]


def test_the_worker_takes_the_most_recently_used_audiences_first(world) -> None:
    now = timezone.now()
    for key, regions, hours in [("a", ["PE-LOR"], 5), ("b", ["PE-UCA"], 1), ("c", [], 3)]:
        stored.audience_used(key=key, k=5, known_regions=regions, program_known=False)
        AudienceUse.objects.filter(audience=key).update(last_used=now - timedelta(hours=hours))
    audiences = worker_protection.audiences_to_protect()
    # No page asked for the public audience: last.
    assert [(a.k, sorted(a.known_regions)) for a in audiences] == [
        (5, ["PE-UCA"]),
        (5, []),
        (5, ["PE-LOR"]),
        (11, []),
    ]
    public = public_audience()
    key = worker_protection.audience_key(public)
    # A donor report just now: first, and only once.
    stored.audience_used(key=key, k=11, known_regions=[], program_known=False)
    audiences = worker_protection.audiences_to_protect()
    assert audiences[0] == public and audiences.count(public) == 1 and len(audiences) == 4


def test_the_audiences_remembered_are_capped(world, monkeypatch) -> None:
    monkeypatch.setattr(stored, "KEPT_AUDIENCES", 2)
    for n in range(4):
        stored.audience_used(key=f"a{n}", k=5, known_regions=[], program_known=False)
    assert AudienceUse.objects.count() == 4  # pages only record
    assert {u.audience for u in stored.audiences_in_use()} == {"a2", "a3"}
    assert set(AudienceUse.objects.values_list("audience", flat=True)) == {"a2", "a3"}


PENDING = Release(5, EVERY_CELL)


def test_a_pending_release_hides_every_count_in_every_helper(world) -> None:
    cell = _cell("2026-01")
    assert PENDING.pending and PENDING.hides(cell) and PENDING.hides_any([cell])
    assert PENDING.shown(cell, 30) == MARKER
    assert not groups_shown(PENDING, "PE-LOR")
    assert not church_lists(PENDING)("PE-LOR", JAN)  # a done leader training's churches
    hidden = attendance_hidden(PENDING, "PE-LOR", 1, [])
    assert hidden(None, 0) and hidden(None, 2)
    assert combined_hidden(PENDING, [cell], program_cell=("obs", CODE, "*", "2026-01", ""))
    assert combined_hidden(PENDING, [])  # even a figure combining no known cell
    assert pending_note() in PENDING.output_note and pending_note() not in PENDING.note
    assert not Release(5, frozenset()).pending


def test_every_cell_answers_as_a_set_of_hidden_cells_and_cannot_be_listed() -> None:
    some = frozenset({_cell("2026-01")})
    assert some <= EVERY_CELL and not some >= EVERY_CELL and EVERY_CELL <= EVERY_CELL
    assert (some | EVERY_CELL) is EVERY_CELL and (EVERY_CELL | some) is EVERY_CELL
    assert "anything" in EVERY_CELL and bool(EVERY_CELL)
    with pytest.raises(TypeError):
        list(EVERY_CELL)


def test_unknown_cells_leave_the_readers_own_regions_shown() -> None:
    loreto = UnknownCells(frozenset({"PE-LOR"}))
    ucayali_cell = ("obs", CODE, "PE-UCA", "2026-01", "")
    assert _cell("2026-01") not in loreto and ucayali_cell in loreto
    assert ("obs", CODE, "*", "2026-01", "") in loreto  # the program: not known
    assert ("track", "PE-LOR", "groups_launched") not in loreto
    assert ("event", "PE-UCA", "1", "pastors", "") in loreto
    assert not frozenset({_cell("2026-01")}) <= loreto and frozenset({ucayali_cell}) <= loreto
    assert (
        loreto <= EVERY_CELL and not loreto >= EVERY_CELL and (loreto | frozenset()) == EVERY_CELL
    )
    everything = UnknownCells(frozenset({"PE-LOR", "PE-UCA"}), program_known=True)
    assert ("obs", CODE, "*", "2026-01", "") not in everything and everything <= loreto
    assert Release(5, everything).pending and not Release(5, everything).waiting


@pytest.mark.usefixtures("victims")
def test_a_pending_observation_count_is_hidden_but_not_other_units(world) -> None:
    count = Observation.objects.filter(indicator__code=CODE).first()
    assert PENDING.observation_hidden(count)
    money = Indicator.objects.create(
        code="T-SOL",
        name_es="Soles",
        name_en="Soles",
        level="output",
        unit="soles",
        direction="higher",
        aggregation="sum",
        frequency="monthly",
    )
    spent = Observation.objects.create(indicator=money, region=world.region_a, period=JAN, value=3)
    assert not PENDING.observation_hidden(spent)


@pytest.mark.usefixtures("victims")
@pytest.mark.parametrize("pending", ["public", "own", "both"])
def test_a_donor_report_of_a_pending_release_is_pending(world, queued, pending, settings) -> None:
    viewer = world.users["viewer"]
    if pending != "both":  # the other one stored while the data was small
        release_for(audience_for(viewer) if pending == "public" else public_audience())
    settings.AMPARO_DISCLOSURE_INLINE_ROWS = 0
    found = report_release(viewer, donor=True)
    assert found.pending and found.k == 11 and found.hides(_cell("2026-01", "sex=f"))
    assert report_release(viewer, donor=False).pending == (pending != "public")


def _viewer_workbook(world):
    from amparo.reports import render

    made = render.workbook_xlsx(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users["viewer"],
        lang="en",
        donor=False,
    )
    return load_workbook(io.BytesIO(made))


@pytest.mark.usefixtures("victims")
def test_files_made_from_a_pending_release_say_so(world, large, queued) -> None:
    book = _viewer_workbook(world)
    assert "Reload later" in book["Note"]["A2"].value
    values = [row[4] for row in book["Observations"].iter_rows(min_row=2, values_only=True)]
    assert values and set(values) == {MARKER}
    csv = world.client("viewer").get(reverse("indicators-csv", args=["PE-LOR"]))
    assert NOTICE_ES in csv.content.decode("utf-8-sig")


@pytest.mark.usefixtures("victims")
def test_a_file_of_a_worked_out_release_has_no_pending_note(world) -> None:
    book = _viewer_workbook(world)
    assert "Note" not in book.sheetnames


@pytest.mark.usefixtures("victims")
def test_the_command_stores_the_protections_in_use_with_progress(
    world, large, queued, protect_calls
) -> None:
    release_of(world.users["viewer"])  # pending: only remembered as in use
    err, out = io.StringIO(), io.StringIO()
    call_command("disclosure_protect", stderr=err, stdout=out)
    assert protect_calls == [5, 11]
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("disclosure protect: 1/2 k=5, details of no region:")
    assert lines[1].startswith("disclosure protect: 2/2 donors and the public (k=11):")
    assert "hidden cells" in lines[1] and out.getvalue().strip() == "2 protections stored"
    assert not release_of(world.users["viewer"]).pending and protect_calls == [5, 11]
    call_command("disclosure_protect", "--quiet", stderr=err, stdout=out)
    assert protect_calls == [5, 11] and len(err.getvalue().splitlines()) == 2


@pytest.mark.usefixtures("victims", "large", "queued")
def test_a_report_made_while_pending_is_made_again_once_protected(world) -> None:
    from amparo.reports import services
    from amparo.reports.models import ReportFile, ReportStatus

    viewer = world.users["viewer"]

    def ask() -> tuple[ReportFile, bool]:
        return services.report_request(
            regions=[world.region_a],
            region=world.region_a,
            kind="workbook",
            file_format="xlsx",
            lang="es",
            donor=True,
            since=None,
            by=viewer,
        )

    first, _reused = ask()
    ReportFile.objects.filter(pk=first.pk).update(status=ReportStatus.DONE)
    assert ask() == (first, True)  # still pending: the same (all "c") report
    assert release_of(viewer).pending  # the viewer's audience is now in use
    call_command("disclosure_protect", "--quiet", stdout=io.StringIO())
    second, reused = ask()
    assert not reused and second != first
    ReportFile.objects.filter(pk=second.pk).update(status=ReportStatus.DONE)
    assert ask() == (second, True)


@pytest.mark.usefixtures("victims", "large", "queued")
def test_the_audit_reads_outputs_protected_not_pending(world, monkeypatch) -> None:
    from amparo.disclosure import checks

    seen = []

    def gather(reader, progress=None):
        seen.append(
            (release_of(reader.user).pending, report_release(reader.user, donor=True).pending)
        )
        raise RuntimeError("enough")

    monkeypatch.setattr(checks, "gather", gather)
    with pytest.raises(RuntimeError, match="enough"):
        checks.check(role="viewer", region="PE-LOR")
    assert seen == [(False, False)]


@pytest.mark.usefixtures("victims", "large", "queued")
def test_while_pending_a_coordinator_sees_their_own_region_and_nothing_else(world) -> None:
    coordinator = release_of(world.users["coordinator"])
    assert coordinator.pending and coordinator.waiting
    assert not coordinator.hides(_cell("2026-01", "age=0-9;sex=m"))  # theirs, even small
    assert coordinator.hides(("obs", CODE, "*", "2026-01", ""))  # the program's
    assert groups_shown(coordinator, "PE-LOR") and not groups_shown(coordinator, "PE-UCA")
    assert not combined_hidden(coordinator, [_cell("2026-01")])
    assert combined_hidden(coordinator, [_cell("2026-01"), ("obs", CODE, "PE-UCA", "2026-01", "")])
    assert combined_hidden(coordinator, [])
    page = world.client("coordinator").get(reverse("region-indicators", args=["PE-LOR"]))
    view = next(v for v, _c in page.context["charts"] if v.indicator.code == CODE)
    assert view.hidden_periods == set() and view.current == 4
    assert NOTICE_ES in page.content.decode()  # the program's figures are hidden meanwhile


@pytest.mark.usefixtures("victims", "large")
def test_while_pending_a_program_admin_sees_every_count_and_no_notice(world, queued) -> None:
    admin = release_of(world.users["admin"])
    assert queued == [] and not StoredProtection.objects.exists()  # nothing to work out
    assert admin.pending and not admin.waiting and not combined_hidden(admin, [])
    assert not admin.hides(("obs", CODE, "*", "2026-01", "")) and admin.output_note == admin.note
    page = world.client("admin").get(reverse("program-dashboard"))
    assert NOTICE_ES not in page.content.decode()
    view = next(v for v in page.context["board"].indicators if v.indicator.code == CODE)
    assert view.hidden_periods == set() and view.current == 4


@pytest.mark.usefixtures("victims")
@pytest.mark.parametrize("state", [ProtectionState.RUNNING, ProtectionState.FAILED])
def test_a_worker_marking_its_work_never_unmarks_a_protection_another_stored(world, state) -> None:
    audience = public_audience()
    done = worker_protection.protect_audience_now(audience)
    row = StoredProtection.objects.get()
    stored.protection_mark(version=row.version, key=row.audience, k=audience.k, state=state)
    assert StoredProtection.objects.get().state == ProtectionState.DONE
    assert stored.protection_load(version=row.version, key=row.audience) == done
    stored.protection_mark(version="other", key=row.audience, k=audience.k, state=state)
    assert StoredProtection.objects.get(version="other").state == state


def _broken_queue() -> int:
    raise RuntimeError("the task queue is gone")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [True, False], ids=["in-transaction", "autocommit"])
def test_a_failure_to_queue_after_a_commit_does_not_fail_the_save(monkeypatch, atomic) -> None:
    monkeypatch.setattr(worker_protection, "protections_queue", _broken_queue)
    indicator = Indicator.objects.create(
        code="T-Q", name_es="q", name_en="q", level="output", unit="count", frequency="monthly"
    )
    region = Region.objects.create(code="PE-Q", name="Q", capital="q", country="PE")
    with transaction.atomic() if atomic else contextlib.nullcontext():
        Observation.objects.create(indicator=indicator, region=region, period=JAN, value=3)
    assert Observation.objects.filter(indicator=indicator).count() == 1


def test_every_edit_of_the_church_track_makes_a_new_data_version(world) -> None:
    """Edits that keep the row counts and sums (people moved between columns, a report
    moved to another month, an organization that becomes a church) change what the
    protection hides: a protection stored for the data before them is not used."""
    from amparo.disclosure.tests.test_audit_channels import _training_world
    from amparo.rollout.models import Attendance, GroupReport, RecoveryGroup
    from amparo.territory.models import Organization

    event = _training_world(world, churches=2)
    office = Organization.objects.create(name="Oficina", kind="other", region=world.region_a)
    group = RecoveryGroup.objects.create(
        rollout=event.rollout,
        church=Organization.objects.filter(kind="church").first(),
        launched_on=JAN,
        meeting_day=1,
    )
    report = GroupReport.objects.create(
        group=group, month=JAN, meetings_held=2, total_attendance=10
    )
    row = Attendance.objects.filter(event=event).first()
    versions = [counted.data_version()]
    for obj, values in [
        (row, {"pastors": row.pastors + 3, "leaders": row.leaders - 1}),  # same weighted sum
        (report, {"month": FEB}),
        (office, {"kind": "church"}),
    ]:
        _save(obj, **values)
        versions.append(counted.data_version())
    assert len(set(versions)) == 4


def _save(obj, **values) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def test_an_organization_that_becomes_a_church_queues_protections(
    world, large, queued, django_capture_on_commit_callbacks
) -> None:
    from amparo.territory.models import Organization

    office = Organization.objects.create(name="Oficina", kind="other", region=world.region_a)
    connection.run_on_commit[:] = []  # the fixtures' rows as if committed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _save(office, kind="church")
    assert len(callbacks) == 1 and queued == [(11, [], False)]


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite serializes whole transactions; the unique index wait is PostgreSQL's",
)
def test_two_processes_claiming_and_storing_at_once_queue_once_and_fail_neither(
    transactional_db,
) -> None:
    """The second claim waits on the first's uncommitted row, then finds it taken; two
    stores of the same version both succeed and leave one row."""
    import threading

    from django.db import connections

    first_holds_the_row = threading.Event()
    outcomes: dict[str, object] = {}
    protection = stored.Protection(frozenset({("obs", "X", "PE-LOR", "2026-01", "")}), frozenset())

    def claim_and_store(name: str) -> None:
        try:
            if name == "second":
                first_holds_the_row.wait(5)
            with transaction.atomic():
                outcomes[name] = stored.protection_claim(version="v", key="a", k=5)
                if name == "first":
                    first_holds_the_row.set()
                    threading.Event().wait(0.5)  # the second now waits on the row
            stored.protection_store(version="v", key="a", k=5, protection=protection, duration=1.0)
        except Exception as error:  # the outcome is what is asserted
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim_and_store, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes == {"first": True, "second": False}
    assert stored.protection_load(version="v", key="a") == protection
    assert StoredProtection.objects.count() == 1


@pytest.mark.usefixtures("victims")
def test_a_claim_left_running_by_a_stopped_worker_is_taken_again_after_the_timeout(
    world, settings
) -> None:
    claim = {"version": counted.data_version(), "key": "a", "k": 5}
    assert stored.protection_claim(**claim)
    stored.protection_mark(state=ProtectionState.RUNNING, **claim)
    assert not stored.protection_claim(**claim)  # a worker may still be on it
    late = timezone.now() - timedelta(minutes=settings.AMPARO_TASK_TIMEOUT_MINUTES + 1)
    StoredProtection.objects.update(updated_at=late)
    assert stored.protection_claim(**claim)
    assert StoredProtection.objects.get().state == ProtectionState.QUEUED


@pytest.mark.usefixtures("victims")
def test_data_changed_while_a_protection_is_worked_out_is_protected_again(
    world, monkeypatch, protect_calls
) -> None:
    """The protection is stored under the version read before the table: data changed
    meanwhile has another version, and its pages never read that protection."""
    real = worker_protection.counts_table

    def changing(audience):
        Observation.objects.create(
            indicator=Indicator.objects.get(code=CODE), region=world.region_a, period=FEB,
            disaggregation="sex=f", value=2,
        )  # fmt: skip
        return real(audience)

    before = counted.data_version()
    monkeypatch.setattr(worker_protection, "counts_table", changing)
    worker_protection.protect_audience_now(public_audience())
    monkeypatch.setattr(worker_protection, "counts_table", real)
    assert StoredProtection.objects.get().version == before != counted.data_version()
    assert _cell("2026-02", "sex=f") in release_for(public_audience()).hidden
    assert protect_calls == [11, 11]  # worked out again for the data as it is now
    assert StoredProtection.objects.count() == 2
