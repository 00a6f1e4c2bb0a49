"""Test-run environment, loaded as a pytest plugin before Django reads its settings.

Only fills in what the person running the tests did not set, so ``DATABASE_URL`` from the
command line still picks PostgreSQL.
"""

from __future__ import annotations

import os

_DEFAULTS = {
    "SECRET_KEY": "test-only-key-not-for-production-3f9a1c7e5b2d4068a9e1",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_FILES_HASHED": "false",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # The live server used by browser tests runs in threads; persistent connections
    # would keep the PostgreSQL test database busy at teardown.
    "DB_CONN_MAX_AGE": "0",
    "TASKS_BACKEND": "immediate",
    "AMPARO_FIELD_SECRETS_KEY": "dGVzdC1vbmx5LWtleS1mb3ItZmllbGQtc2VydmVycyE=",
}

for _name, _value in _DEFAULTS.items():
    os.environ.setdefault(_name, _value)
