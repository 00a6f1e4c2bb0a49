"""The ``amparo`` console script: the project's ``manage.py``.

Command names may be written with hyphens (``amparo load-catalog``) as the documentation
does; Django's own names use underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, translating ``load-catalog`` to ``load_catalog``."""
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    from django.core.management import execute_from_command_line

    from amparo.env import EnvError

    try:
        execute_from_command_line(args)
    except EnvError as exc:
        # A configuration mistake, not a bug: say which variable, without a traceback.
        sys.stderr.write(f"amparo: {exc}\n")
        sys.exit(2)
