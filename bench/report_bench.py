"""Report benchmark: the program executive summary (PDF) for the five demo regions.

Run: .venv/bin/python bench/report_bench.py  (a fresh SQLite with the demo data)
Prints the time to gather, render and write the PDF, its size and page count
(target: under 10 s).
"""

import io
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="amparo-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.update(DEBUG="true", MEDIA_ROOT=str(workdir / "media"), TASKS_BACKEND="immediate")
    os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from pypdf import PdfReader

    from amparo.accounts.access import server_operator
    from amparo.reports.render import summary_pdf
    from amparo.territory.models import Region

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=StringIO())
    for lang in ("es", "en"):
        began = time.perf_counter()
        pdf = summary_pdf(
            Region.objects.all(), user=server_operator(), lang=lang, donor=False, since=None
        )
        seconds = time.perf_counter() - began
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"program summary ({lang}): {seconds:.2f} s, {len(pdf) / 1024:.0f} KiB, {pages} pages"
        )


if __name__ == "__main__":
    main()
