"""Dashboard benchmark: a generated country-scale data set and the program dashboard's
time and query count.

1x: 25 regions, 50 indicators, 10 years of monthly observations (150,000 values), every
sector assessed in every region (one finding per catalog threat), measures in every sector.
10x: the same for 250 regions (1.5 million values).

Run: .venv/bin/python bench/dashboard_bench.py [--scale 1] (fresh SQLite unless DATABASE_URL)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="amparo-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        AMPARO_FIELD_SECRETS_KEY="YmVuY2gtb25seS1rZXktZm9yLWZpZWxkLXNlcnZlcnM=",
        SECURE_SSL_REDIRECT="false",
        STATIC_FILES_HASHED="false",
        ALLOWED_HOSTS="testserver",
        TASKS_BACKEND="immediate",
        MEDIA_ROOT=str(workdir / "media"),
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from amparo.accounts.models import Membership, User
    from amparo.assessment.models import Assessment, Finding, Threat
    from amparo.assessment.services import matrix_default_ensure
    from amparo.indicators.models import Indicator, Observation
    from amparo.mitigation.models import Measure
    from amparo.territory.models import Region, Sector

    call_command("migrate", verbosity=0)
    call_command("load_catalog", stdout=StringIO())
    rng = random.Random(1)
    began = time.perf_counter()
    for n in range(50 - Indicator.objects.count()):
        Indicator.objects.create(
            code=f"BENCH-{n}",
            name_es=f"Indicador {n}",
            name_en=f"Indicator {n}",
            level="output",
            unit="count",
            direction="higher",
            aggregation="sum",
            frequency="monthly",
            is_key=n < 4,
        )
    for n in range(25 * args.scale - Region.objects.count()):
        Region.objects.create(code=f"BX-{n:03d}", name=f"Región {n}", capital="c", country="PE")
    regions = list(Region.objects.order_by("code"))
    indicators = [i for i in Indicator.objects.all() if i.typed]
    months = [date(2017 + m // 12, m % 12 + 1, 1) for m in range(120)]
    batch = []
    for region in regions:
        for indicator in indicators:
            for month in months:
                batch.append(
                    Observation(
                        indicator=indicator, region=region, period=month, value=rng.randint(0, 90)
                    )
                )
            if len(batch) > 50_000:
                Observation.objects.bulk_create(batch)
                batch.clear()
    Observation.objects.bulk_create(batch)
    matrix = matrix_default_ensure()
    threats = list(Threat.objects.all())
    sectors = list(Sector.objects.all())
    for region in regions:
        assessment = Assessment.objects.create(
            region=region, number=1, matrix=matrix, started_on=date(2026, 1, 1)
        )
        Finding.objects.bulk_create(
            Finding(
                assessment=assessment,
                threat=t,
                sector_id=t.sector_id,
                inherent_likelihood=rng.randint(1, 5),
                inherent_impact=rng.randint(1, 5),
            )
            for t in threats
        )
        Measure.objects.bulk_create(
            Measure(
                region=region,
                sector=s,
                kind=kind,
                title=f"{s.code} {kind}",
                status=rng.choice(["proposed", "approved", "implemented", "verified"]),
            )
            for s in sectors
            for kind in ("policy", "procedure", "program")
        )
    print(
        f"scale {args.scale}x: {len(regions)} regions, {Indicator.objects.count()} indicators, "
        f"{Observation.objects.count():,} observations, {Finding.objects.count():,} findings, "
        f"{Measure.objects.count():,} measures (generated in {time.perf_counter() - began:.0f} s)"
    )
    admin = User.objects.create(username="bench-admin")
    Membership.objects.create(user=admin, role="admin")
    client = Client()
    client.force_login(admin)
    # Program admins sign in with a second factor: the session holds a verified device.
    device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for path in ("/dashboard/", f"/regions/{regions[0].code}/dashboard/"):
        client.get(path)  # warm up
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        print(
            f"{path}: median {statistics.median(timings):.0f} ms, "
            f"min {min(timings):.0f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
