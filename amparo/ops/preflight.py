"""Start-up checks of the configuration: a server or worker that cannot work says what is
wrong in one line and exits non-zero, without a traceback."""

from __future__ import annotations

import sys

EXIT_CONFIG = 3  # gunicorn stops (rather than restarting workers forever) on this code


def problems(*, database: bool = True, media: bool = True) -> list[str]:
    from pathlib import Path

    from django.conf import settings

    from amparo.ops import health

    if media and settings.DEBUG:
        # A developer's checkout starts without the folder; production must have it.
        Path(settings.MEDIA_ROOT).mkdir(exist_ok=True)
    found = []
    if database and (problem := health.database_problem()):
        found.append(problem)
    if media and (problem := health.media_problem()):
        found.append(problem)
    return found


def exit_on_problems(*, database: bool = True, media: bool = True) -> None:
    found = problems(database=database, media=media)
    for problem in found:
        sys.stderr.write(f"amparo: {problem}\n")
    if found:
        sys.exit(EXIT_CONFIG)
