"""Import benchmark: N synthetic KoboToolbox CSV rows (one sector's form) into a fresh
SQLite database (or DATABASE_URL), checked (preview) then written.

Run: .venv/bin/python bench/import_bench.py [--rows 100000]
Prints rows per second for each phase and the peak of Python memory allocated during each
(tracemalloc), to compare across file sizes (target: >= 5,000 rows/s; memory flat).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="amparo-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    # DEBUG stays off: with it Django keeps every SQL statement in memory.
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
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from amparo.accounts.models import Membership, User
    from amparo.assessment.services import assessment_start
    from amparo.imports import services
    from amparo.questionnaires import xlsform
    from amparo.questionnaires.form_export import form_spec
    from amparo.questionnaires.import_kind import FIELD_ANSWERS
    from amparo.territory.models import Region, Sector

    call_command("migrate", verbosity=0)
    call_command("load_catalog", stdout=StringIO())
    user, _ = User.objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, role="admin")
    region = Region.objects.get(code="PE-LOR")
    assessment = assessment_start(region=region, clone_previous=False)
    sector = Sector.objects.get(code="TUR")
    spec = form_spec(sectors=[sector], assessment=assessment)
    version = xlsform.questions_version(spec.groups)
    questions = list(sector.questionnaires.get().questions.all())

    path = workdir / "kobo.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "amparo_region",
                "amparo_round",
                "amparo_version",
                *[f"tur/{q.name}" for q in questions],
                "_uuid",
                "_submission_time",
            ]
        )
        for n in range(args.rows):
            answers = []
            for q in questions:
                if q.choices:
                    answers.append(q.choices[n % len(q.choices)]["name"])
                elif q.kind == "integer":
                    answers.append(str(n % 40))
                else:
                    answers.append("texto de prueba")
            writer.writerow(
                ["PE-LOR", assessment.number, version, *answers, f"id-{n}", "2027-01-02T10:00:00"]
            )
    size_mb = path.stat().st_size / 1e6
    job = services.import_job_create(
        kind=FIELD_ANSWERS,
        by=user,
        region=region,
        target=assessment,
        upload=SimpleUploadedFile("kobo.csv", path.read_bytes()),
    )

    def phase(name, action):
        # Timed without tracing (tracemalloc slows Python down); memory is the growth of the
        # process's peak resident size during the phase.
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        began = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name}: {seconds:.2f} s, {args.rows / seconds:,.0f} rows/s, "
            f"peak RSS {after:.0f} MB (+{after - before:.0f} MB in this phase)"
        )
        return result

    engine = os.environ["DATABASE_URL"].split(":")[0]
    print(f"rows={args.rows} file={size_mb:.1f} MB database={engine}")
    job = phase("check (preview)", lambda: services.import_check(job=job))
    assert job.rows_valid == args.rows, (job.rows_valid, job.problems[:3])
    services.import_confirm(job=job, by=user, keep_file=False)
    job = phase("write", lambda: services.import_write(job=job))
    assert job.rows_imported == args.rows


if __name__ == "__main__":
    main()
