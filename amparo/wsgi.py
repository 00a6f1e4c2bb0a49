"""WSGI entry point for gunicorn: ``gunicorn amparo.wsgi``.

Before serving, the configuration is checked (settings, database reachable, MEDIA_ROOT a
writable folder): a problem is said in one line and the process exits with status 3,
which makes gunicorn stop instead of restarting its workers forever."""

from __future__ import annotations

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")


def _application():
    from amparo.env import EnvError
    from amparo.ops.preflight import EXIT_CONFIG, exit_on_problems

    try:
        app = get_wsgi_application()
    except EnvError as exc:
        sys.stderr.write(f"amparo: {exc}\n")
        sys.exit(EXIT_CONFIG)
    exit_on_problems(database=True, media=True)
    return app


application = _application()
