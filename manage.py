#!/usr/bin/env python
"""Django's command-line utility; the same as the ``amparo`` console script."""

from amparo.cli import main

if __name__ == "__main__":
    main()
