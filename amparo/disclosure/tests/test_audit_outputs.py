"""The audit on amparo's own outputs: nothing can be worked out, on the demo for every demo
role and for donor reports, and on generated data with many small cells over several
dimensions and months."""

from __future__ import annotations

from datetime import date
from io import StringIO
from itertools import combinations, product

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.accounts.models import Membership, Role, User
from amparo.disclosure import checks, keys, release
from amparo.indicators.models import Indicator, Observation
from amparo.territory.models import Region

DEMO_READERS = [
    {"username": "demo-admin"},
    {"username": "demo-coordinador"},
    {"username": "demo-enlace"},
    {"username": "demo-visor"},
    {"role": "viewer", "region": "PE-LOR"},
    {"donor": True},
]


def _failures(readers: list[dict]) -> dict[str, str]:
    found = {}
    for reader in readers:
        result = checks.check(**reader)
        if not result.ok or result.skipped:
            found[result.reader] = checks.as_text(result)
    return found


def test_the_demo_leaks_nothing_to_any_demo_role_nor_in_donor_reports(
    db, settings, media_root
) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    failures = _failures(DEMO_READERS)
    assert not failures, "\n\n".join(failures.values())


SEXES = ("f", "m")
AGES = ("0-9", "10-17")
FORMS = ("labour", "sexual")  # form of exploitation
MONTHS = (date(2027, 1, 1), date(2027, 2, 1))
DIMENSIONS = ("sex", "age_band", "exploitation")


def _store(codes: list[str], counts: list[int]) -> None:
    """Counts for every region, month, sex, age band and form of exploitation (``counts``
    in that order), and every total a partner would report from them: over each
    combination of the three dimensions, down to the overall total."""
    indicator = Indicator.objects.create(
        code="IND-G", name_es="Niñas y niños", name_en="Children", level="outcome",
        unit="count", direction="lower", aggregation="sum", frequency="monthly",
        is_key=True, disaggregations=list(DIMENSIONS),
    )  # fmt: skip
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    rows: dict[tuple[str, date, str], int] = {}
    at = iter(counts)
    for code, month, sex, age, form in product(codes, MONTHS, SEXES, AGES, FORMS):
        n = next(at)
        group = dict(zip(DIMENSIONS, (sex, age, form), strict=True))
        for size in range(len(DIMENSIONS) + 1):
            for dims in combinations(DIMENSIONS, size):
                split = keys.disaggregation({d: group[d] for d in dims})
                rows[(code, month, split)] = rows.get((code, month, split), 0) + n
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            region=regions[code],
            period=month,
            disaggregation=split,
            value=value,
        )
        for (code, month, split), value in rows.items()
    )


CELLS = 2 * len(MONTHS) * len(SEXES) * len(AGES) * len(FORMS)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=CELLS, max_size=CELLS))
def test_generated_small_cells_leak_nothing_from_any_output(world, counts) -> None:
    Observation.objects.all().delete()
    Indicator.objects.filter(code="IND-G").delete()
    _store(["PE-LOR", "PE-UCA"], counts)
    if not User.objects.filter(username="viewer-all").exists():
        user = User.objects.create_user(username="viewer-all", password="x-Pass-12345")
        Membership.objects.create(user=user, role=Role.VIEWER)
    failures = _failures([{"username": "viewer"}, {"donor": True}])
    assert not failures, "\n\n".join(failures.values())
    result = checks.check(username="viewer-all")
    assert result.ok and not result.skipped, checks.as_text(result)
    # Not vacuous: the outputs were read, and every small count was hidden somewhere.
    assert result.figures > CELLS and len(result.outputs) == 10
    assert result.hidden >= sum(1 for n in counts if 1 <= n <= 4)


# Found by the test above: a viewer who may not see the regions' details read hidden cells
# off their API (k = 5) and the donor version of a report (k = 11), each safe alone but
# hiding different complements.
SHOWN_COMPLEMENT_CASE = [4, 0, 2, 9, 0, 0, 8, 0, 4, 7, 7, 9, 3, 7, 4, 7]
SHOWN_COMPLEMENT_CASE += [5, 2, 0, 0, 9, 9, 3, 5, 2, 1, 0, 2, 4, 0, 0, 4]


def test_a_readers_outputs_and_the_donor_report_together_give_nothing_away(world) -> None:
    _store(["PE-LOR", "PE-UCA"], SHOWN_COMPLEMENT_CASE)
    failures = _failures([{"username": "viewer"}, {"donor": True}])
    assert not failures, "\n\n".join(failures.values())


def test_the_donor_version_a_viewer_makes_hides_what_their_own_outputs_hide(world) -> None:
    _store(["PE-LOR", "PE-UCA"], SHOWN_COMPLEMENT_CASE)
    viewer = world.users["viewer"]
    own = release.release_of(viewer).hidden
    public = release.release_for(release.public_audience()).hidden
    assert not own <= public  # the two protections chose different complements
    donor = release.report_release(viewer, donor=True)
    assert donor.hidden == own | public and donor.k == 11
    assert release.report_release(viewer, donor=False).hidden == own
    # A reader whose own release hides nothing gets the public release as it is.
    assert release.report_release(world.users["admin"], donor=True).hidden == public
