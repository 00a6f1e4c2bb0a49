"""Field-server pull benchmark: N submissions pulled from a fake KoboToolbox (in its own
process, so its data does not count) in pages of 1,000, through the import pipeline into
a fresh SQLite database (or DATABASE_URL).

Run: .venv/bin/python bench/fieldsync_bench.py [--counts 10000 25000 50000]
Prints, for each count, rows per second (timed without tracing) and the peak of Python
memory allocated during a second, traced pull (tracemalloc): it should stay flat as the
count grows, since a pull holds one page at a time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _serve(template: dict, count: int, ready) -> None:
    """The fake server's process: ``count`` copies of ``template``, each its own submission."""
    from amparo.fieldservers.tests.fake_servers import serving

    with serving("kobo") as server:
        server.state.forms["aBench"] = {"version_id": "v1", "imports": 1, "_pending": "created"}
        server.state.submissions["aBench"] = [
            {
                **template,
                "_id": n,
                "_uuid": f"s{n}",
                "meta/instanceID": f"uuid:s{n}",
                "_submission_time": f"2027-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:"
                f"{n % 60:02d}",
            }
            for n in range(1, count + 1)
        ]
        server.state.seen = _Forgetful()
        ready.put((server.url, server.state.token))
        time.sleep(3600)


class _Forgetful(list):
    def append(self, item: object) -> None:  # the bench does not look at requests
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 25_000, 50_000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="amparo-fieldsync-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        AMPARO_FIELD_SECRETS_KEY="YmVuY2gtb25seS1rZXktZm9yLWZpZWxkLXNlcnZlcnM=",
        MEDIA_ROOT=str(workdir / "media"),
        TASKS_BACKEND="immediate",
        SECURE_SSL_REDIRECT="false",
        STATIC_FILES_HASHED="false",
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings"
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from amparo.accounts.models import Membership, User
    from amparo.assessment.services import assessment_start
    from amparo.fieldservers import services
    from amparo.fieldservers.models import PublishedForm
    from amparo.questionnaires import xlsform
    from amparo.questionnaires.form_export import form_spec
    from amparo.territory.models import Region, Sector

    call_command("migrate", verbosity=0)
    call_command("load_catalog", stdout=StringIO())
    user, _ = User.objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, role="admin")
    region = Region.objects.get(code="PE-LOR")
    sector = Sector.objects.get(code="TUR")
    engine = os.environ["DATABASE_URL"].split(":")[0]
    print(f"database={engine} page size=1000")

    def pull(count: int, traced: bool) -> tuple[float, float]:
        assessment = assessment_start(region=region, clone_previous=False)
        spec = form_spec(sectors=[sector], assessment=assessment)
        template = {
            "amparo_region": region.code,
            "amparo_round": str(assessment.number),
            "amparo_version": xlsform.questions_version(spec.groups),
        }
        for n, q in enumerate(sector.questionnaires.get().questions.all()):
            if q.choices:
                template[f"tur/{q.name}"] = q.choices[n % len(q.choices)]["name"]
            else:
                template[f"tur/{q.name}"] = "7" if q.kind == "integer" else "texto de prueba"
        ready = multiprocessing.Queue()
        server = multiprocessing.Process(target=_serve, args=(template, count, ready), daemon=True)
        server.start()
        url, token = ready.get(timeout=300)
        try:
            connection = services.connection_save(
                by=user,
                connection=None,
                kind="kobo",
                name=f"bench-{assessment.number}",
                base_url=url,
                project_id=None,
                username="",
                secret=token,
                interval_minutes=15,
                confirm_before_writing=False,
            )
            form = PublishedForm.objects.create(
                connection=connection,
                assessment=assessment,
                server_form_id="aBench",
                published_at=timezone.now(),
                published_by=user,
            )
            if traced:
                tracemalloc.start()
                tracemalloc.reset_peak()
            began = time.perf_counter()
            result = services.form_pull(form=form)
            seconds = time.perf_counter() - began
            peak = tracemalloc.get_traced_memory()[1] / 1e6 if traced else 0.0
            if traced:
                tracemalloc.stop()
        finally:
            server.terminate()
            server.join()
        assert (result.outcome, result.new, result.held) == ("ok", count, 0), result
        assert assessment.submissions.count() == count
        return seconds, peak

    for count in args.counts:
        seconds, _ = pull(count, traced=False)
        _, peak = pull(count, traced=True)
        print(
            f"{count:>6} submissions: {seconds:6.1f} s, {count / seconds:7,.0f} rows/s, "
            f"peak traced memory {peak:6.1f} MB"
        )


if __name__ == "__main__":
    main()
