"""The ``amparo`` console script: the project's ``manage.py``.

Command names may be written with hyphens (``amparo load-catalog``) as the documentation
does; Django's own names use underscores. ``amparo --version`` prints amparo's version.
A configuration mistake (a bad variable, a database that cannot be reached) is said in
one line and exits non-zero, without a traceback.
"""

from __future__ import annotations

import os
import sys

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> None:
    """Run a management command, translating ``load-catalog`` to ``load_catalog``."""
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ("--version", "version"):
        import amparo

        sys.stdout.write(f"amparo {amparo.__version__}\n")
        return
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from amparo.env import EnvError

    try:
        execute_from_command_line(args)
    except EnvError as exc:
        # A configuration mistake, not a bug: say which variable, without a traceback.
        sys.stderr.write(f"amparo: {exc}\n")
        sys.exit(EXIT_CONFIG)
    except OperationalError as exc:
        from amparo.ops.health import _without_secrets

        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        sys.stderr.write(
            f"amparo: cannot reach the database ({_without_secrets(first)}); "
            "check DATABASE_URL and that the database server is running\n"
        )
        sys.exit(EXIT_CONFIG)
