#!/usr/bin/env python
"""Django's command-line utility for development. Production uses the ``amparo`` command
(the same commands), which never assumes development settings."""

import os

from amparo.cli import main

if __name__ == "__main__":
    # A developer's checkout runs without an environment file: development settings unless
    # DEBUG is set explicitly (the tests set it, and so does production).
    os.environ.setdefault("DEBUG", "true")
    main()
